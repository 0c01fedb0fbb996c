import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIM_ADMIN_LOGIN, SIM_COMPANY_ID, SIM_USER_LOGIN, startSimulator, type Simulator } from '../helpers/simulator.js';
import { adminToken, companyToken, get, userToken, type Json } from './support.js';
import { decodeRecord, loadSchema, parseXml, shapeProblems, without } from './xml-support.js';

const USERS = '/profile/identity/v4.1/Users';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const SEARCH = `${USERS}/.search`;
const SEARCH_REQUEST = 'urn:ietf:params:scim:api:messages:concur:2.0:SearchRequest';
/** user_information fields the connector maps from Identity v4.1 only (never sent by User v1): the schema says which. */
const IDENTITY_ONLY = Object.entries(loadSchema('user_information').properties)
  .filter(([, p]) => String((p as { description?: unknown }).description ?? '').startsWith('Identity v4.1'))
  .map(([k]) => k);

async function search(sim: Simulator, token: string, body: Json): Promise<{ status: number; body: Json }> {
  const r = await fetch(`${sim.url}${SEARCH}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: r.status, body: (await r.json()) as Json };
}

describe('Identity v4.1 (SCIM) and User v1', () => {
  let sim: Simulator;
  let company: string;
  let user: string;
  let admin: string;

  beforeAll(async () => {
    sim = await startSimulator(['--seed', '31', '--users', '12', '--reports', '10']);
    [company, user, admin] = await Promise.all([companyToken(sim), userToken(sim), adminToken(sim)]);
  });
  afterAll(async () => {
    await sim.stop();
  });

  it('lists every user with count/cursor paging; nextCursor absent on the last page; equal to the ground truth', async () => {
    const truth = await sim.data('identity_users');
    expect(truth).toHaveLength(13);
    const seen: Json[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const r = await get(sim.url, `${USERS}?count=5${cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`}`, company);
      expect(r.status).toBe(200);
      const body = r.body as Json;
      expect(body['schemas']).toEqual(['urn:ietf:params:scim:api:messages:2.0:ListResponse']);
      expect(body['totalResults']).toBe(13);
      expect(body['startIndex']).toBe(seen.length + 1);
      const resources = body['Resources'] as Json[];
      expect(body['itemsPerPage']).toBe(resources.length);
      seen.push(...resources);
      cursor = body['nextCursor'] as string | undefined;
      pages++;
    } while (cursor !== undefined);
    expect(pages).toBe(3);
    expect(seen).toEqual(truth);
    const defaultPage = (await get(sim.url, USERS, company)).body as Json;
    expect(defaultPage['Resources']).toEqual(truth);
    expect(defaultPage).not.toHaveProperty('nextCursor');
  });

  it('SCIM users: the tenant users with ids, names, emails, meta and the enterprise extension', async () => {
    const truth = await sim.data('identity_users');
    const v3Users = await sim.data('users');
    expect(truth.map((u) => u['userName'])).toEqual(v3Users.map((u) => u['LoginID']));
    expect(truth.map((u) => u['id'])).toEqual(v3Users.map((u) => u['ID']));
    for (const u of truth) {
      expect(u['id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(typeof u['active']).toBe('boolean');
      const name = u['name'] as Json;
      expect(typeof name['givenName']).toBe('string');
      expect((u['emails'] as Json[])[0]).toMatchObject({ value: u['userName'], type: 'work', verified: true });
      const meta = u['meta'] as Json;
      expect(meta['resourceType']).toBe('User');
      expect(meta['location']).toBe(`${sim.url}${USERS}/${String(u['id'])}`);
      const enterprise = u[ENTERPRISE] as Json;
      expect(enterprise['companyId']).toBe(SIM_COMPANY_ID);
      expect(enterprise['employeeNumber']).toMatch(/^EMP\d+$/);
      if (u['active'] === false) expect(enterprise['terminationDate']).toBeDefined();
    }
    expect(truth.some((u) => (u['name'] as Json)['middleInitial'] !== undefined)).toBe(true);
    expect(IDENTITY_ONLY).toContain('LastModified');
    const one = await get(sim.url, `${USERS}/${String(truth[3]?.['id'])}`, company);
    expect(one.body).toEqual(truth[3]);
    const missing = await get(sim.url, `${USERS}/00000000-0000-4000-8000-000000000000`, company);
    expect(missing.status).toBe(404);
    expect((missing.body as Json)['schemas']).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);
  });

  it('accepts company-level tokens only: a user token (even the admin) → 403 with a SCIM error body', async () => {
    for (const token of [user, admin]) {
      const r = await get(sim.url, USERS, token);
      expect(r.status).toBe(403);
      expect(r.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '403' });
      expect(String((r.body as Json)['detail'])).toContain('company level access token');
    }
    const bad = await get(sim.url, `${USERS}?cursor=not-a-cursor`, company);
    expect(bad.status).toBe(400);
    expect((bad.body as Json)['status']).toBe('400');
  });

  it('SCIM users are whole, as SAP documents them: every name part, lists of emails, addresses, phones, one emergency contact, locale overrides, the extensions', async () => {
    const truth = await sim.data('identity_users');
    const attributes = new Set(truth.flatMap((u) => Object.keys(u)));
    for (const a of ['nickName', 'dateOfBirth', 'addresses', 'phoneNumbers', 'emergencyContacts', 'localeOverrides', 'schemas', 'urn:ietf:params:scim:schemas:extension:sap:2.0:User']) expect(attributes).toContain(a);
    for (const u of truth) {
      const schemas = u['schemas'] as string[];
      // The schemas list names exactly the extensions the user carries.
      for (const ext of ['urn:ietf:params:scim:schemas:extension:sap:2.0:User', 'urn:ietf:params:scim:schemas:extension:settings:2.0:User']) expect(schemas.includes(ext)).toBe(ext in u);
      expect(Array.isArray(u['addresses']) && Array.isArray(u['phoneNumbers'])).toBe(true);
      const contacts = u['emergencyContacts'];
      expect(contacts === null || (Array.isArray(contacts) && contacts.length === 1)).toBe(true);
      expect(typeof (u['meta'] as Json)['version']).toBe('number');
      const types = (u['addresses'] as Json[]).map((a) => a['type']);
      expect(new Set(types).size).toBe(types.length); // one address per type
      const name = u['name'] as Json;
      expect(u['displayName']).toBe(`${String(u['nickName'] ?? name['givenName'])} ${String(name['familyName'])}`);
      expect((u[ENTERPRISE] as Json)['organization']).toBeTypeOf('string');
    }
    expect(truth.some((u) => (u['addresses'] as Json[]).some((a) => String(a['streetAddress']).includes('\n')))).toBe(true);
  });

  it('POST /Users/.search: a meta.lastModified filter selects by date, pages with a cursor tied to the query, totals the matches', async () => {
    const truth = await sim.data('identity_users');
    const modified = (u: Json): number => Date.parse(String((u['meta'] as Json)['lastModified']));
    const dates = truth.map(modified).sort((a, b) => a - b);
    const pivot = new Date(dates[Math.floor(dates.length / 2)] ?? 0).toISOString();
    const filter = `meta.lastModified ge "${pivot}"`;
    const expected = truth.filter((u) => modified(u) >= Date.parse(pivot));
    expect(expected.length).toBeGreaterThan(1);
    expect(expected.length).toBeLessThan(truth.length);
    const seen: Json[] = [];
    let cursor: string | undefined;
    do {
      const r = await search(sim, company, { schemas: [SEARCH_REQUEST], filter, count: 2, ...(cursor === undefined ? {} : { cursor }) });
      expect(r.status).toBe(200);
      expect(r.body['totalResults']).toBe(expected.length);
      seen.push(...(r.body['Resources'] as Json[]));
      cursor = r.body['nextCursor'] as string | undefined;
      if (cursor !== undefined) {
        // The cursor belongs to its query: with another filter it is refused.
        const other = await search(sim, company, { schemas: [SEARCH_REQUEST], filter: `meta.lastModified gt "${pivot}"`, cursor });
        expect(other.status).toBe(400);
      }
    } while (cursor !== undefined);
    expect(seen).toEqual(expected);
    const between = await search(sim, company, { schemas: [SEARCH_REQUEST], filter: `meta.lastModified gt "${pivot}" and meta.lastModified lt "${pivot}"` });
    expect(between.body['totalResults']).toBe(0);
    const all = await search(sim, company, { schemas: [SEARCH_REQUEST], count: 1000 });
    expect(all.body['Resources']).toEqual(truth);
  });

  it('POST /Users/.search refuses what it cannot run with SAP\'s SCIM error: other filters (invalidFilter), a missing SearchRequest schema, a bad count; user tokens get 403', async () => {
    for (const filter of ['userName eq "user2@example.com"', 'meta.lastModified ge 2026-01-01', 'meta.lastModified ge "yesterday"', 'active eq true or meta.lastModified gt "2026-01-01T00:00:00Z"']) {
      const r = await search(sim, company, { schemas: [SEARCH_REQUEST], filter });
      expect(r.status, filter).toBe(400);
      expect(r.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '400', scimType: 'invalidFilter' });
    }
    expect((await search(sim, company, { filter: 'meta.lastModified ge "2026-01-01T00:00:00Z"' })).body).toMatchObject({ status: '400', scimType: 'invalidSyntax' });
    expect((await search(sim, company, { schemas: [SEARCH_REQUEST], count: 0 })).status).toBe(400);
    expect((await search(sim, company, { schemas: [SEARCH_REQUEST], cursor: 'not-a-cursor' })).status).toBe(400);
    expect((await search(sim, user, { schemas: [SEARCH_REQUEST] })).status).toBe(403);
  });

  it("User v1: the token user's UserProfile (https namespace, Y/N flags, escaped '&'), equal to the ground truth", async () => {
    const schema = without(loadSchema('user_information'), IDENTITY_ONLY);
    const r = await get(sim.url, '/api/user/v1.0/User', user);
    expect(r.status).toBe(200);
    expect(r.text).toMatch(/^<UserProfile xmlns="https:\/\/www\.concursolutions\.com\/api\/user\/2011\/02"/);
    expect(r.text).toContain('R&amp;D');
    expect(r.headers.get('x-api-warn')).toContain('Identity v4.1');
    const profile = decodeRecord(r.text, schema);
    expect(shapeProblems(profile, schema)).toEqual([]);
    const truth = await sim.data('user_profiles');
    expect(profile).toEqual(truth.find((p) => p['LoginId'] === SIM_USER_LOGIN));
    expect(profile['LedgerName']).toBe('R&D');
    for (const p of truth) {
      const served = await get(sim.url, `/api/user/v1.0/User/?loginID=${encodeURIComponent(String(p['LoginId']))}`, admin);
      expect(decodeRecord(served.text, schema)).toEqual(p);
    }
    // Identity and User v1 agree on the people.
    const scim = await sim.data('identity_users');
    expect(truth.map((p) => [p['LoginId'], p['Active']])).toEqual(scim.map((u) => [u['userName'], u['active']]));
  });

  it('User v1: loginID needs an admin role (403 naming it); an unknown login is 404; a company token needs loginID', async () => {
    const denied = await get(sim.url, `/api/user/v1.0/User?loginID=${SIM_ADMIN_LOGIN}`, user);
    expect(denied.status).toBe(403);
    expect(denied.text).toMatch(/User Administrator|Web Services Administrator/);
    expect(parseXml(denied.text).name).toBe('Error');
    const unknown = await get(sim.url, '/api/user/v1.0/user?loginID=nobody@example.com', admin);
    expect(unknown.status).toBe(404);
    expect(parseXml(unknown.text).name).toBe('Error');
    expect((await get(sim.url, '/api/user/v1.0/User', company)).status).toBe(400);
    expect((await get(sim.url, `/api/user/v1.0/User?loginID=${SIM_USER_LOGIN}`, company)).status).toBe(200);
  });
});

describe('POST /_sim/mutate editUsers', () => {
  it('edits distinct users: a new nickName, meta.lastModified now, version up; a lastModified search then finds exactly them', async () => {
    const sim = await startSimulator(['--seed', '32', '--users', '12', '--reports', '5']);
    try {
      const token = await companyToken(sim);
      const before = await sim.data('identity_users');
      const since = new Date().toISOString();
      const result = await sim.mutate({ editUsers: 3 });
      expect(new Set(result.editedUserIds).size).toBe(3);
      const after = await sim.data('identity_users');
      for (const [i, u] of after.entries()) {
        const was = before[i] as Json;
        const edited = result.editedUserIds.includes(String(u['id']));
        const meta = u['meta'] as Json;
        expect(Date.parse(String(meta['lastModified'])) >= Date.parse(since)).toBe(edited);
        expect(meta['version']).toBe(Number((was['meta'] as Json)['version']) + (edited ? 1 : 0));
        if (edited) expect(u['nickName']).toBeTypeOf('string');
        else expect(u).toEqual(was);
      }
      const r = await search(sim, token, { schemas: [SEARCH_REQUEST], filter: `meta.lastModified ge "${since}"` });
      expect((r.body['Resources'] as Json[]).map((u) => u['id']).sort()).toEqual([...result.editedUserIds].sort());
      expect((await sim.mutate({})).editedUserIds).toEqual([]);
    } finally {
      await sim.stop();
    }
  });
});
