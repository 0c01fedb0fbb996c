import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errors, records, states, type CliResult } from '../helpers/run-cli.js';
import { startSimulator, type MutationResult, type Simulator } from '../helpers/simulator.js';
import { companyConfig, discoveredStreams, EVERY_TRIP, read, simConfig, type Json } from './support.js';

// Incremental sync for the streams outside the v3 report family: travel_itineraries (server "modified since" filter),
// reports_detail (the v2 list's modified-after filter, per status bucket), extract_jobs (start time, client side).
const STREAMS = ['travel_itineraries', 'reports_detail', 'extract_jobs'] as const;
const KEY: Record<(typeof STREAMS)[number], string> = { travel_itineraries: 'TripId', reports_detail: 'ReportID', extract_jobs: 'job_id' };

function finalState(result: CliResult, streams: readonly string[]): Json[] {
  return streams.flatMap((stream) => {
    const last = states(result.messages, stream).at(-1);
    return last ? [{ type: 'STREAM', stream: last['state'].stream }] : [];
  });
}
const byTripId = (a: Json, b: Json): number => String(a['TripId']).localeCompare(String(b['TripId']));
const keys = (result: CliResult, stream: (typeof STREAMS)[number]) => records(result.messages, stream).map((r) => String(r[KEY[stream]]));

describe('incremental: itineraries, v2 report details and extract jobs', () => {
  let sim: Simulator;
  let first: CliResult;
  let second: CliResult;
  let changes: MutationResult;
  let tripsBefore: string[];
  // No lookback: the second read must then hold exactly what changed in between (the lookback is covered elsewhere).
  const config = (s: Simulator) => simConfig(s, { lookback_minutes: 0 });

  beforeAll(async () => {
    sim = await startSimulator(['--seed', '77', '--reports', '300', '--users', '15', '--trips-per-user', '3', '--extract-jobs', '20']);
    first = await read(sim, { streams: STREAMS, mode: 'incremental', config: config(sim) });
    tripsBefore = (await sim.data('trips', EVERY_TRIP)).map((t) => String(t['TripId']));
    // Timestamps of trips and jobs have second precision, and a definition's jobs start a second apart: keep the
    // changes clearly after the first read and before the second.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    changes = await sim.mutate({ newTrips: 3, editTrips: 4, cancelTrips: 2, newJobs: 2, newReports: 2, editReports: 3 });
    await new Promise((resolve) => setTimeout(resolve, 2100));
    second = await read(sim, { streams: STREAMS, mode: 'incremental', config: config(sim), state: finalState(first, STREAMS) });
  }, 240_000);
  afterAll(async () => {
    await sim?.stop();
  });

  it('both reads succeed; the first reads every trip, report and listed job', () => {
    expect([first.code, second.code]).toEqual([0, 0]);
    expect(errors(second.messages)).toEqual([]);
    expect(new Set(keys(first, 'travel_itineraries'))).toEqual(new Set(tripsBefore));
    expect(keys(first, 'reports_detail')).toHaveLength(300);
    expect(keys(first, 'extract_jobs').length).toBeGreaterThan(50);
  });

  it('travel_itineraries: the second read has exactly the new, edited and canceled trips', () => {
    expect(new Set(keys(second, 'travel_itineraries'))).toEqual(new Set([...changes.newTripIds, ...changes.editedTripIds, ...changes.canceledTripIds]));
  });

  it('travel_itineraries: a trip canceled between the reads arrives again with TripStatus 2; the latest record of each trip is the ground truth', async () => {
    expect(changes.canceledTripIds).toHaveLength(2);
    const read1 = new Map(records(first.messages, 'travel_itineraries').map((t) => [String(t['TripId']), t]));
    const read2 = new Map(records(second.messages, 'travel_itineraries').map((t) => [String(t['TripId']), t]));
    for (const id of changes.canceledTripIds) {
      expect(read1.get(id)?.['TripStatus'], id).toBeOneOf([0, 1]);
      expect(read2.get(id)?.['TripStatus'], id).toBe(2);
    }
    // What an append-dedup destination holds after the two syncs: every trip as Concur has it now.
    const latest = new Map([...read1, ...read2]);
    const truth = await sim.data('trips', EVERY_TRIP);
    expect([...latest.values()].sort(byTripId)).toEqual([...truth].sort(byTripId));
    // The tenant has trips the default list leaves out, canceled and virtual ones.
    const listedByDefault = new Set((await sim.data('trips')).map((t) => t['TripId']));
    const virtual = (await sim.data('trips', { includeVirtualTrip: '1' })).filter((t) => !listedByDefault.has(t['TripId']));
    expect(virtual.length).toBeGreaterThan(0);
    expect(truth.filter((t) => t['TripStatus'] === 2).length).toBeGreaterThan(changes.canceledTripIds.length);
  });

  it('reports_detail: the second read has exactly the new and edited reports', () => {
    expect(new Set(keys(second, 'reports_detail'))).toEqual(new Set([...changes.newReportIds, ...changes.editedReportIds]));
  });

  it('extract_jobs: the second read has the new jobs and the ones still running, and nothing older than the cursor', () => {
    const got = new Set(keys(second, 'extract_jobs'));
    for (const id of changes.newJobIds) expect(got.has(id), id).toBe(true);
    const firstJobs = records(first.messages, 'extract_jobs');
    const running = firstJobs.filter((j) => j['stop-time'] === null);
    expect(running.length).toBeGreaterThan(0);
    for (const job of running) expect(got.has(String(job['job_id'])), String(job['job_id'])).toBe(true);
    // A running job holds the stream's cursor at its start time, so it is read again until it finishes.
    const cursor = Date.parse(String(states(first.messages, 'extract_jobs').at(-1)?.['state'].stream.stream_state.cursor));
    expect(cursor).toBe(Math.min(...running.map((j) => Date.parse(String(j['start-time'])))));
    for (const job of records(second.messages, 'extract_jobs')) expect(Date.parse(String(job['start-time']))).toBeGreaterThanOrEqual(cursor);
    expect(got.size).toBeLessThan(firstJobs.length);
  });

  it('each stream keeps its own cursor, which only moves forward', () => {
    for (const stream of STREAMS) {
      const before = Date.parse(String(states(first.messages, stream).at(-1)?.['state'].stream.stream_state.cursor));
      const after = Date.parse(String(states(second.messages, stream).at(-1)?.['state'].stream.stream_state.cursor));
      expect(after, stream).toBeGreaterThanOrEqual(before);
    }
  });

  it('a far-future state reads nothing and still emits state, for every incremental stream of the catalog', async () => {
    const incremental = (await discoveredStreams(sim)).filter((s) => (s['supported_sync_modes'] as string[]).includes('incremental')).map((s) => String(s['name']));
    expect(incremental).toHaveLength(10);
    const future = incremental.map((name) => ({ type: 'STREAM', stream: { stream_descriptor: { name }, stream_state: { cursor: '2999-01-01T00:00:00.000Z' } } }));
    // Discovered with a company token (user_information included), so read with one.
    const result = await read(sim, { streams: incremental, mode: 'incremental', state: future, config: companyConfig(sim) });
    expect(result.code).toBe(0);
    expect(records(result.messages)).toEqual([]);
    for (const stream of incremental) {
      expect(states(result.messages, stream).at(-1)?.['state'].stream.stream_state, stream).toEqual({ cursor: '2999-01-01T00:00:00.000Z' });
    }
  });

  it('reports_detail: resumable from intermediate checkpoints (at least the records counted after each)', async () => {
    const full = await read(sim, { streams: ['reports_detail'], mode: 'incremental', config: simConfig(sim, { slice_days: 60, checkpoint_interval: 100 }) });
    const checkpoints = states(full.messages, 'reports_detail');
    const total = records(full.messages, 'reports_detail').length;
    expect(checkpoints.length).toBeGreaterThanOrEqual(Math.min(5, Math.floor(total / 200)));
    let counted = 0;
    const sample = new Set([1, Math.floor(checkpoints.length / 2), checkpoints.length - 2]);
    for (const [index, checkpoint] of checkpoints.entries()) {
      counted += Number(checkpoint['state'].sourceStats.recordCount);
      if (!sample.has(index)) continue;
      const resumed = await read(sim, {
        streams: ['reports_detail'],
        mode: 'incremental',
        config: simConfig(sim, { slice_days: 60, checkpoint_interval: 100 }),
        state: [{ type: 'STREAM', stream: checkpoint['state'].stream }],
      });
      expect(resumed.code).toBe(0);
      expect(records(resumed.messages, 'reports_detail').length, `from checkpoint ${index}`).toBeGreaterThanOrEqual(total - counted);
    }
  }, 240_000);
});
