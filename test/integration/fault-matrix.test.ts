import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { report } from '../helpers/fault-report.js';
import { assertRecordsValid } from '../helpers/records.js';
import { byType, errors, records, states, statuses, type CliResult, type Message } from '../helpers/run-cli.js';
import { startSimulator, type FaultStatus, type Simulator } from '../helpers/simulator.js';
import { ALL_STREAMS, expectSameRecords, groundTruth, measureRecords, type Expectation, type Stream } from './ground-truth.js';
import { companyConfig, countedRecords, read, type Json } from './support.js';

// Every stream family × every simulator fault. Each run reads all twenty-five streams with a company token
// (the one credential that reaches every family, Identity v4.1 included) while a fault hits every family's
// requests; the records must equal the fault-free ground truth, the sync must succeed, and each family must have
// been hit (checked on the simulator's fault counters or request log, so a fault that never fired cannot pass).

interface Family {
  /** Substring of the request paths of this family (the simulator's `path=` filter). */
  path: string;
  format: 'json' | 'xml';
  streams: readonly Stream[];
  /** How many requests the family makes at least in these runs: a permanent outage starts at the last of them. */
  requests: number;
  /** The family its parent records come from: an outage there fails this family's streams too. */
  needs?: string;
}

const FAMILIES: Readonly<Record<string, Family>> = {
  'v3 JSON list': { path: '/api/v3.0/common/', format: 'json', streams: ['list_items', 'locations'], requests: 2 },
  'v3 child per report': { path: '/api/v3.0/expense/entries', format: 'json', streams: ['expense_entries'], requests: 40 },
  'XML v1.1': { path: '/expensereport/v1.1/', format: 'xml', streams: ['expense_form'], requests: 3 },
  'XML v2 list+detail': { path: '/expensereport/v2.0/', format: 'xml', streams: ['reports_detail'], requests: 40 },
  Extract: { path: '/api/expense/extract/', format: 'xml', streams: ['extract_definitions', 'extract_jobs'], requests: 1 },
  // One request per owner (nine users, one of them over a page). Its owners come from Identity, so the two fail in
  // the same run of the retries-exhausted pair: listed two places before Identity, they keep the same parity.
  'Attendees v4': { path: '/v4/attendees', format: 'json', streams: ['attendees_v4'], requests: 9, needs: 'Identity' },
  Itinerary: { path: '/api/travel/trip/', format: 'xml', streams: ['travel_itineraries'], requests: 1 },
  Identity: { path: '/profile/identity/', format: 'json', streams: ['user_information'], requests: 1 },
  'Attendee Types v4': { path: '/v4/attendeetypes', format: 'json', streams: ['attendee_types_v4'], requests: 1 },
  // The lists, then each list's first level and the children of every item that has some (page numbers). Both
  // streams start with the list of lists (list_items_v4 walks it as its parent), so an outage from the first
  // request is the one that reaches both.
  'List v4': { path: '/list/v4/', format: 'json', streams: ['lists_v4', 'list_items_v4'], requests: 1 },
  // The company's groups, then each of the six whole.
  'Expense Configuration v4': { path: '/expenseconfig/v4/', format: 'json', streams: ['expense_group_configurations_v4'], requests: 7 },
};
const FAMILY_NAMES = Object.keys(FAMILIES);
const family = (name: string): Family => FAMILIES[name] as Family;

const TENANT = ['--seed', '515', '--reports', '120', '--users', '8', '--trips-per-user', '2', '--extract-jobs', '15', '--locations', '150'];

interface Scenario {
  name: string;
  /** Fault specs aimed at one family's requests. */
  perFamily: (f: Family) => string[];
  /** Run-wide fault specs. */
  global?: string[];
  flags?: string[];
  config?: Json;
}

const once = (name: string, extra = '') => (f: Family) => [`${name}:path=${f.path},every=1,count=1${extra}`];
const SCENARIOS: Scenario[] = [
  // The first request of every family is throttled; the report children are also throttled in mid-stream.
  { name: '429 with Retry-After in seconds', perFamily: (f) => [...once('429')(f), ...(f.streams.includes('expense_entries') ? [`429:path=${f.path},every=7,count=3`] : [])] },
  { name: '429 with Retry-After as an HTTP-date', perFamily: once('429', ',retry-after=date') },
  { name: '429 without Retry-After', perFamily: once('429', ',retry-after=none') },
  { name: '500 bursts', perFamily: (f) => [`500:path=${f.path},every=1,burst=2,count=2`] },
  { name: '503 bursts', perFamily: (f) => [`503:path=${f.path},every=1,burst=2,count=2`] },
  { name: 'a latency spike past the client timeout', perFamily: once('slow', ',ms=6500'), config: { request_timeout_seconds: 5 } },
  { name: 'connection reset mid-body', perFamily: once('reset') },
  { name: 'truncated body', perFamily: once('truncate') },
  { name: 'malformed JSON', perFamily: (f) => (f.format === 'json' ? once('malformed-json')(f) : []) },
  { name: 'malformed XML', perFamily: (f) => (f.format === 'xml' ? once('malformed-xml')(f) : []) },
  // The access token in use expires at a request of every family (twice per family): the connector refreshes and
  // retries; with rotation, each refresh also replaces the refresh token.
  { name: 'access token expiring mid-sync (401)', perFamily: (f) => [`token-expiry:after=1,path=${f.path},count=2`] },
  { name: 'access token expiring mid-sync (403)', perFamily: (f) => [`token-expiry:after=1,path=${f.path},count=2`], flags: ['--expired-token-status', '403'] },
  { name: 'refresh token rotating on every refresh', global: ['rotate-refresh'], perFamily: (f) => [`token-expiry:after=1,path=${f.path},count=2`] },
];

// For `npm run test:faults`: each stream's records against the ground truth, under its family's name, and
// whether each family's faults fired (a cell of the matrix).
const SUITE = 'fault matrix';
const NOT_TARGETED = 'other streams (no fault aimed)';
const familyOf = (stream: Stream): string => FAMILY_NAMES.find((name) => family(name).streams.includes(stream)) ?? NOT_TARGETED;
function measure(scenario: string, result: CliResult, truth: Map<Stream, Expectation>, streams: readonly Stream[] = ALL_STREAMS): void {
  for (const stream of streams) measureRecords(result, stream, truth.get(stream), { suite: SUITE, family: familyOf(stream), scenario });
}
function measureFaults(scenario: string, faults: readonly FaultStatus[]): void {
  for (const name of FAMILY_NAMES) {
    const aimed = faults.filter((f) => f.spec.includes(`path=${family(name).path},`));
    if (aimed.length > 0) report({ suite: SUITE, family: name, scenario, kind: 'fault', specs: aimed.length, fired: aimed.filter((f) => f.injected > 0).length });
  }
}

const streamOf = (m: Message): string | undefined =>
  m.type === 'RECORD' ? m.record.stream : m.type === 'STATE' ? m.state.stream.stream_descriptor.name : m.type === 'TRACE' ? (m.trace.stream_status ?? m.trace.error)?.stream_descriptor?.name : undefined;

describe('fault matrix: every stream family under every fault', () => {
  it('the fault-free run reads every family, exactly the records served', async () => {
    const sim = await startSimulator(TENANT);
    try {
      const clean = await read(sim, { streams: ALL_STREAMS, config: companyConfig(sim) });
      expect(clean.code).toBe(0);
      const truth = await groundTruth(sim, 'company');
      measure('no fault', clean, truth);
      for (const stream of ALL_STREAMS) expectSameRecords(clean, stream, truth.get(stream));
      for (const name of FAMILY_NAMES) for (const stream of family(name).streams) expect(records(clean.messages, stream).length, stream).toBeGreaterThan(0);
    } finally {
      await sim.stop();
    }
  }, 120_000);

  it.each(SCENARIOS)('$name: same records as without faults, exit 0, every family hit', async (scenario) => {
    const specs = [...(scenario.global ?? []), ...FAMILY_NAMES.flatMap((name) => scenario.perFamily(family(name)))];
    const sim = await startSimulator([...TENANT, ...(scenario.flags ?? []), ...specs.flatMap((s) => ['--fault', s])]);
    try {
      const result = await read(sim, { streams: ALL_STREAMS, config: companyConfig(sim, scenario.config ?? {}) });
      const faults = await sim.faults();
      // The simulator's data is the same with or without faults (the /_sim routes are never faulted).
      const truth = await groundTruth(sim, 'company');
      measureFaults(scenario.name, faults);
      measure(scenario.name, result, truth);
      expect(errors(result.messages)).toEqual([]);
      expect(result.code).toBe(0);
      // Every family was hit: each per-family spec fired (its counters), so a fault that never fired cannot pass.
      for (const status of faults) {
        if (status.name !== 'rotate-refresh') expect({ spec: status.spec, hit: status.injected > 0 }).toEqual({ spec: status.spec, hit: true });
      }
      for (const stream of ALL_STREAMS) {
        expectSameRecords(result, stream, truth.get(stream));
        // The comparison leaves out fields the connector adds; the schema check covers them too.
        assertRecordsValid(stream, records(result.messages, stream));
        expect(statuses(result.messages, stream).filter((s) => s !== 'RUNNING'), stream).toEqual(['STARTED', 'COMPLETE']);
        expect(countedRecords(result.messages, stream), stream).toBe(records(result.messages, stream).length);
      }
      if (scenario.name.startsWith('429')) {
        // While it waits, the stream says so: RUNNING with a RATE_LIMITED reason and when the wait ends.
        const limited = result.messages.filter((m) => m.type === 'TRACE' && m.trace.stream_status?.reasons?.[0]?.type === 'RATE_LIMITED');
        expect(limited.length).toBeGreaterThanOrEqual(FAMILY_NAMES.length);
        for (const m of limited) expect(m.trace.stream_status.reasons[0].rate_limited.quota_reset).toBeGreaterThanOrEqual(m.trace.emitted_at);
      }
      if (scenario.global?.includes('rotate-refresh')) {
        // Every rotation reaches the platform as a CONTROL message carrying the newest refresh token.
        const controls = byType(result.messages, 'CONTROL').map((m) => (m['control'].connectorConfig.config as Json)['credentials'] as Json);
        expect(controls.length).toBeGreaterThanOrEqual(3);
        expect(new Set(controls.map((c) => c['refresh_token'])).size).toBe(controls.length);
      }
    } finally {
      await sim.stop();
    }
  }, 300_000);

  // Retries run out (503 on every request of the family from its 4th on; Retry-After 0 keeps the test quick, the
  // attempt limit is what ends it): those streams end INCOMPLETE with a transient error after their last good
  // state, every other family completes. Two runs, so each family fails in one and completes in the other.
  describe.each([
    ['odd', FAMILY_NAMES.filter((_, i) => i % 2 === 0)],
    ['even', FAMILY_NAMES.filter((_, i) => i % 2 === 1)],
  ])('retries exhausted for the %s families', (label, failing) => {
    const scenario = `retries exhausted (${label} families)`;
    let sim: Simulator;
    let result: CliResult;
    let truth: Map<Stream, Expectation>;
    beforeAll(async () => {
      const specs = failing.map((name) => `503:path=${family(name).path},every=${family(name).requests},burst=100000,retry-after=0`);
      sim = await startSimulator([...TENANT, ...specs.flatMap((s) => ['--fault', s])]);
      result = await read(sim, { streams: ALL_STREAMS, config: companyConfig(sim, { slice_days: 120 }) });
      truth = await groundTruth(sim, 'company');
      measureFaults(scenario, await sim.faults());
    }, 300_000);
    afterAll(async () => {
      await sim?.stop();
    });

    it('a family fails in the same run as the family its parents come from', () => {
      for (const name of FAMILY_NAMES) {
        const needs = family(name).needs;
        if (needs !== undefined) expect({ name, fails: failing.includes(name) }).toEqual({ name, fails: failing.includes(needs) });
      }
    });

    it('exits non-zero, each failed stream with one transient_error trace and INCOMPLETE', () => {
      expect(result.code).toBe(1);
      const failed = new Set(failing.flatMap((name) => family(name).streams));
      for (const stream of failed) {
        expect(statuses(result.messages, stream).at(-1), stream).toBe('INCOMPLETE');
        const traces = errors(result.messages).filter((e) => e.stream_descriptor?.name === stream);
        expect(traces.map((t) => t.failure_type), stream).toEqual(['transient_error']);
        expect(String(traces[0]?.message)).toMatch(/HTTP 503/);
      }
    });

    it('a failed stream that had checkpointed emits its last good state before INCOMPLETE, and counts stay exact', () => {
      for (const name of failing) {
        for (const stream of family(name).streams) {
          const own = result.messages.filter((m) => streamOf(m) === stream);
          const incomplete = own.findIndex((m) => m.type === 'TRACE' && m.trace.stream_status?.status === 'INCOMPLETE');
          const before = own.slice(0, incomplete);
          // The states count exactly the records before them; records after the last one are not claimed done.
          const lastState = before.findLastIndex((m) => m.type === 'STATE');
          expect(countedRecords(result.messages, stream), stream).toBe(before.slice(0, lastState + 1).filter((m) => m.type === 'RECORD').length);
          if (states(result.messages, stream).length > 0 && before.some((m) => m.type === 'RECORD')) {
            expect(before.filter((m) => m.type === 'RECORD' || m.type === 'STATE').at(-1)?.type, stream).toBe('STATE');
          }
        }
      }
    });

    it('every other family completes with all its records', () => {
      const others = FAMILY_NAMES.filter((name) => !failing.includes(name)).flatMap((name) => family(name).streams);
      measure(scenario, result, truth, others);
      for (const stream of others) {
        expect(statuses(result.messages, stream).at(-1), stream).toBe('COMPLETE');
        expectSameRecords(result, stream, truth.get(stream));
      }
    });
  });
});
