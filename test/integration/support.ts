import { byType, jsonFile, records, runCli, states, type Message } from '../helpers/run-cli.js';
import {
  SIM_ADMIN_LOGIN,
  SIM_ADMIN_PASSWORD,
  SIM_CLIENT_ID,
  SIM_CLIENT_SECRET,
  SIM_COMPANY_ID,
  SIM_COMPANY_REQUEST_TOKEN,
  type SimCollection,
  type Simulator,
} from '../helpers/simulator.js';

export const SIX_STREAMS = [
  'expense_reports',
  'expense_reports_detail',
  'expense_entries',
  'expense_itemizations',
  'expense_allocations',
  'entry_attendee_associations',
] as const;

/** Where each stream's records come from in the simulator's ground truth. */
export const COLLECTION: Record<string, SimCollection> = {
  expense_reports: 'reports',
  expense_reports_detail: 'reports',
  expense_entries: 'entries',
  expense_itemizations: 'itemizations',
  expense_allocations: 'allocations',
  entry_attendee_associations: 'entry_attendee_associations',
};

export type Json = Record<string, unknown>;

/** The ground truth of travel_itineraries: every trip, canceled and virtual ones included, as the connector asks. */
export const EVERY_TRIP = { includeCanceledTrips: 'true', includeVirtualTrip: '1' } as const;

/** A config that reads the simulator as its admin (company-wide), with the given overrides. */
export function simConfig(sim: Simulator, overrides: Json = {}): Json {
  return {
    credentials: { auth_type: 'password', client_id: SIM_CLIENT_ID, client_secret: SIM_CLIENT_SECRET, username: SIM_ADMIN_LOGIN, password: SIM_ADMIN_PASSWORD },
    token_url: `${sim.url}/oauth2/v0/token`,
    ...overrides,
  };
}

/** A config that reads the simulator with a company-level token (every company stream, Identity v4.1 users). */
export function companyConfig(sim: Simulator, overrides: Json = {}): Json {
  return {
    credentials: { auth_type: 'company', client_id: SIM_CLIENT_ID, client_secret: SIM_CLIENT_SECRET, company_id: SIM_COMPANY_ID, company_request_token: SIM_COMPANY_REQUEST_TOKEN },
    token_url: `${sim.url}/oauth2/v0/token`,
    ...overrides,
  };
}

let discovered: Json[] | undefined;

/**
 * The catalog as `discover` describes it (cached: the streams' descriptions do not change). A company token is
 * offered every stream; tests that read with other credentials build their configured catalogs from it too.
 */
export async function discoveredStreams(sim: Simulator): Promise<Json[]> {
  if (!discovered) {
    const result = await runCli(['discover', '--config', jsonFile(companyConfig(sim))]);
    discovered = (byType(result.messages, 'CATALOG')[0]?.['catalog'] as { streams: Json[] }).streams;
  }
  return discovered;
}

export async function configuredCatalog(sim: Simulator, names: readonly string[], mode: 'full_refresh' | 'incremental' = 'full_refresh'): Promise<Json> {
  const streams = await discoveredStreams(sim);
  return {
    streams: names.map((name) => {
      const stream = streams.find((s) => s['name'] === name);
      if (!stream) throw new Error(`discover does not list ${name}`);
      const incremental = mode === 'incremental' && (stream['supported_sync_modes'] as string[]).includes('incremental');
      return { stream, sync_mode: incremental ? 'incremental' : 'full_refresh', destination_sync_mode: incremental ? 'append_dedup' : 'overwrite', primary_key: stream['source_defined_primary_key'] };
    }),
  };
}

export async function read(sim: Simulator, options: { streams?: readonly string[]; config?: Json; state?: unknown; mode?: 'full_refresh' | 'incremental'; timeoutMs?: number } = {}) {
  const args = [
    'read',
    '--config', jsonFile(options.config ?? simConfig(sim), 'config'),
    '--catalog', jsonFile(await configuredCatalog(sim, options.streams ?? SIX_STREAMS, options.mode), 'catalog'),
  ];
  if (options.state !== undefined) args.push('--state', jsonFile(options.state, 'state'));
  return runCli(args, { timeoutMs: options.timeoutMs ?? 240_000 });
}

/** Ground truth per stream, from the simulator's own data. */
export async function truth(sim: Simulator, streams: readonly string[] = SIX_STREAMS): Promise<Map<string, Json[]>> {
  const cache = new Map<SimCollection, Json[]>();
  const out = new Map<string, Json[]>();
  for (const stream of streams) {
    const collection = COLLECTION[stream] as SimCollection;
    if (!cache.has(collection)) cache.set(collection, await sim.data<Json>(collection));
    out.set(stream, cache.get(collection) as Json[]);
  }
  return out;
}

/** The connector adds the parent report's LastModifiedDate to child records; everything else is Concur's. */
export function withoutAddedFields(record: Json): Json {
  const { ReportLastModifiedDate: _added, ...rest } = record;
  return rest;
}

export interface Comparison {
  emitted: number;
  expected: number;
  lost: string[];
  duplicated: string[];
  unexpected: string[];
  different: string[];
}

/** Emitted records versus the ground truth, by primary key and by content. */
export function compare(messages: Message[], stream: string, expected: readonly Json[]): Comparison {
  const emitted = records(messages, stream);
  const byId = new Map(expected.map((r) => [String(r['ID']), r]));
  const seen = new Set<string>();
  const result: Comparison = { emitted: emitted.length, expected: expected.length, lost: [], duplicated: [], unexpected: [], different: [] };
  for (const record of emitted) {
    const id = String(record['ID']);
    if (seen.has(id)) result.duplicated.push(id);
    seen.add(id);
    const truthRecord = byId.get(id);
    if (!truthRecord) result.unexpected.push(id);
    else if (JSON.stringify(withoutAddedFields(record)) !== JSON.stringify(truthRecord)) result.different.push(id);
  }
  for (const id of byId.keys()) if (!seen.has(id)) result.lost.push(id);
  return result;
}

/** recordCount of a stream's STATE messages must add up to the records it emitted. */
export function countedRecords(messages: Message[], stream: string): number {
  return states(messages, stream).reduce((n, m) => n + Number(m['state'].sourceStats.recordCount), 0);
}
