import { loadRecordChecks, loadSchema } from './assets.js';
import { didYouMean } from './common/closest.js';
import type { ConcurClient } from './concur/client.js';
import type { ResolvedConfig } from './config/load.js';
import type { Log } from './context.js';
import type { WindowPlan } from './engine/cursor.js';
import { cursorOf, type StreamDef } from './engine/define.js';
import { readStreamBatches } from './engine/read-stream.js';
import { compileShaper } from './engine/shape.js';
import { toConnectorError } from './failures.js';
import { ConfigError } from './protocol/errors.js';
import type { CatalogEntry, IncomingState } from './protocol/files.js';
import type { JsonObject, RecordChange } from './protocol/messages.js';
import type { ReadItem, StreamRun } from './protocol/run-read.js';
import type { StreamEnv } from './streams/env.js';
import { STREAMS, findStream } from './streams/index.js';

export type RequestCounts = Map<string, { requests: number; retries: number }>;

interface RunsInput {
  catalog: readonly CatalogEntry[];
  states: ReadonlyMap<string, IncomingState>;
  env: StreamEnv;
  config: ResolvedConfig;
  log: Log;
  client: ConcurClient;
  /** Filled with each stream's requests and retries as it ends, for the summary. */
  requests: RequestCounts;
}

/**
 * The configured catalog as the runner's streams: each one readable, or failed up front with what to change (a
 * stream this source does not offer, one these credentials cannot read, an unusable state).
 */
export function streamRuns({ catalog, states, env, config, log, client, requests }: RunsInput): StreamRun[] {
  const schemas = new Map<string, Record<string, unknown> | undefined>();
  // A parent that is not a stream of its own (the v2 report list) has no schema file.
  const schemaOf = (name: string): Record<string, unknown> | undefined => {
    if (!schemas.has(name)) schemas.set(name, findStream(name) ? loadSchema(name) : undefined);
    return schemas.get(name);
  };
  return catalog.map((entry): StreamRun => {
    if (!entry.ok) return { name: entry.name, initialState: null, failure: entry.error };
    const name = entry.stream.stream.name;
    const incoming = states.get(name) ?? null;
    const initialState = incoming instanceof ConfigError ? null : incoming;
    const def = findStream(name);
    if (!def) {
      return {
        name,
        initialState,
        failure: new ConfigError(
          `Stream "${name}" is not offered by this source${didYouMean(name, STREAMS.map((stream) => stream.name))}. Refresh the source schema (discover) and select only listed streams.`,
        ),
      };
    }
    const unreadable = def.unreadable?.(env);
    if (unreadable !== undefined) return { name, initialState, failure: new ConfigError(`Stream ${name} cannot be read with this config: ${unreadable}`) };
    let incremental = entry.stream.sync_mode === 'incremental';
    if (incremental && !cursorOf(def)) {
      log.warn(`Stream ${name} supports full refresh only; reading it in full.`);
      incremental = false;
    }
    // A full refresh does not use its state, so an unusable one only stops an incremental stream.
    if (incoming instanceof ConfigError && incremental) return { name, initialState, failure: incoming };
    let started = { ...client.stats };
    const stream: StreamRead = { def, env, windows: windowPlan(config), concurrency: config.maxConcurrency, log, incremental, state: initialState, client, requests, schemaOf };
    return {
      name,
      initialState,
      read: (signal) => {
        started = { ...client.stats };
        return readItems(stream, signal);
      },
      progress: () => `${client.stats.requests - started.requests} requests, ${client.stats.retries - started.retries} retries`,
    };
  });
}

/** The configured range and checkpoint sizing, as the engine lays out date windows. */
function windowPlan(config: ResolvedConfig): WindowPlan {
  return {
    configStart: config.start,
    end: config.end,
    now: config.now,
    sliceDays: config.sliceDays,
    recordsPerCheckpoint: config.checkpointInterval,
    lookbackMs: config.lookbackMs,
  };
}

interface StreamRead {
  def: StreamDef<StreamEnv>;
  env: StreamEnv;
  windows: WindowPlan;
  concurrency: number;
  log: Log;
  incremental: boolean;
  state: JsonObject | null;
  client: ConcurClient;
  requests: RequestCounts;
  /** Stream schemas, each read from disk once per sync. */
  schemaOf: (name: string) => Record<string, unknown> | undefined;
}

async function* readItems({ def, env, windows, concurrency, log, incremental, state, client, requests, schemaOf }: StreamRead, signal: AbortSignal): AsyncGenerator<ReadItem> {
  const before = { ...client.stats };
  if (def.deprecated) {
    log.warn(`Stream ${def.name} reads an API that SAP ${def.deprecated.decommissioned ? 'has decommissioned in some data centers' : 'has deprecated'} (${def.deprecated.since}); replacement: ${def.deprecated.replacement}. It may stop working when SAP switches it off.`);
  }
  try {
    const schema = schemaOf(def.name) ?? {};
    const shaper = compileShaper(def.name, schema, log, await loadRecordChecks(def.name, schema));
    const items = readStreamBatches(def, { options: env, signal, log, shaper, windows, concurrency, incremental, schemaFor: schemaOf }, state);
    for await (const item of items) {
      if (item.kind !== 'records') {
        yield item;
        continue;
      }
      // A record that fit its schema goes on as it is: most do, and a copy per record is measurable.
      const repaired = item.records.some(({ nulled }) => nulled.length > 0);
      yield {
        kind: 'records',
        records: repaired
          ? item.records.map(({ data, nulled }) =>
              nulled.length > 0 ? { data, changes: nulled.map((field): RecordChange => ({ field, change: 'NULLED', reason: 'SOURCE_SERIALIZATION_ERROR' })) } : { data },
            )
          : item.records,
      };
    }
  } catch (error) {
    throw toConnectorError(error, def.deprecated);
  } finally {
    requests.set(def.name, { requests: client.stats.requests - before.requests, retries: client.stats.retries - before.retries });
  }
}
