import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIM_ADMIN_LOGIN, SIM_COMPANY_ID, SIM_COMPANY_REQUEST_TOKEN, SIM_USER_LOGIN, startSimulator, type Simulator } from '../helpers/simulator.js';
import { adminToken, get, postForm, userToken, type Json, type TokenBody } from './support.js';
import { decodeRecord, loadSchema, parseXml, shapeProblems, without } from './xml-support.js';

const USERS = '/profile/identity/v4.1/Users';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
/** user_information fields the connector maps from Identity v4.1 (never sent by User v1). */
const IDENTITY_ONLY = ['IdentityId', 'ExternalId', 'DisplayName', 'Title', 'PreferredLanguage', 'Timezone', 'CompanyId', 'CostCenter', 'Department', 'Division', 'ManagerId', 'StartDate', 'TerminationDate', 'Created', 'LastModified'];

async function companyToken(sim: Simulator): Promise<string> {
  const r = await postForm(sim.url, {
    grant_type: 'password',
    credtype: 'authtoken',
    client_id: 'sim-client-id',
    client_secret: 'sim-client-secret',
    username: SIM_COMPANY_ID,
    password: SIM_COMPANY_REQUEST_TOKEN,
  });
  return (r.body as TokenBody).access_token;
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
      expect((u['emails'] as Json[])[0]).toMatchObject({ value: u['userName'], type: 'work', primary: true });
      const meta = u['meta'] as Json;
      expect(meta['resourceType']).toBe('User');
      expect(meta['location']).toBe(`${sim.url}${USERS}/${String(u['id'])}`);
      const enterprise = u[ENTERPRISE] as Json;
      expect(enterprise['companyId']).toBe(SIM_COMPANY_ID);
      expect(enterprise['employeeNumber']).toMatch(/^EMP\d+$/);
      if (u['active'] === false) expect(enterprise['terminationDate']).toBeDefined();
    }
    expect(truth.some((u) => (u['name'] as Json)['middleInitial'] !== undefined)).toBe(true);
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
