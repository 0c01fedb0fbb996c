import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIM_ADMIN_LOGIN, SIM_USER_LOGIN, startSimulator, type SimCollection, type Simulator } from '../helpers/simulator.js';
import { CONCUR_TIMESTAMP, concurMs, type Json } from './support.js';

const ARGS = ['--seed', '7', '--users', '6', '--reports', '60', '--entries-per-report', '4', '--from', '2025-01-01', '--to', '2025-06-30'];
const COLLECTIONS: SimCollection[] = ['reports', 'entries', 'itemizations', 'allocations', 'entry_attendee_associations', 'attendees', 'users'];

/** Ground truth with this process's base URL replaced, so two processes can be compared. */
async function normalizedData(sim: Simulator, collection: SimCollection): Promise<string> {
  const res = await fetch(`${sim.url}/_sim/data/${collection}`);
  return (await res.text()).replaceAll(sim.url, 'http://sim');
}

describe('tenant determinism', () => {
  it('gives byte-identical data for the same flags in two processes, different data for another seed', async () => {
    const [a, b, c] = await Promise.all([startSimulator(ARGS), startSimulator(ARGS), startSimulator([...ARGS.slice(2), '--seed', '8'])]);
    try {
      for (const collection of COLLECTIONS) {
        const [da, db] = await Promise.all([normalizedData(a, collection), normalizedData(b, collection)]);
        expect(da.length, collection).toBeGreaterThan(0);
        expect(da, collection).toBe(db);
      }
      expect(await normalizedData(c, 'reports')).not.toBe(await normalizedData(a, 'reports'));
    } finally {
      await Promise.all([a.stop(), b.stop(), c.stop()]);
    }
  });
});

describe('tenant relations', () => {
  let sim: Simulator;
  let reports: Json[];
  let entries: Json[];
  let itemizations: Json[];
  let allocations: Json[];
  let associations: Json[];
  let attendees: Json[];

  beforeAll(async () => {
    sim = await startSimulator(ARGS);
    [reports, entries, itemizations, allocations, associations, attendees] = await Promise.all([
      sim.data('reports'),
      sim.data('entries'),
      sim.data('itemizations'),
      sim.data('allocations'),
      sim.data('entry_attendee_associations'),
      sim.data('attendees'),
    ]);
  });
  afterAll(async () => {
    await sim.stop();
  });

  const byKey = (items: Json[], key: string): Map<string, Json[]> => {
    const map = new Map<string, Json[]>();
    for (const item of items) {
      const k = String(item[key]);
      map.set(k, [...(map.get(k) ?? []), item]);
    }
    return map;
  };
  const cents = (n: unknown): number => Math.round(Number(n) * 100);

  it('has the configured size, unique ids, and owners including the admin and user1', () => {
    expect(reports).toHaveLength(60);
    for (const items of [reports, entries, itemizations, allocations, associations, attendees]) {
      expect(new Set(items.map((i) => i['ID'])).size).toBe(items.length);
    }
    const owners = new Set(reports.map((r) => r['OwnerLoginID']));
    expect(owners).toContain(SIM_ADMIN_LOGIN);
    expect(owners).toContain(SIM_USER_LOGIN);
    expect(reports.every((r) => /^[0-9A-F]{20}$/.test(String(r['ID'])))).toBe(true);
    // --entries-per-report is a mean: counts vary, a few reports may be empty.
    const perReport = byKey(entries, 'ReportID');
    const counts = reports.map((r) => perReport.get(String(r['ID']))?.length ?? 0);
    expect(new Set(counts).size).toBeGreaterThan(2);
    expect(entries.length / reports.length).toBeGreaterThan(2.5);
    expect(entries.length / reports.length).toBeLessThan(5.5);
  });

  it('formats every timestamp like Concur and keeps them inside --from/--to', () => {
    const from = Date.parse('2025-01-01T00:00:00Z');
    const to = Date.parse('2025-06-30T00:00:00Z');
    const stamps: unknown[] = [];
    for (const r of reports) stamps.push(r['CreateDate'], r['SubmitDate'], r['ProcessingPaymentDate'], r['PaidDate'], r['UserDefinedDate'], r['LastModifiedDate']);
    for (const e of entries) stamps.push(e['TransactionDate'], e['LastModified']);
    for (const i of itemizations) stamps.push(i['TransactionDate'], i['LastModified']);
    const present = stamps.filter((s) => s !== null);
    expect(present.length).toBeGreaterThan(300);
    for (const s of present) {
      expect(s).toMatch(CONCUR_TIMESTAMP);
      expect(String(s)).not.toMatch(/\.\d*0$/); // trailing zeros trimmed
      expect(concurMs(s)).toBeGreaterThanOrEqual(from);
      expect(concurMs(s)).toBeLessThanOrEqual(to);
    }
    // Precision varies like Concur's: some with 0, 1, 2 and 3 fraction digits.
    const digits = new Set(present.map((s) => (String(s).split('.')[1] ?? '').length));
    expect(digits.size).toBeGreaterThanOrEqual(3);
  });

  it('orders report lifecycle dates and matches statuses', () => {
    for (const r of reports) {
      const create = concurMs(r['CreateDate']);
      const modified = concurMs(r['LastModifiedDate']);
      let previous = create;
      for (const key of ['SubmitDate', 'ProcessingPaymentDate', 'PaidDate']) {
        if (r[key] === null) continue;
        expect(concurMs(r[key])).toBeGreaterThanOrEqual(previous);
        previous = concurMs(r[key]);
      }
      expect(modified).toBeGreaterThanOrEqual(previous);
      if (r['ApprovalStatusCode'] === 'A_NOTF') expect(r['SubmitDate']).toBeNull();
      if (r['PaymentStatusCode'] === 'P_PAID') expect(r['PaidDate']).not.toBeNull();
      if (r['PaidDate'] !== null) expect(r['ProcessingPaymentDate']).not.toBeNull();
      expect(r['WorkflowActionUrl'] === '' || String(r['WorkflowActionUrl']).startsWith(sim.url)).toBe(true);
      expect(r['URI']).toBe(`${sim.url}/api/v3.0/expense/reports/${String(r['ID'])}`);
    }
    expect(new Set(reports.map((r) => r['ApprovalStatusCode'])).size).toBeGreaterThanOrEqual(3);
  });

  it('links entries to reports: totals, owners, LastModified bounds', () => {
    const perReport = byKey(entries, 'ReportID');
    for (const r of reports) {
      const own = perReport.get(String(r['ID'])) ?? [];
      const sum = own.reduce((acc, e) => acc + cents(e['PostedAmount']), 0);
      expect(cents(r['Total'])).toBe(sum);
      const personal = own.filter((e) => e['IsPersonal'] === true).reduce((acc, e) => acc + cents(e['PostedAmount']), 0);
      expect(cents(r['PersonalAmount'])).toBe(personal);
      expect(cents(r['TotalClaimedAmount'])).toBe(sum - personal);
      for (const e of own) {
        expect(e['ReportOwnerID']).toBe(r['OwnerLoginID']);
        expect(concurMs(e['LastModified'])).toBeLessThanOrEqual(concurMs(r['LastModifiedDate']));
        expect(e['URI']).toBe(`${sim.url}/api/v3.0/expense/entries/${String(e['ID'])}`);
      }
    }
    const reportIds = new Set(reports.map((r) => r['ID']));
    expect(entries.every((e) => reportIds.has(e['ReportID']))).toBe(true);
    expect(entries.every((e) => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(String(e['ExpenseID'])))).toBe(true);
    const mileage = entries.filter((e) => e['ExpenseTypeCode'] === 'MILEG');
    expect(mileage.length).toBeGreaterThan(0);
    expect(mileage.every((e) => e['Journey'] !== null)).toBe(true);
    expect(entries.filter((e) => e['ExpenseTypeCode'] !== 'MILEG').every((e) => e['Journey'] === null)).toBe(true);
  });

  it('gives itemizations exactly to entries with HasItemizations, summing to the entry amount', () => {
    const perEntry = byKey(itemizations, 'EntryID');
    expect(itemizations.length).toBeGreaterThan(0);
    for (const e of entries) {
      const own = perEntry.get(String(e['ID'])) ?? [];
      expect(own.length > 0).toBe(e['HasItemizations']);
      if (own.length === 0) continue;
      expect(own.reduce((acc, i) => acc + cents(i['PostedAmount']), 0)).toBe(cents(e['PostedAmount']));
      for (const i of own) {
        expect(i['ReportID']).toBe(e['ReportID']);
        expect(i['ReportOwnerID']).toBe(e['ReportOwnerID']);
        expect(i['LastModified']).toBe(e['LastModified']);
      }
    }
  });

  it('gives every entry allocations whose string percentages add up to 100', () => {
    const perEntry = byKey(allocations, 'EntryID');
    for (const e of entries) {
      const own = perEntry.get(String(e['ID'])) ?? [];
      expect(own.length).toBeGreaterThanOrEqual(1);
      const total = own.reduce((acc, a) => acc + Math.round(Number(a['Percentage']) * 1e8), 0);
      expect(total).toBe(100 * 1e8);
      for (const a of own) expect(a['Percentage']).toMatch(/^\d+\.\d{8}$/);
      expect(e['AllocationType']).toBe(own.length > 1 ? 'F' : 'N');
    }
    expect(allocations.length).toBeGreaterThan(entries.length); // some entries are split
  });

  it('gives attendee associations exactly to entries with HasAttendees, referencing real attendees', () => {
    const perEntry = byKey(associations, 'EntryID');
    const attendeeIds = new Set(attendees.map((a) => a['ID']));
    expect(associations.length).toBeGreaterThan(0);
    for (const e of entries) {
      const own = perEntry.get(String(e['ID'])) ?? [];
      expect(own.length > 0).toBe(e['HasAttendees']);
      if (own.length === 0) continue;
      expect(own.reduce((acc, a) => acc + cents(a['Amount']), 0)).toBe(cents(e['PostedAmount']));
      expect(new Set(own.map((a) => a['AttendeeID'])).size).toBe(own.length);
      for (const a of own) {
        expect(attendeeIds.has(a['AttendeeID'])).toBe(true);
        expect(Number.isInteger(a['AssociatedAttendeeCount'])).toBe(true);
      }
    }
  });
});
