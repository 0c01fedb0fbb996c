import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Spawn the built Concur simulator (simulator/dist, built by `npm ci`/`npm run build`) as a
 * separate process on a free port and talk to its /_sim endpoints with global fetch.
 */

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = fileURLToPath(new URL('../../simulator/bin/concur-simulator.js', import.meta.url));
const START_TIMEOUT_MS = 15_000;

/** Default credentials of the simulator (see simulator/README.md). */
export const SIM_CLIENT_ID = 'sim-client-id';
export const SIM_CLIENT_SECRET = 'sim-client-secret';
export const SIM_ADMIN_LOGIN = 'admin@example.com';
export const SIM_ADMIN_PASSWORD = 'sim-admin-password';
export const SIM_USER_LOGIN = 'user1@example.com';
export const SIM_USER_PASSWORD = 'sim-user-password';
export const SIM_COMPANY_ID = '7a3c9f1e-4b2d-4e8a-9c61-5f0d2b8e4a17';
export const SIM_COMPANY_REQUEST_TOKEN = 'sim-company-request-token';
export const SIM_REFRESH_TOKEN = 'sim-refresh-token';

export type SimCollection =
  | 'reports'
  | 'entries'
  | 'itemizations'
  | 'allocations'
  | 'entry_attendee_associations'
  | 'attendees'
  | 'users'
  // v3 configuration and receipt images (JSON records as served)
  | 'attendee_types'
  | 'group_configurations'
  | 'lists'
  | 'list_items'
  // v4 configuration (Attendee Types v4, List v4, List Item v4)
  | 'attendee_types_v4'
  | 'lists_v4'
  | 'list_items_v4'
  // Attendees v4, per owner (?user=<login>: that user's own)
  | 'attendees_v4'
  // Expense Configuration v4: every group whole (?user=<login>: that user's group)
  | 'group_configurations_v4'
  | 'locations'
  | 'receipt_images'
  // XML families: the semantic values a correct decoder makes of the XML (simulator/README.md)
  | 'card_charges'
  | 'delegators'
  | 'form_types'
  | 'forms'
  | 'form_fields'
  | 'extract_definitions'
  | 'extract_jobs'
  | 'report_details'
  | 'trips'
  | 'user_profiles'
  // Identity v4.1: SCIM users exactly as served
  | 'identity_users';

/**
 * Query parameters of GET /_sim/data/{collection}: `user` (a login) for the per-user collections
 * (card_charges, delegators, receipt_images, trips), `includeInactive: 'Y'` for delegators,
 * `includeCanceledTrips: 'true'` and `includeVirtualTrip: '1'` for trips.
 */
export type SimDataParams = Record<string, string>;

/** API family names of --decommissioned (simulator/src/lifecycle.ts). */
export type SimApiName =
  | 'attendees'
  | 'attendee-types'
  | 'group-configurations'
  | 'locations'
  | 'list-items'
  | 'receipt-images'
  | 'card-charges'
  | 'delegators'
  | 'expense-form'
  | 'extracts'
  | 'reports-v2'
  | 'itinerary'
  | 'user-v1'
  | 'identity';

export interface SimRequestLogEntry {
  seq: number;
  at: string;
  listener: 'primary' | 'secondary';
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  fault: string | null;
  user: string | null;
  grant: string | null;
  bytes: number;
}

export interface SimStats {
  requests: number;
  byPath: Record<string, number>;
  itemsServed: Record<string, number>;
  faultsInjected: Record<string, number>;
  tokensIssued: number;
  refreshes: number;
}

export interface MutationBody {
  newReports?: number;
  editReports?: number;
  newEntries?: number;
  newTrips?: number;
  editTrips?: number;
  /** Cancellations of existing trips not canceled yet (TripStatus 2, DateModifiedUtc now). */
  cancelTrips?: number;
  /** New extract jobs per definition. */
  newJobs?: number;
  /** Edits of distinct Identity v4.1 users (a new nickName, meta.lastModified now). */
  editUsers?: number;
  /** Removals of the last entry of distinct reports (with its children; the report stamped now). */
  removeEntries?: number;
}

export interface MutationResult {
  newReportIds: string[];
  editedReportIds: string[];
  newEntryIds: string[];
  reportIdsWithNewEntries: string[];
  newTripIds: string[];
  editedTripIds: string[];
  canceledTripIds: string[];
  /** JobIDs (last segment of the job id URL), definition by definition. */
  newJobIds: string[];
  /** Identity v4.1 ids of the edited users. */
  editedUserIds: string[];
  removedEntryIds: string[];
  reportIdsWithRemovedEntries: string[];
}

export interface FaultStatus {
  spec: string;
  name: string;
  eligible: number;
  injected: number;
}

export interface Simulator {
  readonly url: string;
  readonly secondaryUrl?: string;
  readonly pid: number;
  /** SIGTERM and wait for exit; resolves with the exit code. */
  stop(): Promise<number | null>;
  requests(): Promise<SimRequestLogEntry[]>;
  clearRequests(): Promise<void>;
  stats(): Promise<SimStats>;
  setFaults(specs: string[]): Promise<FaultStatus[]>;
  /** The active faults with their eligible/injected counters. */
  faults(): Promise<FaultStatus[]>;
  mutate(body: MutationBody): Promise<MutationResult>;
  /** Ground truth: every record of a collection as the API serves it (URIs on this host). */
  data<T = Record<string, unknown>>(collection: SimCollection, params?: SimDataParams): Promise<T[]>;
}

export async function startSimulator(args: string[] = []): Promise<Simulator> {
  const child = spawn(process.execPath, [BIN, '--port', '0', ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // Never leave a simulator behind if a test forgets stop() or the runner exits early.
  const killOnExit = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  void exited.then(() => process.off('exit', killOnExit));
  const line = await firstLine(child, exited, () => stderr);
  const listening = JSON.parse(line) as { event: string; url: string; secondaryUrl?: string; pid: number };
  if (listening.event !== 'listening') throw new Error(`unexpected first line from the simulator: ${line}`);
  const { url } = listening;

  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const init: RequestInit = { method };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers = { 'content-type': 'application/json' };
    }
    const res = await fetch(`${url}${path}`, init);
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} -> ${res.status}: ${text}`);
    return JSON.parse(text) as T;
  };

  const sim: Simulator = {
    url,
    pid: listening.pid,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
    requests: async () => (await call<{ requests: SimRequestLogEntry[] }>('GET', '/_sim/requests')).requests,
    clearRequests: async () => {
      await call('DELETE', '/_sim/requests');
    },
    stats: () => call<SimStats>('GET', '/_sim/stats'),
    setFaults: async (specs) => (await call<{ faults: FaultStatus[] }>('POST', '/_sim/faults', { faults: specs })).faults,
    faults: async () => (await call<{ faults: FaultStatus[] }>('GET', '/_sim/faults')).faults,
    mutate: (body) => call<MutationResult>('POST', '/_sim/mutate', body),
    data: async <T>(collection: SimCollection, params: SimDataParams = {}) => {
      const search = new URLSearchParams(params).toString();
      const target = `/_sim/data/${collection}${search === '' ? '' : `?${search}`}`;
      const res = await fetch(`${url}${target}`);
      if (!res.ok) throw new Error(`GET ${target} -> ${res.status}: ${await res.text()}`);
      const text = await res.text();
      return text === '' ? [] : text.trimEnd().split('\n').map((l) => JSON.parse(l) as T);
    },
  };
  return listening.secondaryUrl === undefined ? sim : { ...sim, secondaryUrl: listening.secondaryUrl };
}

function firstLine(child: ChildProcess, exited: Promise<number | null>, stderr: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`simulator did not report listening within ${START_TIMEOUT_MS} ms; stderr:\n${stderr()}`));
    }, START_TIMEOUT_MS);
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      buffer += chunk;
      const newline = buffer.indexOf('\n');
      if (newline >= 0) {
        clearTimeout(timer);
        resolve(buffer.slice(0, newline));
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`simulator exited with code ${String(code)} before listening; stderr:\n${stderr()}`));
    });
  });
}
