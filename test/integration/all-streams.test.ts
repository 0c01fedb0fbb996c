import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertRecordsValid } from '../helpers/records.js';
import { errors, records, statuses, type CliResult } from '../helpers/run-cli.js';
import { SIM_ADMIN_LOGIN, startSimulator, type Simulator } from '../helpers/simulator.js';
import { ALL_STREAMS, COMPANY_TOKEN_STREAMS, expectSameRecords, groundTruth, TOKEN_USER_STREAMS, type Expectation, type Stream } from './ground-truth.js';
import { companyConfig, countedRecords, discoveredStreams, read, simConfig } from './support.js';

// A full-refresh read of all twenty-five streams emits, per stream, exactly the records the
// simulator served (0 lost, 0 duplicated, same content), all valid against their schemas, each stream
// STARTED → RUNNING → COMPLETE. Two connections, because no single Concur credential sees everything:
// a Web Services Administrator's password grant (the token-user streams have the admin's own data; User v1
// gives the admin's profile) and a company token (Identity v4.1 lists every user; a company owns no personal
// data, so the token-user streams are empty). The admin's user token does not read the company-token-only
// streams (Attendee Types v4): discover does not offer them to it.

const ADMIN_STREAMS = ALL_STREAMS.filter((s) => !COMPANY_TOKEN_STREAMS.includes(s));

describe('read: all twenty-five streams, full refresh, against the simulator', () => {
  let sim: Simulator;
  let admin: CliResult;
  let company: CliResult;
  let adminTruth: Map<Stream, Expectation>;
  let companyTruth: Map<Stream, Expectation>;

  beforeAll(async () => {
    sim = await startSimulator(['--seed', '3003', '--reports', '600', '--users', '20', '--trips-per-user', '4']);
    admin = await read(sim, { streams: ADMIN_STREAMS, config: simConfig(sim, { user: 'ALL', user_information_api: 'user_v1' }) });
    company = await read(sim, { streams: ALL_STREAMS, config: companyConfig(sim) });
    adminTruth = await groundTruth(sim, { login: SIM_ADMIN_LOGIN });
    companyTruth = await groundTruth(sim, 'company');
  }, 300_000);
  afterAll(async () => {
    await sim?.stop();
  });

  it('discover lists exactly these twenty-five streams', async () => {
    expect((await discoveredStreams(sim)).map((s) => s['name']).sort()).toEqual([...ALL_STREAMS].sort());
  });

  it('both reads exit 0 without error traces', () => {
    expect(errors(admin.messages)).toEqual([]);
    expect(admin.code).toBe(0);
    expect(errors(company.messages)).toEqual([]);
    expect(company.code).toBe(0);
  });

  it.each(ADMIN_STREAMS)("%s as a Web Services Administrator: exactly the records served", (stream) => {
    expectSameRecords(admin, stream, adminTruth.get(stream));
  });

  it.each(ALL_STREAMS)('%s with a company token: exactly the records served', (stream) => {
    expectSameRecords(company, stream, companyTruth.get(stream));
  });

  it('the tenant is not trivial: every stream has records for one of the two credentials', () => {
    for (const stream of ALL_STREAMS) {
      const most = Math.max(records(admin.messages, stream).length, records(company.messages, stream).length);
      expect({ stream, most: most > 0 }).toEqual({ stream, most: true });
    }
    for (const stream of TOKEN_USER_STREAMS) expect({ stream, n: records(company.messages, stream).length }).toEqual({ stream, n: 0 });
    expect(records(company.messages, 'user_information').length).toBeGreaterThan(20);
  });

  it("attendees_v4: every owner's attendees with a company token (pages of 100 followed), only the admin's own with the admin's user token", () => {
    const byOwner = (result: CliResult): Map<unknown, number> => {
      const counts = new Map<unknown, number>();
      for (const r of records(result.messages, 'attendees_v4')) counts.set(r['ownerUserId'], (counts.get(r['ownerUserId']) ?? 0) + 1);
      return counts;
    };
    const company_ = byOwner(company);
    expect(company_.size).toBeGreaterThan(10);
    expect(Math.max(...company_.values())).toBeGreaterThan(100);
    const own = byOwner(admin);
    expect(own.size).toBe(1);
    expect([...own.values()][0]).toBeGreaterThan(0);
  });

  it.each(ALL_STREAMS)('%s: records valid against the schema (strict integers, no undeclared top-level field)', (stream) => {
    if (ADMIN_STREAMS.includes(stream)) assertRecordsValid(stream, records(admin.messages, stream));
    assertRecordsValid(stream, records(company.messages, stream));
  });

  it.each(ALL_STREAMS)('%s: statuses STARTED, RUNNING, COMPLETE; state counts add up to the records', (stream) => {
    for (const result of ADMIN_STREAMS.includes(stream) ? [admin, company] : [company]) {
      expect(statuses(result.messages, stream)).toEqual(['STARTED', 'RUNNING', 'COMPLETE']);
      expect(countedRecords(result.messages, stream)).toBe(records(result.messages, stream).length);
    }
  });

  it('ends with a summary, one LOG line per stream (status, records, states, requests, retries, time), then the totals', () => {
    const lines = admin.messages
      .filter((m) => m.type === 'LOG' && String(m['log'].message).startsWith('Sync summary: '))
      .map((m) => String(m['log'].message).slice('Sync summary: '.length));
    expect(lines.every((line) => !line.includes('\n'))).toBe(true);
    expect(lines).toHaveLength(ADMIN_STREAMS.length + 2);
    for (const stream of ADMIN_STREAMS) {
      const line = lines.find((l) => l.startsWith(`${stream}: `));
      expect(line, stream).toMatch(new RegExp(`^${stream}: COMPLETE, ${records(admin.messages, stream).length} records, \\d+ states, [1-9]\\d* requests, \\d+ retries, [\\d.]+ s$`));
    }
    expect(lines.at(-1)).toMatch(/^process: [\d.]+ s CPU, peak RSS \d+ MB$/);
  });
});

describe('ESTIMATE traces where Concur gives totals', () => {
  let sim: Simulator;
  let company: CliResult;
  let truth: Map<Stream, Expectation>;

  beforeAll(async () => {
    sim = await startSimulator(['--seed', '3004', '--reports', '40', '--users', '1300', '--trips-per-user', '1']);
    company = await read(sim, { streams: ['user_information', 'travel_itineraries', 'expense_reports', 'expense_entries'], config: companyConfig(sim) });
    truth = await groundTruth(sim, 'company');
  }, 300_000);
  afterAll(async () => {
    await sim?.stop();
  });

  const estimates = (stream: string) =>
    company.messages.filter((m) => m.type === 'TRACE' && m['trace'].type === 'ESTIMATE' && m['trace'].estimate.name === stream).map((m) => m['trace'].estimate);

  it.each(['user_information', 'travel_itineraries'])('%s: one ESTIMATE, before its first record, of the rows Concur totals (over pages)', (stream) => {
    expect(company.code).toBe(0);
    const served = records(company.messages, stream).length;
    expect(served).toBeGreaterThan(100); // more than one page: the total is the list's, not the page's
    expect(served).toBe(truth.get(stream as Stream)?.records.length);
    expect(estimates(stream)).toEqual([{ name: stream, type: 'STREAM', row_estimate: served }]);
    const first = company.messages.findIndex((m) => m.type === 'RECORD' && m['record'].stream === stream);
    const estimate = company.messages.findIndex((m) => m.type === 'TRACE' && m['trace'].type === 'ESTIMATE' && m['trace'].estimate.name === stream);
    expect(estimate).toBeLessThan(first);
  });

  it('streams whose API gives no total send none (a guess would mislead the progress bar)', () => {
    expect(estimates('expense_reports')).toEqual([]);
    expect(estimates('expense_entries')).toEqual([]);
  });
});
