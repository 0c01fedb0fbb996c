import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errors, type CliResult, type Message } from '../helpers/run-cli.js';
import { acceptanceConfig, repoJson, startFixtureTenant, type FixtureTenant, type Json } from './config.js';
import {
  canonical,
  incrementalCatalog,
  keyOf,
  latestStates,
  loadCatalog,
  mapLimit,
  nameOfState,
  only,
  read,
  recordMessages,
  recordsDiffer,
  streamStates,
  type ConfiguredCatalog,
  type RecordMessage,
  type StateInput,
} from './support.js';

// CAT TestIncremental, per incremental test of acceptance-test-config.yml, on the configured catalog's streams
// that support incremental (cursor_field defaulting to default_cursor_field):
// - test_two_sequential_reads (newer CAT: read 2 from read 1's final state differs from read 1; older CAT: and
//   every record of read 2 is at or after the state's cursor, minus the lookback the connector applies);
// - test_read_sequential_slices (sourceStats-based: from a sample of checkpoints, re-reads return at least the
//   records the checkpoint did not cover, and differ from the full read);
// - test_state_with_abnormally_large_values (future_state ⇒ no records, at least one STATE).
const { incremental: tests } = acceptanceConfig();
const spec = repoJson<{ connectionSpecification: { properties: Record<string, Json> } }>('spec.json');

/** CAT MIN_BATCHES_TO_TEST: about this many checkpoints are re-read per stream. */
const MIN_BATCHES_TO_TEST = 5;
/** Our own bound per stream (CAT's sampling can pick up to 7 when a stream has 7–9 checkpoints). */
const MAX_CHECKPOINTS_PER_STREAM = 5;
/** Our own bound on the whole test's re-reads, shared evenly by the streams, to keep the suite's runtime modest. */
const MAX_REREADS = 16;
/** CLI runs in flight at once (the machine has two cores). */
const PARALLEL_READS = 2;

interface Checkpoint {
  state: Json;
  /** Records counted by this checkpoint (consecutive identical states merged). */
  count: number;
  /** Records the full read emitted after this checkpoint (CAT's "expected records count" for a re-read). */
  expected: number;
  /** Index of the checkpoint's STATE among the stream's messages, to find the records after it. */
  messageIndex: number;
}

/**
 * CAT _get_unique_state_messages_with_record_count: consecutive identical states are one checkpoint (their
 * recordCounts summed), zero-count checkpoints are dropped, and each keeps total − counted up to and including it.
 */
export function checkpoints(messages: readonly Message[], stream: string): Checkpoint[] {
  const merged: Checkpoint[] = [];
  messages.forEach((message, messageIndex) => {
    if (message.type !== 'STATE' || nameOfState(message['state']) !== stream) return;
    const state = ((message['state'] as Json)['stream'] as Json)['stream_state'] as Json;
    const count = Number(((message['state'] as Json)['sourceStats'] as Json | undefined)?.['recordCount'] ?? 0);
    const last = merged.at(-1);
    if (last && canonical(last.state) === canonical(state)) {
      last.count += count;
      last.messageIndex = messageIndex;
    } else {
      merged.push({ state, count, expected: 0, messageIndex });
    }
  });
  const kept = merged.filter((c) => c.count !== 0);
  const total = kept.reduce((n, c) => n + c.count, 0);
  let counted = 0;
  for (const checkpoint of kept) {
    counted += checkpoint.count;
    checkpoint.expected = total - counted;
  }
  return kept;
}

/** CAT _states_with_expected_record_count_batch_selector, then at most MAX_CHECKPOINTS_PER_STREAM, evenly spread. */
export function sample(list: readonly Checkpoint[]): Checkpoint[] {
  if (list.length < 3) return list.slice(-1);
  const rate = Math.floor(list.length / MIN_BATCHES_TO_TEST) || 1;
  const picked = list.filter((_, i) => i !== 0 && i % rate === 0 && i !== list.length - 1);
  return spread(picked, MAX_CHECKPOINTS_PER_STREAM);
}

/** At most `n` items of `list`, evenly spread, first and last included. */
export function spread<T>(list: readonly T[], n: number): T[] {
  if (list.length <= n) return [...list];
  if (n <= 0) return [];
  if (n === 1) return [list.at(-1) as T];
  return Array.from({ length: n }, (_, i) => list[Math.round((i * (list.length - 1)) / (n - 1))] as T);
}

/** The messages of one stream: its records, states and traces. */
function messagesOf(messages: readonly Message[], stream: string): Message[] {
  return messages.filter(
    (m) =>
      (m.type === 'RECORD' && m['record'].stream === stream) ||
      (m.type === 'STATE' && nameOfState(m['state']) === stream) ||
      (m.type === 'TRACE' && (m['trace'].stream_status?.stream_descriptor?.name ?? m['trace'].error?.stream_descriptor?.name ?? m['trace'].estimate?.name) === stream),
  );
}

const stateFor = (stream: string, state: Json): StateInput => [{ type: 'STREAM', stream: { stream_descriptor: { name: stream }, stream_state: state } }];

/** Epoch ms of a cursor value as the connector reads it (offset-less = UTC). */
function epoch(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const text = /(Z|[+-]\d{2}:?\d{2})$/.test(value) ? value : `${value}Z`;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : at;
}

describe.each(tests.map((test, i) => ({ test, title: `incremental[${i}] ${test.configured_catalog_path}` })))('$title (CAT TestIncremental)', ({ test }) => {
  let tenant: FixtureTenant;
  let config: Json;
  let catalog: ConfiguredCatalog;
  let lookbackMs: number;
  /** Read 1 of test_two_sequential_reads; also the per-stream first read of test_read_sequential_slices. */
  let first: CliResult;

  beforeAll(async () => {
    tenant = await startFixtureTenant();
    config = tenant.config(test.config_path);
    catalog = incrementalCatalog(loadCatalog(test.configured_catalog_path));
    lookbackMs = Number(config['lookback_minutes'] ?? spec.connectionSpecification.properties['lookback_minutes']?.['default']) * 60_000;
    first = await read(config, catalog);
  }, 240_000);
  afterAll(async () => {
    await tenant?.stop();
  });

  it('has incremental streams, each with a cursor field in its schema', () => {
    expect(catalog.streams.length).toBeGreaterThan(0);
    for (const s of catalog.streams) expect(s.stream.json_schema.properties?.[s.cursor_field?.[0] as string], s.stream.name).toBeDefined();
    expect(Number.isFinite(lookbackMs) && lookbackMs >= 0).toBe(true);
  });

  describe('test_two_sequential_reads', () => {
    let second: CliResult;
    let stateInput: StateInput;
    beforeAll(async () => {
      stateInput = latestStates(first.messages);
      second = await read(config, catalog, stateInput);
    }, 240_000);

    it('read 1 has at least one STATE and one RECORD, and both reads finish cleanly', () => {
      expect(streamStates(first.messages).length).toBeGreaterThan(0);
      expect(recordMessages(first.messages).length).toBeGreaterThan(0);
      for (const result of [first, second]) {
        expect(errors(result.messages)).toEqual([]);
        expect(result.code, result.stderr.slice(-2000)).toBe(0);
      }
      expect(stateInput.map((s) => s.stream.stream_descriptor.name).sort()).toEqual(catalog.streams.map((s) => s.stream.name).sort());
    });

    it('read 2, from the final state of read 1, differs from read 1', () => {
      expect(recordsDiffer(recordMessages(first.messages), recordMessages(second.messages))).toBe(true);
    });

    it('read 2 only returns records at or after the state cursor minus the lookback (older CAT rule)', () => {
      const cursors = new Map(stateInput.map((s) => [s.stream.stream_descriptor.name, epoch(s.stream.stream_state['cursor'])]));
      const early: string[] = [];
      for (const record of recordMessages(second.messages)) {
        const stream = catalog.streams.find((s) => s.stream.name === record.stream);
        const field = stream?.cursor_field?.[0] as string;
        const cursor = cursors.get(record.stream);
        if (cursor === undefined) {
          early.push(`${record.stream}: read 1 left no cursor in its state`);
          continue;
        }
        // Every stream starts at cursor − lookback: windowed streams (expense_reports, the per-report children
        // via ReportLastModifiedDate, reports_detail via the window end ReportModifiedBefore) filter their
        // windows on the server; extract_jobs drops older jobs itself; travel_itineraries asks Concur for
        // "modified on or after" that instant in whole seconds, so its bound is the second it falls in.
        let threshold = cursor - lookbackMs;
        if (record.stream === 'travel_itineraries') threshold = Math.floor(threshold / 1000) * 1000;
        const value = epoch(record.data[field]);
        const ok = value !== undefined && (record.stream === 'reports_detail' ? value > threshold : value >= threshold);
        if (!ok) early.push(`${record.stream}: ${field} ${String(record.data[field])} is before ${new Date(threshold).toISOString()} (state cursor ${new Date(cursor).toISOString()} − ${lookbackMs / 60_000} min)`);
      }
      expect(early).toEqual([]);
    });
  });

  describe.skipIf(test.skip_comprehensive_incremental_tests)('test_read_sequential_slices', () => {
    interface Reread {
      stream: string;
      checkpoint: Checkpoint;
      position: number;
      of: number;
      records: RecordMessage[];
      result: CliResult;
    }
    const skipped: string[] = [];
    const rereads: Reread[] = [];
    const full = new Map<string, { result: CliResult; records: RecordMessage[] }>();
    const noCheckpoint: string[] = [];

    beforeAll(async () => {
      // CAT reads each stream alone, then re-reads it alone from sampled checkpoints. The connector reads the
      // configured streams one after the other, each from its own state, so a stream's messages in read 1 of
      // test_two_sequential_reads are that stream's solo read: they are reused instead of nine more runs.
      const firstReads = catalog.streams.map((s) => {
        const result: CliResult = { ...first, messages: messagesOf(first.messages, s.stream.name) };
        return { name: s.stream.name, result, records: recordMessages(result.messages) };
      });
      const plan: Array<{ stream: string; picked: Checkpoint[]; quota: number }> = [];
      for (const { name, result, records } of firstReads) {
        full.set(name, { result, records });
        // CAT: an empty stream, or one without state, has nothing to resume from.
        if (records.length === 0) {
          skipped.push(`${name}: no records`);
          continue;
        }
        if (streamStates(result.messages, name).length === 0) {
          skipped.push(`${name}: no STATE`);
          continue;
        }
        const picked = sample(checkpoints(result.messages, name));
        if (picked.length === 0) noCheckpoint.push(name);
        plan.push({ stream: name, picked, quota: 0 });
      }
      // Share the re-read budget evenly between streams; within a stream keep the sampled checkpoints evenly spread.
      for (let budget = MAX_REREADS; budget > 0 && plan.some((p) => p.quota < p.picked.length); ) {
        for (const p of plan) {
          if (budget > 0 && p.quota < p.picked.length) {
            p.quota++;
            budget--;
          }
        }
      }
      const jobs = plan.flatMap((p) => {
        const list = spread(p.picked, p.quota);
        if (list.length < p.picked.length) skipped.push(`${p.stream}: ${list.length} of ${p.picked.length} sampled checkpoints re-read (MAX_REREADS)`);
        return list.map((checkpoint, position) => ({ stream: p.stream, checkpoint, position, of: list.length }));
      });
      rereads.push(
        ...(await mapLimit(jobs, PARALLEL_READS, async (job) => {
          const result = await read(config, only(catalog, [job.stream]), stateFor(job.stream, job.checkpoint.state));
          return { ...job, result, records: recordMessages(result.messages) };
        })),
      );
      if (skipped.length > 0) console.info(`test_read_sequential_slices, not tested: ${skipped.join('; ')}`);
    }, 420_000);

    it('reads each incremental stream without errors, and finds a checkpoint to test in every stream with records', () => {
      for (const [name, { result }] of full) {
        expect(errors(result.messages), name).toEqual([]);
        expect(result.code, name).toBe(0);
        expect(streamStates(result.messages, name).length, `${name} states`).toBeGreaterThan(0);
      }
      expect(noCheckpoint, 'streams with records but no non-zero checkpoint (CAT fails these)').toEqual([]);
      expect(rereads.length).toBeGreaterThan(0);
    });

    it('re-reads from each sampled checkpoint at least the records it did not cover, and records that differ from the full read', () => {
      const problems: string[] = [];
      for (const r of rereads) {
        const where = `${r.stream} checkpoint ${r.position + 1}/${r.of} ${canonical(r.checkpoint.state)}`;
        if (errors(r.result.messages).length > 0 || r.result.code !== 0) problems.push(`${where}: read failed: ${JSON.stringify(errors(r.result.messages)).slice(0, 300)}`);
        if (r.records.length < r.checkpoint.expected) problems.push(`${where}: ${r.records.length} records, expected at least ${r.checkpoint.expected}`);
        if (!recordsDiffer(full.get(r.stream)?.records ?? [], r.records)) problems.push(`${where}: the same records as the full read`);
      }
      expect(problems).toEqual([]);
    });

    it('re-reads, from each sampled checkpoint, every record the full read emitted after it (project rule: no loss on resume)', () => {
      const problems: string[] = [];
      for (const r of rereads) {
        const stream = catalog.streams.find((s) => s.stream.name === r.stream);
        const pk = stream?.primary_key ?? stream?.stream.source_defined_primary_key ?? [];
        const after = recordMessages((full.get(r.stream)?.result.messages ?? []).slice(r.checkpoint.messageIndex + 1));
        const got = new Set(r.records.map((x) => keyOf(x.data, pk)));
        const lost = after.filter((x) => !got.has(keyOf(x.data, pk)));
        if (lost.length > 0) problems.push(`${r.stream} from ${canonical(r.checkpoint.state)}: ${lost.length} of ${after.length} later records missing, e.g. ${lost.slice(0, 3).map((x) => keyOf(x.data, pk)).join(' ')}`);
      }
      expect(problems).toEqual([]);
    });
  });

  describe('test_state_with_abnormally_large_values', () => {
    it('has a future_state covering every incremental stream (high strictness)', () => {
      expect(test.future_state_path, 'future_state.future_state_path').toBeDefined();
      const future = repoJson<StateInput>(test.future_state_path as string);
      const covered = new Set(future.map((s) => s.stream.stream_descriptor.name));
      const excused = new Set(test.missing_streams.map((s) => s.name));
      const uncovered = catalog.streams.map((s) => s.stream.name).filter((name) => !covered.has(name) && !excused.has(name));
      expect(uncovered).toEqual([]);
    });

    it.runIf(test.future_state_path !== undefined)('reads no records, and at least one STATE, from the far-future state', async () => {
      const result = await read(config, catalog, repoJson(test.future_state_path as string));
      expect(errors(result.messages)).toEqual([]);
      expect(result.code, result.stderr.slice(-2000)).toBe(0);
      const got = recordMessages(result.messages);
      expect(got.map((r) => r.stream), 'records read from a far-future state').toEqual([]);
      expect(streamStates(result.messages).length).toBeGreaterThan(0);
    }, 120_000);
  });
});

describe('checkpoint selection (CAT sampling, unit)', () => {
  const state = (stream: string, cursor: string, count: number): Message => ({
    type: 'STATE',
    state: { type: 'STREAM', stream: { stream_descriptor: { name: stream }, stream_state: { cursor } }, sourceStats: { recordCount: count } },
  });
  it('merges consecutive identical states, drops zero counts and computes what a re-read must return', () => {
    const messages = [state('s', 'a', 0), state('s', 'b', 2), state('s', 'b', 1), state('t', 'x', 5), state('s', 'c', 0), state('s', 'd', 4)];
    const list = checkpoints(messages, 's');
    expect(list.map((c) => [c.state['cursor'], c.count, c.expected])).toEqual([
      ['b', 3, 4],
      ['d', 4, 0],
    ]);
    expect(sample(list).map((c) => c.state['cursor'])).toEqual(['d']);
  });
  it('samples neither the first nor the last checkpoint, about five in all', () => {
    const messages = Array.from({ length: 28 }, (_, i) => state('s', String(i).padStart(2, '0'), 1));
    const picked = sample(checkpoints(messages, 's')).map((c) => c.state['cursor']);
    expect(picked).toEqual(['05', '10', '15', '20', '25']);
    const eight = sample(checkpoints(messages.slice(0, 8), 's')).map((c) => c.state['cursor']);
    expect(eight.length).toBeLessThanOrEqual(MAX_CHECKPOINTS_PER_STREAM);
    expect(eight).not.toContain('00');
    expect(eight).not.toContain('07');
  });
});
