import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIM_ADMIN_LOGIN, SIM_COMPANY_ID, SIM_USER_LOGIN, startSimulator, type Simulator } from '../helpers/simulator.js';
import { adminToken, companyToken, get, userToken, type Json } from './support.js';

const HEX32 = /^[0-9A-F]{32}$/;
const BASE = '/expenseconfig/v4';
/** SAP's ErrorMessage of Expense Configuration v4 (and Attendees v4). */
const ERROR_MESSAGE = { errorId: expect.any(String), errorMessage: expect.any(String), httpStatus: expect.any(String), path: expect.any(String), timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) };

describe('Expense Configuration v4', () => {
  let sim: Simulator;
  let company: string;
  let user: string;
  let admin: string;
  let users: Json[];
  const idOf = (login: string): string => String(users.find((u) => u['userName'] === login)?.['id']);

  beforeAll(async () => {
    sim = await startSimulator(['--seed', '43', '--users', '6', '--reports', '5']);
    [company, user, admin] = await Promise.all([companyToken(sim), userToken(sim), adminToken(sim)]);
    users = await sim.data<Json>('identity_users');
  });
  afterAll(async () => {
    await sim.stop();
  });

  it("the company's groups: an array of Group (no policies, payment types or attendee types), for either token kind", async () => {
    for (const token of [company, user]) {
      const r = await get(sim.url, `${BASE}/companies/${SIM_COMPANY_ID}/groupconfigs`, token);
      expect(r.status).toBe(200);
      const groups = r.body as Json[];
      expect(groups.length).toBeGreaterThan(1);
      for (const group of groups) {
        expect(String(group['hierarchyNodeId'])).toMatch(HEX32);
        expect(Object.keys(group).sort()).toEqual(['allowUserDigitalTaxInvoice', 'allowUserRegisterYodlee', 'attendeeListFormId', 'attendeeListFormName', 'cashAdvance', 'groupName', 'hierarchyNodeId']);
        expect(Object.keys(group['cashAdvance'] as Json).sort()).toEqual(['allowUserCarryBalance', 'allowUserLinkMultiple', 'allowUserUpdateExchangeRate', 'name', 'workflowId']);
      }
      // A null workflowId means the group has no cash advance workflow.
      expect(groups.some((g) => (g['cashAdvance'] as Json)['workflowId'] === null)).toBe(true);
    }
  });

  it('a group by id carries what applicableConfigs names, and the whole one equals the ground truth', async () => {
    const groups = (await get(sim.url, `${BASE}/companies/${SIM_COMPANY_ID}/groupconfigs`, company)).body as Json[];
    const whole: Json[] = [];
    for (const group of groups) {
      const id = String(group['hierarchyNodeId']);
      const bare = await get(sim.url, `${BASE}/companies/${SIM_COMPANY_ID}/groupconfigs/${id}`, company);
      expect(bare.body).toEqual(group);
      const some = (await get(sim.url, `${BASE}/companies/${SIM_COMPANY_ID}/groupconfigs/${id}?applicableConfigs=policies`, company)).body as Json;
      expect(Object.keys(some)).toContain('policies');
      expect(Object.keys(some)).not.toContain('paymentTypes');
      whole.push((await get(sim.url, `${BASE}/companies/${SIM_COMPANY_ID}/groupconfigs/${id}?applicableConfigs=attendeeTypes,paymentTypes,policies`, company)).body as Json);
    }
    expect(whole).toEqual(await sim.data('group_configurations_v4'));
    for (const group of whole) {
      const policies = group['policies'] as Json[];
      expect(policies.filter((p) => p['isDefault'] === true)).toHaveLength(1);
      for (const p of policies) expect(String(p['policyId'])).toMatch(HEX32);
      // Attendee types by the codes attendee_types_v4 lists (live ones only).
      const live = new Set((await sim.data<Json>('attendee_types_v4')).filter((t) => t['isDeleted'] === false).map((t) => t['code']));
      for (const a of group['attendeeTypes'] as Json[]) expect(live.has(a['attendeeTypeCode'])).toBe(true);
    }
  });

  it("refusals are SAP's ErrorMessage: an unknown applicableConfigs value (400, naming it), another company or group (404)", async () => {
    const groups = (await get(sim.url, `${BASE}/companies/${SIM_COMPANY_ID}/groupconfigs`, company)).body as Json[];
    const id = String(groups[0]?.['hierarchyNodeId']);
    const bad = await get(sim.url, `${BASE}/companies/${SIM_COMPANY_ID}/groupconfigs/${id}?applicableConfigs=expenseTypes`, company);
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ ...ERROR_MESSAGE, httpStatus: '400 Bad Request', validationErrors: [{ id: expect.any(String), source: 'applicableConfigs', message: expect.stringContaining('expenseTypes') }] });
    const other = await get(sim.url, `${BASE}/companies/00000000-0000-4000-8000-000000000000/groupconfigs`, company);
    expect(other.status).toBe(404);
    expect(other.body).toEqual({ ...ERROR_MESSAGE, httpStatus: '404 Not Found', path: `${BASE}/companies/00000000-0000-4000-8000-000000000000/groupconfigs` });
    expect((await get(sim.url, `${BASE}/companies/${SIM_COMPANY_ID}/groupconfigs/FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF`, company)).status).toBe(404);
  });

  it("user level: a user's group whole, policies, a policy's expense types, payment types and attendee types, all of that user's group", async () => {
    const me = idOf(SIM_USER_LOGIN);
    const group = (await get(sim.url, `${BASE}/users/${me}/groupconfigs`, user)).body as Json;
    expect(group).toEqual((await sim.data<Json>('group_configurations_v4', { user: SIM_USER_LOGIN }))[0]);
    expect((await get(sim.url, `${BASE}/users/${me}/policies`, user)).body).toEqual(group['policies']);
    expect((await get(sim.url, `${BASE}/users/${me}/paymenttypes`, user)).body).toEqual(group['paymentTypes']);
    expect((await get(sim.url, `${BASE}/users/${me}/attendeetypes`, user)).body).toEqual(group['attendeeTypes']);
    const policy = String((group['policies'] as Json[])[0]?.['policyId']);
    const types = (await get(sim.url, `${BASE}/users/${me}/policies/${policy}/expensetypes`, user)).body as Json[];
    expect(types.length).toBeGreaterThan(0);
    for (const type of types) expect(Object.keys(type).sort()).toEqual(['expenseTypeId', 'expenseTypeName', 'isCategory', 'spendCategoryCode', 'spendCategoryName']);
    expect((await get(sim.url, `${BASE}/users/${me}/policies/FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF/expensetypes`, user)).status).toBe(404);
  });

  it("another user's configuration: a company token or an administrator may read it, a plain user gets 403; an unknown user is 404", async () => {
    const someoneElse = idOf(SIM_ADMIN_LOGIN);
    expect((await get(sim.url, `${BASE}/users/${someoneElse}/groupconfigs`, company)).status).toBe(200);
    expect((await get(sim.url, `${BASE}/users/${idOf(SIM_USER_LOGIN)}/groupconfigs`, admin)).status).toBe(200);
    const refused = await get(sim.url, `${BASE}/users/${someoneElse}/groupconfigs`, user);
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({ ...ERROR_MESSAGE, httpStatus: '403 Forbidden' });
    expect((await get(sim.url, `${BASE}/users/00000000-0000-4000-8000-000000000000/groupconfigs`, company)).status).toBe(404);
  });

  it('an injected fault answers in the same ErrorMessage shape, as it does on Attendees v4', async () => {
    await sim.setFaults(['500:path=/expenseconfig/v4/,every=1,count=1', '500:path=/v4/attendees,every=1,count=1']);
    try {
      const config = await get(sim.url, `${BASE}/companies/${SIM_COMPANY_ID}/groupconfigs`, company);
      expect(config.status).toBe(500);
      expect(config.body).toEqual({ ...ERROR_MESSAGE, httpStatus: '500 Internal Server Error' });
      const attendees = await get(sim.url, '/v4/attendees', user);
      expect(attendees.status).toBe(500);
      expect(attendees.body).toEqual({ ...ERROR_MESSAGE, httpStatus: '500 Internal Server Error', path: '/v4/attendees' });
    } finally {
      await sim.setFaults([]);
    }
  });
});
