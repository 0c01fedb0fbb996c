import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTimestamp } from '../../src/common/time.js';
import { byType, records, states } from '../helpers/run-cli.js';
import { SIM_CLIENT_ID, SIM_CLIENT_SECRET, SIM_COMPANY_ID, SIM_COMPANY_REQUEST_TOKEN, SIM_USER_LOGIN, SIM_USER_PASSWORD, startSimulator, type SimRequestLogEntry, type Simulator } from '../helpers/simulator.js';
import { jsonFile, runCli } from '../helpers/run-cli.js';
import { EVERY_TRIP, read, simConfig, type Json } from './support.js';

// Every option changes the requests Concur sees exactly as documented (asserted on the request log).
const DAY = 86_400_000;
const REPORTS = '/api/v3.0/expense/reports';
const at = (value: unknown) => parseTimestamp(String(value)) ?? Number.NaN;

describe('options, as the simulator sees them', () => {
  let sim: Simulator;
  let allReports: Json[];
  const run = async (options: Json, streams: string[] = ['expense_reports'], mode: 'full_refresh' | 'incremental' = 'full_refresh', state?: unknown) => {
    await sim.clearRequests();
    const result = await read(sim, { streams, config: simConfig(sim, options), mode, ...(state ? { state } : {}) });
    expect(result.code).toBe(0);
    return { result, log: await sim.requests() };
  };
  const lists = (log: SimRequestLogEntry[]) => log.filter((r) => r.path === REPORTS);

  beforeAll(async () => {
    sim = await startSimulator(['--seed', '31', '--reports', '500', '--users', '20']);
    allReports = await sim.data('reports');
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it('user: a login id is sent as user=<login>, and children ask with each report owner\'s login', async () => {
    const { result, log } = await run({ user: SIM_USER_LOGIN }, ['expense_reports', 'expense_entries']);
    expect(lists(log).every((r) => r.query['user'] === SIM_USER_LOGIN)).toBe(true);
    const entries = log.filter((r) => r.path === '/api/v3.0/expense/entries');
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.every((r) => r.query['user'] === SIM_USER_LOGIN)).toBe(true);
    const own = allReports.filter((r) => r['OwnerLoginID'] === SIM_USER_LOGIN);
    expect(new Set(records(result.messages, 'expense_reports').map((r) => r['ID']))).toEqual(new Set(own.map((r) => r['ID'])));
  });

  it('user: "all" in any case is the keyword ALL, sent as user=ALL (receipt images refuse any other spelling)', async () => {
    const { result, log } = await run({ user: 'all' }, ['expense_reports', 'receipt_images']);
    expect(lists(log).length).toBeGreaterThan(0);
    expect(lists(log).every((r) => r.query['user'] === 'ALL')).toBe(true);
    expect(records(result.messages, 'expense_reports')).toHaveLength(allReports.length);
  });

  it("user: a user without the admin role reads their own data, with no user parameter (Concur's default)", async () => {
    const own = {
      credentials: { auth_type: 'password', client_id: SIM_CLIENT_ID, client_secret: SIM_CLIENT_SECRET, username: SIM_USER_LOGIN, password: SIM_USER_PASSWORD },
      token_url: `${sim.url}/oauth2/v0/token`,
      user: SIM_USER_LOGIN.toUpperCase(),
    };
    const check = await runCli(['check', '--config', jsonFile(own)]);
    expect(byType(check.messages, 'CONNECTION_STATUS')[0]?.['connectionStatus']).toEqual({ status: 'SUCCEEDED' });
    await sim.clearRequests();
    const result = await read(sim, { streams: ['expense_reports', 'expense_entries', 'travel_itineraries'], config: own });
    expect(result.code).toBe(0);
    const log = await sim.requests();
    const data = log.filter((r) => r.path.startsWith('/api/'));
    expect(data.length).toBeGreaterThan(2);
    expect(data.every((r) => r.status === 200 && r.query['user'] === undefined && r.query['userid_value'] === undefined)).toBe(true);
    const mine = allReports.filter((r) => r['OwnerLoginID'] === SIM_USER_LOGIN);
    expect(new Set(records(result.messages, 'expense_reports').map((r) => r['ID']))).toEqual(new Set(mine.map((r) => r['ID'])));
    const trips = await sim.data('trips', { user: SIM_USER_LOGIN, ...EVERY_TRIP });
    expect(new Set(records(result.messages, 'travel_itineraries').map((r) => r['TripId']))).toEqual(new Set(trips.map((t) => t['TripId'])));
  });

  it('approval_status_codes: one comma-separated approvalStatusCode filter, and only those reports', async () => {
    const { result, log } = await run({ approval_status_codes: ['A_PEND', 'A_APPR'] });
    expect(lists(log).every((r) => r.query['approvalStatusCode'] === 'A_PEND,A_APPR')).toBe(true);
    const got = records(result.messages, 'expense_reports');
    expect(got.length).toBeGreaterThan(0);
    expect(new Set(got.map((r) => r['ApprovalStatusCode']))).toEqual(new Set(['A_PEND', 'A_APPR']));
    expect(got.length).toBe(allReports.filter((r) => ['A_PEND', 'A_APPR'].includes(String(r['ApprovalStatusCode']))).length);
  });

  it('start_date/end_date: modification windows inside the range, end inclusive, and only reports modified in it', async () => {
    const { result, log } = await run({ start_date: '2025-03-01', end_date: '2025-05-31', slice_days: 30 });
    const windows = lists(log).map((r) => [at(r.query['modifiedDateAfter']), at(r.query['modifiedDateBefore'])] as const);
    expect(windows[0]?.[0]).toBe(Date.UTC(2025, 2, 1) - 1);
    expect(windows.at(-1)?.[1]).toBe(Date.UTC(2025, 5, 1));
    const expected = allReports.filter((r) => at(r['LastModifiedDate']) >= Date.UTC(2025, 2, 1) && at(r['LastModifiedDate']) < Date.UTC(2025, 5, 1));
    expect(new Set(records(result.messages, 'expense_reports').map((r) => r['ID']))).toEqual(new Set(expected.map((r) => r['ID'])));
  });

  it('days_back/end_days_back: a window relative to today (days -60 to -30)', async () => {
    const today = Math.floor(Date.now() / DAY) * DAY;
    const { log } = await run({ days_back: 60, end_days_back: 30 });
    const windows = lists(log);
    expect(at(windows[0]?.query['modifiedDateAfter'])).toBe(today - 60 * DAY - 1);
    expect(at(windows.at(-1)?.query['modifiedDateBefore'])).toBe(today - 29 * DAY);
  });

  it('date_filter: the range goes to submitDateAfter/Before, while the windows follow modifications over the whole history', async () => {
    const { result, log } = await run({ date_filter: 'submitted', start_date: '2025-01-01', end_date: '2025-06-30' });
    const requests = lists(log);
    expect(requests.every((r) => at(r.query['submitDateAfter']) === Date.UTC(2025, 0, 1) - 1 && at(r.query['submitDateBefore']) === Date.UTC(2025, 6, 1))).toBe(true);
    expect(at(requests[0]?.query['modifiedDateAfter'])).toBe(Date.UTC(2000, 0, 1) - 1);
    const expected = allReports.filter((r) => r['SubmitDate'] !== null && at(r['SubmitDate']) >= Date.UTC(2025, 0, 1) && at(r['SubmitDate']) < Date.UTC(2025, 6, 1));
    expect(expected.length).toBeGreaterThan(0);
    expect(new Set(records(result.messages, 'expense_reports').map((r) => r['ID']))).toEqual(new Set(expected.map((r) => r['ID'])));
  });

  it('slice_days: the first window has that many days; after it, windows follow the data and cover the range', async () => {
    const { result, log } = await run({ start_date: '2025-01-01', end_date: '2025-12-31', slice_days: 10 });
    const reads = lists(log).filter((r) => r.query['limit'] !== '1');
    const windows = reads.map((r) => [at(r.query['modifiedDateAfter']) + 1, at(r.query['modifiedDateBefore'])] as const);
    expect((windows[0]?.[1] ?? 0) - (windows[0]?.[0] ?? 0)).toBe(10 * DAY);
    // A few hundred reports a year: windows grow well past 10 days, and they cover the year edge to edge.
    expect(Math.max(...windows.map(([after, before]) => before - after))).toBeGreaterThan(30 * DAY);
    for (let i = 1; i < windows.length; i++) expect(windows[i]?.[0]).toBe(windows[i - 1]?.[1]);
    expect(windows.at(-1)?.[1]).toBe(Date.UTC(2026, 0, 1));
    const expected = allReports.filter((r) => at(r['LastModifiedDate']) >= Date.UTC(2025, 0, 1) && at(r['LastModifiedDate']) < Date.UTC(2026, 0, 1));
    expect(records(result.messages, 'expense_reports')).toHaveLength(expected.length);
  });

  it('lookback_minutes: an incremental read starts that long before the saved cursor', async () => {
    const cursor = '2026-06-15T12:00:00.000Z';
    const state = [{ type: 'STREAM', stream: { stream_descriptor: { name: 'expense_reports' }, stream_state: { cursor } } }];
    const { log, result } = await run({ lookback_minutes: 90 }, ['expense_reports'], 'incremental', state);
    expect(lists(log)[0]?.query['modifiedDateAfter']).toBe('2026-06-15T10:29:59.999');
    expect(Date.parse(String(states(result.messages, 'expense_reports').at(-1)?.['state'].stream.stream_state.cursor))).toBeGreaterThan(Date.parse(cursor));
  });

  it('report_statuses: reports_detail lists only those v2 status buckets', async () => {
    const { log } = await run({ report_statuses: ['PENDING', 'PAYMENTCONFIRMED'], start_date: '2026-01-01' }, ['reports_detail']);
    const v2 = log.filter((r) => r.path === '/api/expense/expensereport/v2.0/Reports/');
    expect(v2.length).toBeGreaterThan(0);
    expect(new Set(v2.map((r) => r.query['Status']))).toEqual(new Set(['PENDING', 'PAYMENTCONFIRMED']));
  });

  it('extract_definition_ids: extract_jobs asks only those definitions, without listing the definitions', async () => {
    const definitions = await sim.data('extract_definitions');
    const wanted = String(definitions[1]?.['id']).split('/').at(-1) ?? '';
    const { result, log } = await run({ extract_definition_ids: [wanted] }, ['extract_jobs']);
    const paths = log.filter((r) => r.path.startsWith('/api/expense/extract/')).map((r) => r.path);
    expect(paths).toEqual([`/api/expense/extract/v1.0/${wanted}/job`]);
    const jobs = records(result.messages, 'extract_jobs');
    expect(jobs.length).toBeGreaterThan(0);
    expect(jobs.every((j) => j['definition_id'] === wanted)).toBe(true);
  });

  it('include_inactive_delegators: includeInactive=Y, and the inactive delegators come back', async () => {
    const off = await run({}, ['expense_delegators']);
    expect(off.log.filter((r) => r.path.toLowerCase().endsWith('/delegators')).map((r) => r.query['includeInactive'])).toEqual(['N']);
    const on = await run({ include_inactive_delegators: true }, ['expense_delegators']);
    expect(on.log.filter((r) => r.path.toLowerCase().endsWith('/delegators')).map((r) => r.query['includeInactive'])).toEqual(['Y']);
    const all = await sim.data('delegators', { user: 'admin@example.com', includeInactive: 'Y' });
    expect(records(on.result.messages, 'expense_delegators').length).toBe(all.length);
    expect(records(off.result.messages, 'expense_delegators').length).toBeLessThanOrEqual(all.length);
  });

  it('location_countries: one filtered list per country, and only those countries', async () => {
    const { result, log } = await run({ location_countries: ['DE', 'JP'] }, ['locations']);
    const asked = log.filter((r) => r.path === '/api/v3.0/common/locations');
    expect(new Set(asked.map((r) => r.query['countryCode'] ?? r.query['country']))).toEqual(new Set(['DE', 'JP']));
    const got = records(result.messages, 'locations');
    expect(got.length).toBeGreaterThan(0);
    expect(new Set(got.map((r) => r['Country']))).toEqual(new Set(['DE', 'JP']));
  });

  it('user_information_api: identity_v4_1 (company token) pages SCIM users; user_v1 asks User v1', async () => {
    const v1 = await run({ user_information_api: 'user_v1' }, ['user_information']);
    expect(v1.log.filter((r) => r.path.startsWith('/api/') || r.path.startsWith('/profile/')).map((r) => r.path)).toEqual(['/api/user/v1.0/User']);
    await sim.clearRequests();
    const company = {
      credentials: { auth_type: 'company', client_id: SIM_CLIENT_ID, client_secret: SIM_CLIENT_SECRET, company_id: SIM_COMPANY_ID, company_request_token: SIM_COMPANY_REQUEST_TOKEN },
      token_url: `${sim.url}/oauth2/v0/token`,
    };
    const identity = await read(sim, { streams: ['user_information'], config: company });
    expect(identity.code).toBe(0);
    const asked = (await sim.requests()).filter((r) => r.path.startsWith('/profile/'));
    expect(asked.map((r) => [r.path, r.query['count']])).toEqual([['/profile/identity/v4.1/Users', '1000']]);
    expect(records(identity.messages, 'user_information')).toHaveLength(21);
  });
});
