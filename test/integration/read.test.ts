import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertRecordsValid } from '../helpers/records.js';
import { errors, records, states, statuses, type CliResult } from '../helpers/run-cli.js';
import { SIM_ADMIN_LOGIN, startSimulator, type Simulator } from '../helpers/simulator.js';
import { compare, countedRecords, read, SIX_STREAMS, truth, type Json } from './support.js';

// A read of the six streams from a simulated tenant of 10,000 reports emits exactly the
// records the simulator holds (0 lost, 0 duplicated, identical content), all valid against their schemas.
describe('read: six streams from a 10,000-report tenant', () => {
  let sim: Simulator;
  let result: CliResult;
  let expected: Map<string, Json[]>;

  beforeAll(async () => {
    sim = await startSimulator(['--seed', '2026', '--reports', '10000', '--users', '150']);
    result = await read(sim);
    expected = await truth(sim);
  }, 300_000);
  afterAll(async () => {
    await sim?.stop();
  });

  it('exits 0 without error traces', () => {
    expect(errors(result.messages)).toEqual([]);
    expect(result.code).toBe(0);
  });

  it.each(SIX_STREAMS)('%s: every record once, none lost, none extra, content as Concur sent it', (stream) => {
    const comparison = compare(result.messages, stream, expected.get(stream) ?? []);
    expect(comparison.expected).toBeGreaterThan(1000);
    expect({ lost: comparison.lost.length, duplicated: comparison.duplicated.length, unexpected: comparison.unexpected.length, different: comparison.different.slice(0, 3) }).toEqual({
      lost: 0,
      duplicated: 0,
      unexpected: 0,
      different: [],
    });
    expect(comparison.emitted).toBe(comparison.expected);
  });

  it.each(SIX_STREAMS)('%s: records valid against the schema (strict integers, no undeclared field)', (stream) => {
    assertRecordsValid(stream, records(result.messages, stream));
  });

  it.each(SIX_STREAMS)('%s: statuses STARTED, RUNNING, COMPLETE and state counts that add up', (stream) => {
    expect(statuses(result.messages, stream)).toEqual(['STARTED', 'RUNNING', 'COMPLETE']);
    expect(countedRecords(result.messages, stream)).toBe(records(result.messages, stream).length);
    const cursors = states(result.messages, stream).map((m) => String(m['state'].stream.stream_state.cursor));
    expect(cursors.every((c) => /Z$/.test(c))).toBe(true);
    expect([...cursors].sort()).toEqual(cursors);
  });

  it('child records carry their report\'s LastModifiedDate as the cursor field', () => {
    const reports = new Map((expected.get('expense_reports') ?? []).map((r) => [r['ID'], r['LastModifiedDate']]));
    const entries = new Map((expected.get('expense_entries') ?? []).map((e) => [e['ID'], e['ReportID']]));
    for (const entry of records(result.messages, 'expense_entries')) expect(entry['ReportLastModifiedDate']).toBe(reports.get(entry['ReportID']));
    for (const allocation of records(result.messages, 'expense_allocations')) {
      expect(allocation['ReportLastModifiedDate']).toBe(reports.get(entries.get(allocation['EntryID'])));
    }
    for (const link of records(result.messages, 'entry_attendee_associations')) {
      expect(link['ReportLastModifiedDate']).toBe(reports.get(entries.get(link['EntryID'])));
    }
  });

  it('reads children per report with the owner\'s login, and reports company-wide', async () => {
    const log = await sim.requests();
    const lists = log.filter((r) => r.path === '/api/v3.0/expense/reports');
    expect(lists.length).toBeGreaterThan(0);
    // Pages of 100; a probe of whether a window holds anything asks for one record.
    expect(lists.every((r) => r.query['user'] === 'ALL' && (r.query['limit'] === '100' || r.query['limit'] === '1'))).toBe(true);
    const entries = log.filter((r) => r.path === '/api/v3.0/expense/entries');
    // The owner's login, except for the token user's own reports (Concur's default needs no parameter).
    const owners = new Map((expected.get('expense_reports') ?? []).map((r) => [String(r['ID']), String(r['OwnerLoginID'])]));
    expect(entries.every((r) => r.query['reportID'] && r.query['user'] === (owners.get(r.query['reportID']) === SIM_ADMIN_LOGIN ? undefined : owners.get(r.query['reportID'])))).toBe(true);
    expect(entries.some((r) => r.query['user'] === undefined)).toBe(true);
    const allocations = log.filter((r) => r.path === '/api/v3.0/expense/allocations');
    expect(allocations.every((r) => r.query['reportID'] && r.query['user'] === undefined)).toBe(true);
    expect(log.every((r) => r.status === 200)).toBe(true);
  });
});
