import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIM_USER_LOGIN, startSimulator, type Simulator } from '../helpers/simulator.js';
import { adminToken, collect, concurMs, errorMessage, get, ids, userToken, type Json } from './support.js';

const REPORTS = '/api/v3.0/expense/reports';

describe('v3 filters and access rules', () => {
  let sim: Simulator;
  let admin: string;
  let user: string;
  let reports: Json[];
  let entries: Json[];
  let itemizations: Json[];
  let allocations: Json[];
  let associations: Json[];
  let attendees: Json[];

  beforeAll(async () => {
    sim = await startSimulator(['--seed', '21', '--users', '4', '--reports', '80', '--entries-per-report', '4']);
    [admin, user] = await Promise.all([adminToken(sim), userToken(sim)]);
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

  const listIds = async (path: string, token = admin): Promise<string[]> => ids((await collect(sim.url, path, token)).items);
  const truthIds = (items: Json[], keep: (i: Json) => boolean): string[] => ids(items.filter(keep));

  describe('reports date filters', () => {
    const DATE_FIELDS: [string, string][] = [
      ['modifiedDate', 'LastModifiedDate'],
      ['createDate', 'CreateDate'],
      ['submitDate', 'SubmitDate'],
      ['paidDate', 'PaidDate'],
      ['processingPaymentDate', 'ProcessingPaymentDate'],
      ['userDefinedDate', 'UserDefinedDate'],
    ];

    it.each(DATE_FIELDS)('%sAfter/%sBefore are strict and accept both formats', async (param, field) => {
      const withValue = reports.filter((r) => r[field] !== null);
      const sorted = [...withValue].sort((a, b) => concurMs(a[field]) - concurMs(b[field]));
      const pivot = sorted[Math.floor(sorted.length / 2)];
      if (pivot === undefined) throw new Error('no pivot');
      const pivotValue = String(pivot[field]);
      const pivotMs = concurMs(pivotValue);
      // Full timestamp form: the pivot itself is excluded on both sides (strict comparison).
      const after = await listIds(`${REPORTS}?user=ALL&limit=100&${param}After=${pivotValue}`);
      expect(after).toEqual(truthIds(reports, (r) => r[field] !== null && concurMs(r[field]) > pivotMs));
      expect(after).not.toContain(pivot['ID']);
      const before = await listIds(`${REPORTS}?user=ALL&limit=100&${param}Before=${pivotValue}`);
      expect(before).toEqual(truthIds(reports, (r) => r[field] !== null && concurMs(r[field]) < pivotMs));
      expect(before).not.toContain(pivot['ID']);
      // Date-only form = midnight UTC.
      const day = pivotValue.slice(0, 10);
      const dayMs = Date.parse(`${day}T00:00:00Z`);
      const afterDay = await listIds(`${REPORTS}?user=ALL&limit=100&${param}After=${day}`);
      expect(afterDay).toEqual(truthIds(reports, (r) => r[field] !== null && concurMs(r[field]) > dayMs));
      // Both bounds together.
      const lo = sorted[Math.floor(sorted.length / 4)];
      const between = await listIds(`${REPORTS}?user=ALL&limit=100&${param}After=${String(lo?.[field])}&${param}Before=${pivotValue}`);
      expect(between).toEqual(
        truthIds(reports, (r) => r[field] !== null && concurMs(r[field]) > concurMs(lo?.[field]) && concurMs(r[field]) < pivotMs),
      );
    });

    it('accepts .SSS milliseconds and moves the boundary by one millisecond', async () => {
      const target = reports.find((r) => /\.\d{3}$/.test(String(r['LastModifiedDate']))) ?? reports[0];
      const ms = concurMs(target?.['LastModifiedDate']);
      const justBefore = new Date(ms - 1).toISOString().slice(0, 23);
      const result = await listIds(`${REPORTS}?user=ALL&limit=100&modifiedDateAfter=${justBefore}`);
      expect(result).toContain(target?.['ID']);
    });

    it.each(['2025-13-01', '2025-02-30', 'yesterday', '2025-01-01T10:00:00Z', '2025-01-01 10:00'])('rejects %s with 400 naming the parameter', async (value) => {
      const r = await get(sim.url, `${REPORTS}?user=ALL&modifiedDateAfter=${encodeURIComponent(value)}`, admin);
      expect(r.status).toBe(400);
      expect(errorMessage(r)).toContain('modifiedDateAfter');
    });
  });

  it('filters reports by approval and payment status (comma-separated lists)', async () => {
    const approval = await listIds(`${REPORTS}?user=ALL&limit=100&approvalStatusCode=A_NOTF,A_PEND`);
    expect(approval).toEqual(truthIds(reports, (r) => ['A_NOTF', 'A_PEND'].includes(String(r['ApprovalStatusCode']))));
    expect(approval.length).toBeGreaterThan(0);
    const payment = await listIds(`${REPORTS}?user=ALL&limit=100&paymentStatusCode=P_PAID`);
    expect(payment).toEqual(truthIds(reports, (r) => r['PaymentStatusCode'] === 'P_PAID'));
    const both = await listIds(`${REPORTS}?user=ALL&limit=100&approvalStatusCode=A_APPR&paymentStatusCode=P_PROC,P_HOLD&unknownFilter=1`);
    expect(both).toEqual(truthIds(reports, (r) => r['ApprovalStatusCode'] === 'A_APPR' && ['P_PROC', 'P_HOLD'].includes(String(r['PaymentStatusCode']))));
  });

  describe('user parameter and roles', () => {
    it('lists the token user’s own reports without user=', async () => {
      expect(await listIds(`${REPORTS}?limit=100`, user)).toEqual(truthIds(reports, (r) => r['OwnerLoginID'] === SIM_USER_LOGIN));
      expect(await listIds(`${REPORTS}?limit=100`, admin)).toEqual(truthIds(reports, (r) => r['OwnerLoginID'] === 'admin@example.com'));
    });

    it('lets an admin read one owner or ALL', async () => {
      expect(await listIds(`${REPORTS}?limit=100&user=${SIM_USER_LOGIN}`)).toEqual(truthIds(reports, (r) => r['OwnerLoginID'] === SIM_USER_LOGIN));
      expect(await listIds(`${REPORTS}?limit=100&user=all`)).toEqual(ids(reports));
    });

    it.each(['ALL', SIM_USER_LOGIN, 'user2@example.com'])('answers 403 naming the role when a non-admin passes user=%s', async (value) => {
      for (const path of ['/api/v3.0/expense/reports', '/api/v3.0/expense/entries', '/api/v3.0/expense/itemizations', '/api/v3.0/expense/entryattendeeassociations']) {
        const r = await get(sim.url, `${path}?user=${value}`, user);
        expect(r.status, path).toBe(403);
        expect(errorMessage(r)).toContain('Web Services Administrator');
      }
    });

    it('report by id: owner without user=, admin needs user=<owner>, user=ALL is 400, unknown is 404', async () => {
      const own = reports.find((r) => r['OwnerLoginID'] === SIM_USER_LOGIN);
      const other = reports.find((r) => r['OwnerLoginID'] !== SIM_USER_LOGIN && r['OwnerLoginID'] !== 'admin@example.com');
      const ownId = String(own?.['ID']);
      const otherId = String(other?.['ID']);
      expect((await get(sim.url, `${REPORTS}/${ownId}`, user)).body).toEqual(own);
      expect((await get(sim.url, `${REPORTS}/${otherId}`, user)).status).toBe(404);
      expect((await get(sim.url, `${REPORTS}/${otherId}?user=${String(other?.['OwnerLoginID'])}`, user)).status).toBe(403);
      expect((await get(sim.url, `${REPORTS}/${otherId}`, admin)).status).toBe(404);
      expect((await get(sim.url, `${REPORTS}/${otherId}?user=${String(other?.['OwnerLoginID'])}`, admin)).body).toEqual(other);
      expect((await get(sim.url, `${REPORTS}/${otherId}?user=${SIM_USER_LOGIN}`, admin)).status).toBe(404);
      const all = await get(sim.url, `${REPORTS}/${otherId}?user=ALL`, admin);
      expect(all.status).toBe(400);
      expect(errorMessage(all)).toContain('ALL');
      expect((await get(sim.url, `${REPORTS}/0000000000000000ABCD?user=ALL`, user)).status).toBe(400);
      expect((await get(sim.url, `${REPORTS}/0000000000000000ABCD`, admin)).status).toBe(404);
      expect((await get(sim.url, `${REPORTS}/not-an-id`, admin)).status).toBe(404);
    });
  });

  describe('entries', () => {
    it('filters by reportID (with user=<owner>) and by expense type / flags', async () => {
      const report = reports.find((r) => entries.filter((e) => e['ReportID'] === r['ID']).length > 1);
      const owner = String(report?.['OwnerLoginID']);
      expect(await listIds(`/api/v3.0/expense/entries?reportID=${String(report?.['ID'])}&user=${owner}`)).toEqual(
        truthIds(entries, (e) => e['ReportID'] === report?.['ID']),
      );
      // Without user=, the admin only sees its own reports' entries.
      if (owner !== 'admin@example.com') {
        expect(await listIds(`/api/v3.0/expense/entries?reportID=${String(report?.['ID'])}`)).toEqual([]);
      }
      expect(await listIds('/api/v3.0/expense/entries?user=ALL&limit=100&expenseTypeCode=LODNG')).toEqual(
        truthIds(entries, (e) => e['ExpenseTypeCode'] === 'LODNG'),
      );
      expect(await listIds('/api/v3.0/expense/entries?user=ALL&limit=100&hasAttendees=true')).toEqual(truthIds(entries, (e) => e['HasAttendees'] === true));
      expect(await listIds('/api/v3.0/expense/entries?user=ALL&limit=100&isBillable=FALSE')).toEqual(truthIds(entries, (e) => e['IsBillable'] === false));
      expect(await listIds(`/api/v3.0/expense/entries?limit=100`, user)).toEqual(truthIds(entries, (e) => e['ReportOwnerID'] === SIM_USER_LOGIN));
      const bad = await get(sim.url, '/api/v3.0/expense/entries?user=ALL&isBillable=maybe', admin);
      expect(bad.status).toBe(400);
      expect(errorMessage(bad)).toContain('isBillable');
    });

    it('serves entries by id with the same owner rules', async () => {
      const entry = entries.find((e) => e['ReportOwnerID'] !== SIM_USER_LOGIN && e['ReportOwnerID'] !== 'admin@example.com');
      const id = String(entry?.['ID']);
      expect((await get(sim.url, `/api/v3.0/expense/entries/${encodeURIComponent(id)}?user=${String(entry?.['ReportOwnerID'])}`, admin)).body).toEqual(entry);
      expect((await get(sim.url, `/api/v3.0/expense/entries/${id}`, admin)).status).toBe(404);
      expect((await get(sim.url, `/api/v3.0/expense/entries/${id}?user=ALL`, admin)).status).toBe(400);
      expect((await get(sim.url, `/api/v3.0/expense/entries/gWnotAnEntry`, admin)).status).toBe(404);
    });
  });

  it('itemizations: by entryID, reportID and expense type; by id', async () => {
    const item = itemizations[0];
    const owner = String(item?.['ReportOwnerID']);
    expect(await listIds(`/api/v3.0/expense/itemizations?entryID=${encodeURIComponent(String(item?.['EntryID']))}&user=${owner}`)).toEqual(
      truthIds(itemizations, (i) => i['EntryID'] === item?.['EntryID']),
    );
    expect(await listIds(`/api/v3.0/expense/itemizations?reportID=${String(item?.['ReportID'])}&user=ALL`)).toEqual(
      truthIds(itemizations, (i) => i['ReportID'] === item?.['ReportID']),
    );
    expect(await listIds('/api/v3.0/expense/itemizations?user=ALL&limit=100&expenseTypeCode=LODTX')).toEqual(
      truthIds(itemizations, (i) => i['ExpenseTypeCode'] === 'LODTX'),
    );
    expect((await get(sim.url, `/api/v3.0/expense/itemizations/${encodeURIComponent(String(item?.['ID']))}?user=${owner}`, admin)).body).toEqual(item);
  });

  it('allocations: user= on the list is 400; admin sees all, a user sees own; entryID / itemizationID / reportID', async () => {
    const withUser = await get(sim.url, '/api/v3.0/expense/allocations?user=ALL', admin);
    expect(withUser.status).toBe(400);
    expect(errorMessage(withUser)).toContain('user');
    expect(await listIds('/api/v3.0/expense/allocations?limit=100')).toEqual(ids(allocations));
    const entryOwner = new Map(entries.map((e) => [e['ID'], e['ReportOwnerID']]));
    const entryReport = new Map(entries.map((e) => [e['ID'], e['ReportID']]));
    expect(await listIds('/api/v3.0/expense/allocations?limit=100', user)).toEqual(truthIds(allocations, (a) => entryOwner.get(a['EntryID']) === SIM_USER_LOGIN));
    const split = allocations.find((a) => a['IsHidden'] === false) ?? allocations[0];
    expect(await listIds(`/api/v3.0/expense/allocations?entryID=${encodeURIComponent(String(split?.['EntryID']))}`)).toEqual(
      truthIds(allocations, (a) => a['EntryID'] === split?.['EntryID']),
    );
    const reportId = entryReport.get(split?.['EntryID']);
    expect(await listIds(`/api/v3.0/expense/allocations?reportID=${String(reportId)}`)).toEqual(
      truthIds(allocations, (a) => entryReport.get(a['EntryID']) === reportId),
    );
    const item = itemizations[0];
    expect(await listIds(`/api/v3.0/expense/allocations?itemizationID=${encodeURIComponent(String(item?.['ID']))}`)).toEqual(
      truthIds(allocations, (a) => a['EntryID'] === item?.['EntryID']),
    );
    expect((await get(sim.url, `/api/v3.0/expense/allocations/${encodeURIComponent(String(split?.['ID']))}`, admin)).body).toEqual(split);
    expect((await get(sim.url, `/api/v3.0/expense/allocations/${encodeURIComponent(String(split?.['ID']))}?user=ALL`, admin)).status).toBe(400);
  });

  it('entry attendee associations: by entryID, by id; attendees visible to the user', async () => {
    const link = associations[0];
    const entry = entries.find((e) => e['ID'] === link?.['EntryID']);
    expect(await listIds(`/api/v3.0/expense/entryattendeeassociations?entryID=${encodeURIComponent(String(link?.['EntryID']))}&user=ALL`)).toEqual(
      truthIds(associations, (a) => a['EntryID'] === link?.['EntryID']),
    );
    expect(
      (await get(sim.url, `/api/v3.0/expense/entryattendeeassociations/${encodeURIComponent(String(link?.['ID']))}?user=${String(entry?.['ReportOwnerID'])}`, admin)).body,
    ).toEqual(link);
    // The default attendee list is the shared attendees plus the caller's own.
    const visible = await listIds('/api/v3.0/expense/attendees?limit=100', user);
    expect(visible).toEqual(truthIds(attendees, (a) => a['OwnerLoginID'] === 'ConcurSystem' || a['OwnerLoginID'] === SIM_USER_LOGIN));
    expect(visible.length).toBeLessThan(attendees.length);
  });
});
