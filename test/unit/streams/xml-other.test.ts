import { describe, expect, it } from 'vitest';
import { userInformation } from '../../../src/streams/identity/user-information.js';
import { extractDefinitions } from '../../../src/streams/xml/extract-definitions.js';
import { extractJobs } from '../../../src/streams/xml/extract-jobs.js';
import { travelItineraries } from '../../../src/streams/xml/travel-itineraries.js';
import { NAMESPACE_FORMS, runStream, withEntityBomb, XSI, type Routes } from './harness.js';

const EXTRACT = (ns: string) => `${ns}/api/expense/extract/2010/02`;
const BASE = 'https://us.api.concursolutions.com/api/expense/extract/v1.0';

describe('extract_definitions and extract_jobs (Extract v1.0)', () => {
  const definitions = (ns: string, ids: string[]) =>
    `<definitions xmlns="${EXTRACT(ns)}">${ids.map((id) => `<definition><id>${BASE}/${id}</id><job-link>${BASE}/${id}/job</job-link><name>SAE &amp; GL</name></definition>`).join('')}</definitions>`;
  const job = (def: string, id: string, start: string, stop: string | null, status: string) =>
    `<job><id>${BASE}/${def}/job/${id}</id><status-link>${BASE}/${def}/job/${id}/status</status-link><start-time>${start}</start-time>` +
    `${stop === null ? '<stop-time />' : `<stop-time>${stop}</stop-time>`}<status>${status}</status><file-link>${BASE}/${def}/job/${id}/file</file-link></job>`;
  const jobs = (ns: string, ...items: string[]) => `<jobs xmlns="${EXTRACT(ns)}" ${XSI}>${items.join('')}</jobs>`;

  it.each(NAMESPACE_FORMS)('definitions carry their DefinitionID; one definition is a one-record list (%s namespace)', async (ns) => {
    const { records } = await runStream(extractDefinitions, { '/api/expense/extract/v1.0/': definitions(ns, ['gWq$D1']) });
    expect(records).toEqual([{ id: `${BASE}/gWq$D1`, 'job-link': `${BASE}/gWq$D1/job`, name: 'SAE & GL', definition_id: 'gWq$D1' }]);
  });

  it.each(NAMESPACE_FORMS)('jobs: times in every documented form become RFC 3339 UTC, ids split out (%s namespace)', async (ns) => {
    const { records } = await runStream(extractJobs, {
      '/api/expense/extract/v1.0/': definitions(ns, ['D1']),
      '/api/expense/extract/v1.0/D1/job': jobs(ns, job('D1', 'J2', '2026-01-13T18:30:02Z', '2026-01-13T18:31:00', 'Completed'), job('D1', 'J1', '2026-01-12T18:30:01', null, 'In Process'), job('D1', 'J0', '2026-01-11T14:25:22.58', '2026-01-11T14:26:00.1', 'Complete')),
    });
    expect(records.map((r) => [r['job_id'], r['definition_id'], r['start-time'], r['stop-time'], r['status']])).toEqual([
      ['J2', 'D1', '2026-01-13T18:30:02.000Z', '2026-01-13T18:31:00.000Z', 'Completed'],
      ['J1', 'D1', '2026-01-12T18:30:01.000Z', null, 'In Process'],
      ['J0', 'D1', '2026-01-11T14:25:22.580Z', '2026-01-11T14:26:00.100Z', 'Complete'],
    ]);
  });

  it('incremental: only jobs started since the cursor; a running job holds the cursor back until it finishes', async () => {
    const routes = (running: boolean): Routes => ({
      '/api/expense/extract/v1.0/': definitions(NAMESPACE_FORMS[0], ['D1']),
      '/api/expense/extract/v1.0/D1/job': jobs(
        NAMESPACE_FORMS[0],
        running ? job('D1', 'J3', '2026-01-20T10:00:00', null, 'In Process') : job('D1', 'J3', '2026-01-20T10:00:00', '2026-01-20T11:00:00', 'Completed'),
        job('D1', 'J2', '2026-01-19T10:00:00', '2026-01-19T10:05:00', 'Completed'),
        job('D1', 'J1', '2026-01-10T10:00:00', '2026-01-10T10:05:00', 'Completed'),
      ),
    });
    const first = await runStream(extractJobs, routes(true), { incremental: true, state: { cursor: '2026-01-15T00:00:00.000Z' } });
    expect(first.records.map((r) => r['job_id'])).toEqual(['J3', 'J2']);
    expect(first.states).toEqual([{ cursor: '2026-01-20T10:00:00.000Z' }]);
    const later = await runStream(extractJobs, routes(false), { incremental: true, state: first.states[0] ?? null });
    expect(later.records.map((r) => [r['job_id'], r['status']])).toEqual([['J3', 'Completed']]);
  });

  it('asks only the configured definitions, and names the option when one does not exist', async () => {
    const ok = await runStream(extractJobs, { '/api/expense/extract/v1.0/D2/job': jobs(NAMESPACE_FORMS[1], job('D2', 'J1', '2026-01-01T00:00:00', null, 'Queued')) }, { env: { extractDefinitionIds: ['D2'] } });
    expect(ok.records).toHaveLength(1);
    expect(ok.requests.map((r) => r.url)).toEqual(['/api/expense/extract/v1.0/D2/job']);
    await expect(runStream(extractJobs, {}, { env: { extractDefinitionIds: ['NOPE'] } })).rejects.toThrow(/config\.extract_definition_ids: Concur has no extract definition "NOPE"/);
  });

  it('refuses entity declarations', async () => {
    await expect(runStream(extractDefinitions, { '/api/expense/extract/v1.0/': withEntityBomb(definitions(NAMESPACE_FORMS[0], ['D1'])) })).rejects.toThrow(/DOCTYPE/);
  });
});

describe('travel_itineraries (Itinerary v1.1)', () => {
  const TRIP = (ns: string) => `${ns}/api/travel/trip/2010/06`;
  const info = (id: string, modified: string) =>
    `<ItineraryInfo><TripId>${id}</TripId><id>${id}x</id><TripName>Paris &amp; Lyon</TripName><TripStatus>0</TripStatus><StartDateLocal>2026-03-01T08:00:00</StartDateLocal>` +
    `<EndDateLocal>2026-03-04T18:00:00</EndDateLocal><DateModifiedUtc>${modified}</DateModifiedUtc><UserLoginId>a@x</UserLoginId><BookingSource>Concur</BookingSource><RecordLocator i:nil="true"/></ItineraryInfo>`;
  const page = (ns: string, current: number, total: number, trips: string[]) =>
    `<ConnectResponse><Metadata><Paging><TotalPages>${total}</TotalPages><TotalItems>${trips.length}</TotalItems><CurrentPage>${current}</CurrentPage><ItemsPerPage>100</ItemsPerPage>` +
    `<PreviousPageURL /><NextPageURL /></Paging></Metadata><Data><ItineraryInfoList xmlns="${TRIP(ns)}" ${XSI}>${trips.join('')}</ItineraryInfoList></Data></ConnectResponse>`;

  it.each(NAMESPACE_FORMS)('follows page numbers to TotalPages; one trip per page is a one-record list (%s namespace)', async (ns) => {
    const run = await runStream(travelItineraries, {
      '/api/travel/trip/v1.1/': (_req, url) => {
        const n = Number(url.searchParams.get('Page'));
        return page(ns, n, 3, [info(`T${n}`, `2026-01-0${n}T10:00:00`)]);
      },
    });
    expect(run.records.map((r) => r['TripId'])).toEqual(['T1', 'T2', 'T3']);
    expect(run.records[0]).toMatchObject({ TripName: 'Paris & Lyon', TripStatus: 0, RecordLocator: null });
    const query = new URL(run.requests[0]?.url ?? '', 'http://x').searchParams;
    expect(Object.fromEntries(query)).toMatchObject({ includeMetadata: 'true', ItemsPerPage: '100', Page: '1', userid_type: 'login', userid_value: 'ALL', startDate: '2000-01-01', lastModifiedDate: '2026-01-01T00:00:00', includeCanceledTrips: 'true', includeVirtualTrip: '1' });
  });

  it('reads from the cursor minus the lookback with lastModifiedDate, and moves the state to the sync end', async () => {
    const run = await runStream(travelItineraries, { '/api/travel/trip/v1.1/': page(NAMESPACE_FORMS[0], 1, 1, [info('T1', '2026-01-20T10:00:00')]) }, { incremental: true, state: { cursor: '2026-01-15T06:00:00.000Z' } });
    expect(new URL(run.requests[0]?.url ?? '', 'http://x').searchParams.get('lastModifiedDate')).toBe('2026-01-15T06:00:00');
    expect(run.states).toEqual([{ cursor: '2026-02-01T00:00:00.000Z' }]);
  });

  it('accepts an answer without the metadata wrapper as a single page', async () => {
    const run = await runStream(travelItineraries, { '/api/travel/trip/v1.1/': `<ItineraryInfoList xmlns="${TRIP(NAMESPACE_FORMS[1])}">${info('T9', '2026-01-05T00:00:00')}</ItineraryInfoList>` });
    expect(run.records.map((r) => r['TripId'])).toEqual(['T9']);
    expect(run.requests).toHaveLength(1);
  });

  it('refuses entity declarations', async () => {
    await expect(runStream(travelItineraries, { '/api/travel/trip/v1.1/': withEntityBomb(page(NAMESPACE_FORMS[0], 1, 1, [info('T1', '2026-01-01T00:00:00')])) })).rejects.toThrow(/DOCTYPE/);
  });
});

describe('user_information', () => {
  const USER = (ns: string) => `${ns}/api/user/2011/02`;
  const profile = (ns: string) =>
    `<UserProfile xmlns="${USER(ns)}" ${XSI}><LoginId>cm@example.com</LoginId><FirstName>Chris</FirstName><LastName>Miller</LastName><Mi i:nil="true"/><EmailAddress>cm@example.com</EmailAddress>` +
    `<EmpId>42</EmpId><Active>Y</Active><OrgUnit1>R&amp;D</OrgUnit1><Custom1 /><LedgerName>DEFAULT</LedgerName><ExpenseUser>Y</ExpenseUser><ExpenseApprover>N</ExpenseApprover><IsTestEmp>N</IsTestEmp></UserProfile>`;

  it.each(NAMESPACE_FORMS)('User v1: one profile, flags as booleans, nil and empty as null (%s namespace)', async (ns) => {
    const run = await runStream(userInformation, { '/api/user/v1.0/User': profile(ns) }, { env: { userInformationApi: 'user_v1', user: 'cm@example.com' } });
    expect(run.records).toHaveLength(1);
    expect(run.records[0]).toMatchObject({ LoginId: 'cm@example.com', Mi: null, Active: true, OrgUnit1: 'R&D', Custom1: null, ExpenseApprover: false, IsTestEmp: false, IdentityId: null });
    expect(run.requests[0]?.url).toBe('/api/user/v1.0/User?loginID=cm%40example.com');
    expect(run.warnings.some((w) => /decommissioned/.test(w))).toBe(true);
  });

  it('User v1 gone (410) is a config error pointing to Identity v4.1', async () => {
    await expect(
      runStream(userInformation, { '/api/user/v1.0/User': { status: 410, body: '<Error><Message>User v1 is decommissioned</Message></Error>' } }, { env: { userInformationApi: 'user_v1' } }),
    ).rejects.toThrow(/set config\.user_information_api to "identity_v4_1"/);
  });

  it('refuses entity declarations', async () => {
    await expect(runStream(userInformation, { '/api/user/v1.0/User': withEntityBomb(profile(NAMESPACE_FORMS[1])) }, { env: { userInformationApi: 'user_v1' } })).rejects.toThrow(/DOCTYPE/);
  });

  const scim = (id: string, extra: Record<string, unknown> = {}) => ({
    id,
    userName: `${id}@example.com`,
    active: true,
    name: { givenName: 'Ada', familyName: 'Lovelace', middleInitial: null },
    displayName: 'Ada Lovelace',
    emails: [{ value: `${id}@home.example`, type: 'home' }, { value: `${id}@example.com`, type: 'work', primary: true }],
    meta: { created: '2021-11-17T22:44:09.000164Z', lastModified: '2021-11-17T22:48:31.000891Z' },
    'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { companyId: 'C1', employeeNumber: 'E7', startDate: '2021-11-17T00:00:00.000', manager: { value: 'M1' } },
    ...extra,
  });

  it('Identity v4.1: follows nextCursor and maps SCIM users onto the user_information fields', async () => {
    const run = await runStream(userInformation, {
      '/profile/identity/v4.1/Users': (_req, url) =>
        JSON.stringify(
          url.searchParams.get('cursor') === 'c2'
            ? { totalResults: 2, itemsPerPage: 1, Resources: [scim('u2')] }
            : { totalResults: 2, itemsPerPage: 1, Resources: [scim('u1')], nextCursor: 'c2' },
        ),
    });
    expect(run.records.map((r) => r['LoginId'])).toEqual(['u1@example.com', 'u2@example.com']);
    expect(run.records[0]).not.toHaveProperty('OrgUnit1'); // User v1 fields Identity does not have stay absent (null downstream)
    expect(run.records[0]).toMatchObject({
      FirstName: 'Ada', LastName: 'Lovelace', EmailAddress: 'u1@example.com', EmpId: 'E7', Active: true, IdentityId: 'u1', CompanyId: 'C1', ManagerId: 'M1',
      StartDate: '2021-11-17T00:00:00.000Z', Created: '2021-11-17T22:44:09.000Z',
    });
    expect(run.requests.map((r) => new URL(r.url, 'http://x').searchParams.get('count'))).toEqual(['1000', '1000']);
  });

  it('Identity v4.1 refusing a user token is a config error naming the company token and the alternative', async () => {
    await expect(
      runStream(userInformation, { '/profile/identity/v4.1/Users': { status: 403, body: JSON.stringify({ status: '403', detail: 'company level access token required' }) } }),
    ).rejects.toThrow(/company-level tokens only .*user_information_api to "user_v1"/s);
  });
});
