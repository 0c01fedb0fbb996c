import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIM_USER_LOGIN, startSimulator, type Simulator } from '../helpers/simulator.js';
import { adminToken, get, userToken, type Json } from './support.js';
import { decodeList, decodeRecord, loadSchema, parseXml, shapeProblems, without, type SchemaNode } from './xml-support.js';

const LIST = '/api/expense/expensereport/v2.0/Reports/';
const text: SchemaNode = { type: ['null', 'string'] };
const SUMMARY: SchemaNode = { properties: { ReportId: text, ReportTotal: { type: ['null', 'number'] }, ExpenseUserLoginID: text } };
const ARGS = ['--seed', '21', '--users', '8', '--reports', '160', '--entries-per-report', '3'];

/** The bucket mapping documented in simulator/README.md. */
function bucketOf(report: Json): string {
  switch (report['ApprovalStatusCode']) {
    case 'A_NOTF':
    case 'A_RESU':
      return 'UNSUBMITTED';
    case 'A_PEND':
    case 'A_PBDG':
      return 'PENDING';
    case 'A_EXTV':
      return 'PENDINGEXTERNALVALIDATION';
    case 'A_ACCO':
      return 'ACCOUNTINGREVIEW';
    default:
      return report['PaymentStatusCode'] === 'P_PAYC' ? 'PAYMENTCONFIRMED' : report['PaymentStatusCode'] === 'P_PAID' ? 'INTEGRATED' : 'PROCESSING';
  }
}
const isPaid = (report: Json): boolean => report['PaymentStatusCode'] === 'P_PAID' || report['PaymentStatusCode'] === 'P_PAYC';
const seconds = (ms: number): string => new Date(ms).toISOString().slice(0, 19);
const concurMs = (value: unknown): number => Date.parse(`${String(value)}Z`);

describe('Expense Report v2 (XML)', () => {
  let sim: Simulator;
  let admin: string;
  let reports: Json[];
  const detailSchema = without(loadSchema('reports_detail'), ['ReportModifiedBefore']);

  beforeAll(async () => {
    sim = await startSimulator(ARGS);
    admin = await adminToken(sim);
    reports = await sim.data('reports');
  });
  afterAll(async () => {
    await sim.stop();
  });

  const list = async (query: string): Promise<Json[]> => {
    const r = await get(sim.url, `${LIST}${query}`, admin);
    expect(r.status, r.text).toBe(200);
    expect(r.text).toContain('xmlns="http://www.concursolutions.com/api/expense/expensereport/2012/06"');
    return decodeList(r.text, SUMMARY);
  };

  it('Status buckets partition the reports; ACTIVE (the default) = every unpaid report; names are case-insensitive', async () => {
    const buckets = ['UNSUBMITTED', 'PENDING', 'ACCOUNTINGREVIEW', 'PROCESSING', 'INTEGRATED', 'PENDINGEXTERNALVALIDATION', 'PAYMENTCONFIRMED'];
    const seen = new Map<string, string>();
    for (const bucket of buckets) {
      const rows = await list(`?Status=${bucket}`);
      const expected = reports.filter((r) => bucketOf(r) === bucket).map((r) => r['ID']);
      expect(rows.map((r) => r['ReportId']), bucket).toEqual(expected);
      for (const id of expected) seen.set(String(id), bucket);
    }
    expect(seen.size).toBe(reports.length);
    const active = reports.filter((r) => !isPaid(r)).map((r) => r['ID']);
    expect((await list('')).map((r) => r['ReportId'])).toEqual(active);
    expect((await list('?status=active')).map((r) => r['ReportId'])).toEqual(active);
    expect((await list('?STATUS=Processing')).map((r) => r['ReportId'])).toEqual(reports.filter((r) => bucketOf(r) === 'PROCESSING').map((r) => r['ID']));
    const bad = await get(sim.url, `${LIST}?Status=TOAPPROVE`, admin);
    expect(bad.status).toBe(400);
    expect(parseXml(bad.text).name).toBe('Error');
  });

  it('ModifiedAfterDate is strictly after and ModifiedBeforeDate strictly before the LastModifiedDate (UTC seconds)', async () => {
    const whole = reports.find((r) => !isPaid(r) && !String(r['LastModifiedDate']).includes('.')) as Json;
    expect(whole).toBeDefined();
    const at = concurMs(whole['LastModifiedDate']);
    const ids = async (query: string): Promise<unknown[]> => (await list(query)).map((r) => r['ReportId']);
    expect(await ids(`?modifiedafterdate=${seconds(at)}`)).not.toContain(whole['ID']);
    expect(await ids(`?ModifiedAfterDate=${seconds(at - 1000)}`)).toContain(whole['ID']);
    expect(await ids(`?ModifiedBeforeDate=${seconds(at)}`)).not.toContain(whole['ID']);
    expect(await ids(`?ModifiedBeforeDate=${seconds(at + 1000)}`)).toContain(whole['ID']);
    const lo = at - 86_400_000;
    const hi = at + 86_400_000;
    const expected = reports.filter((r) => !isPaid(r) && concurMs(r['LastModifiedDate']) > lo && concurMs(r['LastModifiedDate']) < hi).map((r) => r['ID']);
    expect(await ids(`?ModifiedAfterDate=${seconds(lo)}&ModifiedBeforeDate=${seconds(hi)}`)).toEqual(expected);
    expect((await get(sim.url, `${LIST}?ModifiedAfterDate=yesterday`, admin)).status).toBe(400);
  });

  it('LoginID, ReportCurrency and ReportCountry filter by owner', async () => {
    const own = reports.filter((r) => !isPaid(r) && r['OwnerLoginID'] === SIM_USER_LOGIN).map((r) => r['ID']);
    expect((await list(`?loginid=${SIM_USER_LOGIN}`)).map((r) => r['ReportId'])).toEqual(own);
    const currency = String(reports[0]?.['CurrencyCode']);
    expect((await list(`?ReportCurrency=${currency}`)).map((r) => r['ReportId'])).toEqual(
      reports.filter((r) => !isPaid(r) && r['CurrencyCode'] === currency).map((r) => r['ID']),
    );
    const country = String(reports[0]?.['Country']);
    expect((await list(`?reportcountry=${country}`)).map((r) => r['ReportId'])).toEqual(
      reports.filter((r) => !isPaid(r) && r['Country'] === country).map((r) => r['ID']),
    );
  });

  it('details: the v3 report with its entries, itemizations, allocations and attendees, nested as the schema says', async () => {
    const [entries, itemizations, allocations, associations] = await Promise.all([
      sim.data('entries'),
      sim.data('itemizations'),
      sim.data('allocations'),
      sim.data('entry_attendee_associations'),
    ]);
    const truth = await sim.data('report_details');
    expect(truth.map((d) => d['ReportID'])).toEqual(reports.map((r) => r['ID']));
    const sample = reports.filter((_, i) => i % 8 === 0);
    for (const report of sample) {
      const r = await get(sim.url, `/api/expense/expensereport/v2.0/report/${String(report['ID'])}`, admin);
      expect(r.status).toBe(200);
      expect(r.text.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<ReportDetails xmlns="http://www.concursolutions.com/api/expense/expensereport/2012/07"')).toBe(true);
      const details = decodeRecord(r.text, detailSchema);
      expect(details).toEqual(truth.find((d) => d['ReportID'] === report['ID']));
      expect(shapeProblems(details, detailSchema)).toEqual([]);
      // Null encodings: the sentinel for a never-submitted report, i:nil for PaidDate.
      if (report['SubmitDate'] === null) expect(r.text).toContain('<SubmitDate>0001-01-01T00:00:00</SubmitDate>');
      if (report['PaidDate'] === null) expect(r.text).toContain('<PaidDate i:nil="true" />');
      expect(details['ReportTotal']).toBe(report['Total']);
      expect(details['UserLoginID']).toBe(report['OwnerLoginID']);
      const v3Entries = entries.filter((e) => e['ReportID'] === report['ID']);
      const v2Entries = details['ExpenseEntriesList'] as Json[];
      expect(v2Entries.map((e) => e['ReportEntryID'])).toEqual(v3Entries.map((e) => e['ID']));
      for (const [k, entry] of v2Entries.entries()) {
        const v3 = v3Entries[k] as Json;
        expect(entry['PostedAmount']).toBe(v3['PostedAmount']);
        expect(entry['TransactionAmount']).toBe(v3['TransactionAmount']);
        const items = entry['ItemizationsList'] as Json[];
        expect(items[0]?.['ItemType']).toBe('Regular');
        expect(items[0]?.['ItemizationID']).toBe(v3['ID']);
        expect(items.slice(1).map((i) => i['ItemizationID'])).toEqual(itemizations.filter((i) => i['EntryID'] === v3['ID']).map((i) => i['ID']));
        const v2Allocations = items.flatMap((i) => (i['AllocationsList'] as Json[]) ?? []);
        expect(v2Allocations.map((a) => a['AllocationID'])).toEqual(allocations.filter((a) => a['EntryID'] === v3['ID']).map((a) => a['ID']));
        expect(v2Allocations.map((a) => a['Percentage'])).toEqual(allocations.filter((a) => a['EntryID'] === v3['ID']).map((a) => `${String(a['Percentage'])}%`));
        const v2Attendees = items.flatMap((i) => (i['AttendeesList'] as Json[]) ?? []);
        expect(v2Attendees.map((a) => a['AttendeeID'])).toEqual(associations.filter((a) => a['EntryID'] === v3['ID']).map((a) => a['AttendeeID']));
        expect(entry['HasAttendees']).toBe(v3['HasAttendees']);
        expect(entry['IsItemized']).toBe(v3['HasItemizations']);
      }
    }
  });

  it('every report decodes to its ground truth, with the schema types', async () => {
    const truth = await sim.data('report_details');
    for (const expected of truth) {
      const r = await get(sim.url, `/api/expense/expensereport/v2.0/report/${String(expected['ReportID'])}`, admin);
      const details = decodeRecord(r.text, detailSchema);
      expect(details).toEqual(expected);
    }
    const problems = truth.flatMap((d) => shapeProblems(d, detailSchema).map((p) => `${String(d['ReportID'])}: ${p}`));
    expect(problems.slice(0, 10)).toEqual([]);
    expect(truth.some((d) => (d['ExpenseEntriesList'] as Json[]).some((e) => e['CardTransaction'] !== null))).toBe(true);
    expect(truth.some((d) => (d['ExpenseEntriesList'] as Json[]).some((e) => e['ExpensePay'] === true))).toBe(true);
    expect(truth.some((d) => d['EmployeeBankAccount'] !== null)).toBe(true);
  });

  it('needs an administrator (403 naming the role); unknown report → 404; deprecation headers', async () => {
    const user = await userToken(sim);
    const denied = await get(sim.url, LIST, user);
    expect(denied.status).toBe(403);
    expect(denied.text).toContain('Web Services Administrator');
    const detailDenied = await get(sim.url, `/api/expense/expensereport/v2.0/report/${String(reports[0]?.['ID'])}`, user);
    expect(detailDenied.status).toBe(403);
    const missing = await get(sim.url, '/api/expense/expensereport/v2.0/report/0123456789ABCDEF0123', admin);
    expect(missing.status).toBe(404);
    expect(parseXml(missing.text).name).toBe('Error');
    const ok = await get(sim.url, LIST, admin);
    expect(ok.headers.get('x-api-warn')).toMatch(/Reports v3/);
    expect(ok.headers.get('sunset')).toBeTruthy();
  });
});

describe('v2 list cap (--v2-list-cap)', () => {
  it('truncates silently at the cap, in creation order, with no paging', async () => {
    const sim = await startSimulator([...ARGS, '--v2-list-cap', '7']);
    try {
      const admin = await adminToken(sim);
      const reports = await sim.data('reports');
      const r = await get(sim.url, LIST, admin);
      const rows = decodeList(r.text, SUMMARY);
      expect(rows).toHaveLength(7);
      expect(rows.map((x) => x['ReportId'])).toEqual(reports.filter((x) => !isPaid(x)).slice(0, 7).map((x) => x['ID']));
      expect(r.text).not.toMatch(/NextPage|Paging/);
    } finally {
      await sim.stop();
    }
  });
});
