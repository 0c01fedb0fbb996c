import { byType, jsonFile, runCli, type CliResult, type Message } from '../helpers/run-cli.js';
import { repoJson, type Json } from './config.js';

// What the acceptance suites share: catalogs in the shapes CAT builds them, reads through the CLI, and record
// keys/fingerprints for comparisons.

export interface AirbyteStream {
  name: string;
  json_schema: Json & { properties?: Record<string, Json> };
  supported_sync_modes: string[];
  source_defined_cursor?: boolean;
  default_cursor_field?: string[];
  source_defined_primary_key?: string[][];
  is_resumable?: boolean;
}

export interface ConfiguredStream {
  stream: AirbyteStream;
  sync_mode: string;
  destination_sync_mode: string;
  cursor_field?: string[];
  primary_key?: string[][];
}

export interface ConfiguredCatalog {
  streams: ConfiguredStream[];
}

export type StateInput = Array<{ type: 'STREAM'; stream: { stream_descriptor: { name: string }; stream_state: Json } }>;

export async function discover(config: Json): Promise<AirbyteStream[]> {
  const result = await runCli(['discover', '--config', jsonFile(config, 'config')]);
  const catalogs = byType(result.messages, 'CATALOG');
  if (result.code !== 0 || catalogs.length !== 1) throw new Error(`discover failed (exit ${String(result.code)}): ${result.stderr.slice(0, 500)}`);
  return (catalogs[0]?.['catalog'] as { streams: AirbyteStream[] }).streams;
}

export function loadCatalog(path: string): ConfiguredCatalog {
  return repoJson<ConfiguredCatalog>(path);
}

/** CAT full_refresh_only_catalog: streams that support full refresh, read in full refresh / overwrite. */
export function fullRefreshCatalog(catalog: ConfiguredCatalog): ConfiguredCatalog {
  return {
    streams: catalog.streams
      .filter((s) => s.stream.supported_sync_modes.includes('full_refresh'))
      .map(({ cursor_field: _cursor, ...s }) => ({ ...s, sync_mode: 'full_refresh', destination_sync_mode: 'overwrite' })),
  };
}

/** CAT incremental_only_catalog + configured_catalog_for_incremental: cursor_field defaults to default_cursor_field. */
export function incrementalCatalog(catalog: ConfiguredCatalog): ConfiguredCatalog {
  return {
    streams: catalog.streams
      .filter((s) => s.stream.supported_sync_modes.includes('incremental'))
      .map((s) => {
        const cursor = s.cursor_field && s.cursor_field.length > 0 ? s.cursor_field : s.stream.default_cursor_field;
        if (!cursor || cursor.length === 0) throw new Error(`incremental stream ${s.stream.name} has neither cursor_field nor default_cursor_field`);
        return { ...s, sync_mode: 'incremental', cursor_field: [...cursor] };
      }),
  };
}

/** The basic_read catalog at high strictness: every discovered stream in full refresh, minus the given names. */
export function discoveredCatalog(streams: readonly AirbyteStream[], without: readonly string[] = []): ConfiguredCatalog {
  return {
    streams: streams
      .filter((s) => !without.includes(s.name))
      .map((stream) => ({ stream, sync_mode: 'full_refresh', destination_sync_mode: 'overwrite', ...(stream.source_defined_primary_key ? { primary_key: stream.source_defined_primary_key } : {}) })),
  };
}

export function only(catalog: ConfiguredCatalog, names: readonly string[]): ConfiguredCatalog {
  return { streams: catalog.streams.filter((s) => names.includes(s.stream.name)) };
}

export async function read(config: Json, catalog: ConfiguredCatalog | Json, state?: unknown, timeoutMs = 240_000): Promise<CliResult> {
  const args = ['read', '--config', jsonFile(config, 'config'), '--catalog', jsonFile(catalog, 'catalog')];
  if (state !== undefined) args.push('--state', jsonFile(state, 'state'));
  return runCli(args, { timeoutMs });
}

export interface RecordMessage {
  stream: string;
  data: Json;
  emitted_at: number;
}

export const recordMessages = (messages: readonly Message[]): RecordMessage[] => messages.filter((m) => m.type === 'RECORD').map((m) => m['record'] as RecordMessage);

export function groupByStream(records: readonly RecordMessage[]): Map<string, RecordMessage[]> {
  const out = new Map<string, RecordMessage[]>();
  for (const record of records) {
    const list = out.get(record.stream) ?? [];
    list.push(record);
    out.set(record.stream, list);
  }
  return out;
}

export const streamStates = (messages: readonly Message[], stream?: string): Json[] =>
  messages.filter((m) => m.type === 'STATE').map((m) => m['state'] as Json).filter((s) => stream === undefined || nameOfState(s) === stream);

export function nameOfState(state: Json): string | undefined {
  const stream = state['stream'] as { stream_descriptor?: { name?: string } } | undefined;
  return stream?.stream_descriptor?.name;
}

/** CAT construct_latest_state_from_messages: the last STREAM state of each stream, as a --state input. */
export function latestStates(messages: readonly Message[]): StateInput {
  const latest = new Map<string, Json>();
  for (const state of streamStates(messages)) {
    if (state['type'] !== 'STREAM') continue;
    const name = nameOfState(state);
    if (name !== undefined) latest.set(name, ((state['stream'] as Json)['stream_state'] as Json | null) ?? {});
  }
  return [...latest].map(([name, stream_state]) => ({ type: 'STREAM', stream: { stream_descriptor: { name }, stream_state } }));
}

/** Key-order-independent JSON, for comparing records and states by value. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Json)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The values of a record at each primary-key path. */
export function keyValues(data: Json, primaryKey: readonly (readonly string[])[]): unknown[] {
  return primaryKey.map((path) => path.reduce<unknown>((node, part) => (node !== null && typeof node === 'object' ? (node as Json)[part] : undefined), data));
}

export const keyOf = (data: Json, primaryKey: readonly (readonly string[])[]): string => canonical(keyValues(data, primaryKey));

export function withoutFields(data: Json, fields: readonly string[]): Json {
  const copy = { ...data };
  for (const field of fields) delete copy[field];
  return copy;
}

/**
 * CAT naive_diff_records (DeepDiff with ignore_order): whether two record lists differ as multisets of data.
 * Returns true when they differ.
 */
export function recordsDiffer(a: readonly RecordMessage[], b: readonly RecordMessage[]): boolean {
  if (a.length !== b.length) return true;
  const counts = new Map<string, number>();
  for (const r of a) counts.set(canonical(r.data), (counts.get(canonical(r.data)) ?? 0) + 1);
  for (const r of b) {
    const key = canonical(r.data);
    const n = counts.get(key) ?? 0;
    if (n === 0) return true;
    counts.set(key, n - 1);
  }
  return false;
}

export interface ExpectFlags {
  exact_order: boolean;
  extra_fields: boolean;
  extra_records: boolean;
}

/**
 * CAT expect_records: every expected record must be produced — found by primary key when the stream has one,
 * by content otherwise — and equal the actual record after dropping ignored_fields (with extra_fields on, fields
 * the expected record does not have are not compared). Returns the problems found (empty = pass).
 */
export function compareExpectedRecords(
  catalog: ConfiguredCatalog,
  actualByStream: ReadonlyMap<string, readonly RecordMessage[]>,
  expected: readonly RecordMessage[],
  flags: ExpectFlags,
  ignoredFields: Readonly<Record<string, readonly { name: string }[]>>,
): string[] {
  const problems: string[] = [];
  for (const [name, wanted] of groupByStream(expected)) {
    const stream = catalog.streams.find((s) => s.stream.name === name);
    if (!stream) {
      problems.push(`${name}: expected records for a stream that is not in the catalog`);
      continue;
    }
    const ignored = (ignoredFields[name] ?? []).map((f) => f.name);
    const actual = actualByStream.get(name) ?? [];
    const pk = stream.primary_key ?? stream.stream.source_defined_primary_key ?? [];
    const view = (data: Json, like: Json): string => {
      const kept = withoutFields(data, ignored);
      if (flags.extra_fields) for (const field of Object.keys(kept)) if (!(field in like)) delete kept[field];
      return canonical(kept);
    };
    const positions: number[] = [];
    for (const record of wanted) {
      const index = pk.length > 0 ? actual.findIndex((a) => keyOf(a.data, pk) === keyOf(record.data, pk)) : actual.findIndex((a) => view(a.data, record.data) === view(record.data, record.data));
      if (index < 0) {
        problems.push(`${name}: expected record ${pk.length > 0 ? `with key ${keyOf(record.data, pk)} ` : ''}was not produced`);
        continue;
      }
      positions.push(index);
      const got = (actual[index] as RecordMessage).data;
      if (view(got, record.data) !== view(record.data, record.data)) {
        const fields = [...new Set([...Object.keys(got), ...Object.keys(record.data)])].filter(
          (f) => !ignored.includes(f) && canonical(got[f]) !== canonical(record.data[f]) && (!flags.extra_fields || f in record.data),
        );
        problems.push(`${name} ${keyOf(record.data, pk)}: differs from the expected record in ${fields.map((f) => `${f} (expected ${canonical(record.data[f])}, got ${canonical(got[f])})`).join(', ')}`);
      }
    }
    if (flags.exact_order && positions.some((p, i) => i > 0 && p < (positions[i - 1] as number))) problems.push(`${name}: records are not in the expected order`);
    if (!flags.extra_records && actual.length !== wanted.length) problems.push(`${name}: ${actual.length} records, ${wanted.length} expected, and extra_records is off`);
  }
  return problems;
}

/** Runs `fn` over `items`, at most `limit` at a time, results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      out[index] = await fn(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
