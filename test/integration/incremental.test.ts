import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTimestamp } from '../../src/common/time.js';
import { errors, records, states, type CliResult, type Message } from '../helpers/run-cli.js';
import { startSimulator, type Simulator } from '../helpers/simulator.js';
import { read, simConfig, SIX_STREAMS, type Json } from './support.js';

// Incremental sync and state you can trust, for the expense-report family.
const HOUR = 3_600_000;

/** The platform's view of the state after a read: the last STATE per stream, as the --state file. */
function finalState(result: CliResult, streams: readonly string[] = SIX_STREAMS): Json[] {
  return streams.flatMap((stream) => {
    const last = states(result.messages, stream).at(-1);
    return last ? [{ type: 'STREAM', stream: last['state'].stream }] : [];
  });
}

const ids = (result: CliResult, stream: string) => records(result.messages, stream).map((r) => String(r['ID']));

describe('two sequential reads around changes in Concur', () => {
  let sim: Simulator;
  let first: CliResult;
  let second: CliResult;
  let changes: { newReportIds: string[]; editedReportIds: string[]; newEntryIds: string[]; reportIdsWithNewEntries: string[] };

  beforeAll(async () => {
    sim = await startSimulator(['--seed', '404', '--reports', '800', '--users', '40']);
    first = await read(sim, { mode: 'incremental' });
    changes = await sim.mutate({ newReports: 4, editReports: 5, newEntries: 6 });
    second = await read(sim, { mode: 'incremental', state: finalState(first) });
  }, 240_000);
  afterAll(async () => {
    await sim?.stop();
  });

  it('both reads succeed, the first reads everything', async () => {
    expect([first.code, second.code]).toEqual([0, 0]);
    expect(errors(second.messages)).toEqual([]);
    expect(ids(first, 'expense_reports')).toHaveLength(800);
  });

  it('the second read has every changed report: new, edited, and old ones with new entries', () => {
    const changed = new Set([...changes.newReportIds, ...changes.editedReportIds, ...changes.reportIdsWithNewEntries]);
    expect(changed.size).toBeGreaterThan(10);
    const got = new Set(ids(second, 'expense_reports'));
    for (const id of changed) expect(got.has(id), id).toBe(true);
    const details = new Set(ids(second, 'expense_reports_detail'));
    for (const id of changed) expect(details.has(id), id).toBe(true);
  });

  it('…and nothing else but the lookback overlap (here: nothing, the tenant is older than the lookback)', () => {
    const cursor = Date.parse(String(states(first.messages, 'expense_reports').at(-1)?.['state'].stream.stream_state.cursor));
    for (const report of records(second.messages, 'expense_reports')) {
      expect(parseTimestamp(String(report['LastModifiedDate']))).toBeGreaterThanOrEqual(cursor - HOUR);
    }
    const changed = new Set([...changes.newReportIds, ...changes.editedReportIds, ...changes.reportIdsWithNewEntries]);
    expect(new Set(ids(second, 'expense_reports'))).toEqual(changed);
  });

  it('children follow their reports: the new entries, and every entry of a changed report', async () => {
    const entries = records(second.messages, 'expense_entries');
    const got = new Set(entries.map((e) => String(e['ID'])));
    for (const id of changes.newEntryIds) expect(got.has(id), id).toBe(true);
    const changed = new Set([...changes.newReportIds, ...changes.editedReportIds, ...changes.reportIdsWithNewEntries]);
    expect(entries.every((e) => changed.has(String(e['ReportID'])))).toBe(true);
    const truth = (await sim.data('entries')).filter((e) => changed.has(String(e['ReportID'])));
    expect(got).toEqual(new Set(truth.map((e) => String(e['ID']))));
  });

  it('every stream keeps its own state and its cursor only moves forward', () => {
    for (const stream of SIX_STREAMS) {
      const before = Date.parse(String(states(first.messages, stream).at(-1)?.['state'].stream.stream_state.cursor));
      const after = Date.parse(String(states(second.messages, stream).at(-1)?.['state'].stream.stream_state.cursor));
      expect(after, stream).toBeGreaterThan(before);
    }
  });
});

describe('state from any checkpoint, a far-future state, a killed sync', () => {
  let sim: Simulator;
  let full: CliResult;
  // A checkpoint every ~100 records (the least allowed): several of them on a small tenant.
  const config = (sim: Simulator) => simConfig(sim, { slice_days: 60, checkpoint_interval: 100 });
  beforeAll(async () => {
    sim = await startSimulator(['--seed', '9', '--reports', '600', '--users', '30']);
    full = await read(sim, { mode: 'incremental', config: config(sim) });
  }, 240_000);
  afterAll(async () => {
    await sim?.stop();
  });

  // CAT test_read_sequential_slices: from the state at each checkpoint, a read returns at least the records that
  // the full read counted after that checkpoint.
  it.each(['expense_reports', 'expense_entries'])('%s: resumable from every intermediate checkpoint', async (stream) => {
    const checkpoints = states(full.messages, stream);
    const total = records(full.messages, stream).length;
    // Windows sized to ~100 records each (the last one may hold fewer, a probed empty stretch none).
    expect(checkpoints.length).toBeGreaterThanOrEqual(Math.min(6, Math.floor(total / 200)));
    let counted = 0;
    const sample = new Set([1, 3, Math.floor(checkpoints.length / 2), checkpoints.length - 3, checkpoints.length - 2]);
    for (const [index, checkpoint] of checkpoints.entries()) {
      counted += Number(checkpoint['state'].sourceStats.recordCount);
      if (!sample.has(index)) continue;
      const resumed = await read(sim, { streams: [stream], mode: 'incremental', config: config(sim), state: [{ type: 'STREAM', stream: checkpoint['state'].stream }] });
      expect(resumed.code).toBe(0);
      expect(records(resumed.messages, stream).length, `from checkpoint ${index}`).toBeGreaterThanOrEqual(total - counted);
    }
  }, 240_000);

  it('a far-future state reads nothing and still emits state, for every stream', async () => {
    const future = SIX_STREAMS.map((name) => ({ type: 'STREAM', stream: { stream_descriptor: { name }, stream_state: { cursor: '2999-01-01T00:00:00.000Z' } } }));
    const result = await read(sim, { mode: 'incremental', state: future });
    expect(result.code).toBe(0);
    expect(records(result.messages)).toEqual([]);
    for (const stream of SIX_STREAMS) {
      const last = states(result.messages, stream);
      expect(last.length, stream).toBeGreaterThanOrEqual(1);
      expect(last.at(-1)?.['state'].stream.stream_state).toEqual({ cursor: '2999-01-01T00:00:00.000Z' });
    }
  });

  it.each([0.15, 0.5, 0.85])('killed with SIGKILL at %f of the records, then resumed: nothing is missing', async (fraction) => {
    const slow = await startSimulator(['--seed', '9', '--reports', '600', '--users', '30', '--fault', 'latency:ms=3']);
    try {
      const total = records(full.messages).length;
      const killAt = Math.floor(total * fraction);
      const { runCli, jsonFile } = await import('../helpers/run-cli.js');
      const { configuredCatalog } = await import('./support.js');
      const catalog = jsonFile(await configuredCatalog(slow, SIX_STREAMS, 'incremental'));
      const killed = await runCli(['read', '--config', jsonFile(config(slow)), '--catalog', catalog], {
        killOn: { signal: 'SIGKILL', when: (m: Message, all: Message[]) => m.type === 'RECORD' && all.filter((x) => x.type === 'RECORD').length >= killAt },
      });
      expect(killed.signal).toBe('SIGKILL');
      // What the platform keeps of a killed run: the records before each stream's last STATE, and that state.
      const kept = new Map<string, Set<string>>();
      for (const stream of SIX_STREAMS) {
        const lastState = killed.messages.findLastIndex((m) => m.type === 'STATE' && m['state'].stream.stream_descriptor.name === stream);
        kept.set(stream, new Set(killed.messages.slice(0, lastState + 1).filter((m) => m.type === 'RECORD' && m['record'].stream === stream).map((m) => String(m['record'].data.ID))));
      }
      const resumed = await read(slow, { mode: 'incremental', config: config(slow), state: finalState(killed) });
      expect(resumed.code).toBe(0);
      for (const stream of SIX_STREAMS) {
        const union = new Set([...(kept.get(stream) ?? []), ...ids(resumed, stream)]);
        expect(union, stream).toEqual(new Set(ids(full, stream)));
      }
    } finally {
      await slow.stop();
    }
  }, 240_000);
});
