import { describe, expect, it } from 'vitest';
import { expenseGroupConfigurationsV4 } from '../../../src/streams/v4/expense-group-configurations.js';
import { runStream, type Reply, type Routes } from './harness.js';

type Json = Record<string, unknown>;
const COMPANY = '63e447f6-a6a7-4b70-a951-10f45d693b43';
const USER = '32c2fcc3-b2e8-4907-9672-5b3f49b1c643';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** A group as SAP's sample shows it (the company list's shape). */
const group = (id: string, name: string): Json => ({
  hierarchyNodeId: id,
  groupName: name,
  allowUserDigitalTaxInvoice: true,
  allowUserRegisterYodlee: false,
  attendeeListFormId: '5717E29E031346ACB36502AE5E6852BA',
  attendeeListFormName: 'Attendee List Default Form',
  cashAdvance: { allowUserCarryBalance: true, allowUserLinkMultiple: true, allowUserUpdateExchangeRate: true, name: 'Default Cash Advance Workflow', workflowId: '3A2AADC26EE84A1E9833C431FCBB16AC' },
});
/** The same group read by id, with what applicableConfigs asked for. */
const detail = (id: string, name: string): Json => ({
  ...group(id, name),
  policies: [{ policyId: `P-${id}`, policyName: `${name} Policy`, isDefault: true, isInheritable: true }],
  paymentTypes: [{ paymentTypeId: 'CASH', paymentTypeName: 'Cash', isDefault: true }],
  attendeeTypes: [{ attendeeTypeCode: 'SPOUSE', attendeeTypeName: 'Spouse' }],
});
const json = (body: unknown): Reply => JSON.stringify(body);
const v4Error = (status: number, message: string): Reply => ({
  status,
  body: JSON.stringify({ errorId: 'e-1', errorMessage: message, httpStatus: `${status}`, path: '/x', timestamp: '2026-12-05T00:00:00Z' }),
});
const details = (company: string, groups: readonly [string, string][]): Routes =>
  Object.fromEntries(groups.map(([id, name]) => [`/expenseconfig/v4/companies/${company}/groupconfigs/${id}`, json(detail(id, name))]));

describe('expense_group_configurations_v4', () => {
  const groups: [string, string][] = [
    ['40D435A25DAE45A093AF455A93702A02', 'Global'],
    ['11111111111111111111111111111111', 'Germany'],
  ];

  it("with a company token reads every group of the token's company whole, asking for its policies, payment types and attendee types", async () => {
    const run = await runStream(
      expenseGroupConfigurationsV4,
      { [`/expenseconfig/v4/companies/${COMPANY}/groupconfigs`]: json(groups.map(([id, name]) => group(id, name))), ...details(COMPANY, groups) },
      { idClaims: { sub: COMPANY, 'concur.type': 'company' } },
    );
    expect(run.records).toEqual(groups.map(([id, name]) => detail(id, name)));
    const detailRequests = run.requests.map((r) => r.url).filter((u) => u.includes('/groupconfigs/'));
    expect(detailRequests.sort()).toEqual(groups.map(([id]) => `/expenseconfig/v4/companies/${COMPANY}/groupconfigs/${id}?applicableConfigs=attendeeTypes%2CpaymentTypes%2Cpolicies`).sort());
  });

  it('takes a single group object as a list of one (SAP titles the answer "all groups" but shows one object)', async () => {
    const [only] = groups;
    const run = await runStream(
      expenseGroupConfigurationsV4,
      { [`/expenseconfig/v4/companies/${COMPANY}/groupconfigs`]: json(group(only![0], only![1])), ...details(COMPANY, [only!]) },
      { idClaims: { sub: COMPANY, 'concur.type': 'company' } },
    );
    expect(run.records).toEqual([detail(only![0], only![1])]);
  });

  it("without a company id in the token, looks it up in Identity v4.1's enterprise extension", async () => {
    const run = await runStream(
      expenseGroupConfigurationsV4,
      {
        '/profile/identity/v4.1/Users': json({ Resources: [{ id: 'u0' }, { id: 'u1', [ENTERPRISE]: { companyId: COMPANY } }] }),
        [`/expenseconfig/v4/companies/${COMPANY}/groupconfigs`]: json(groups.map(([id, name]) => group(id, name))),
        ...details(COMPANY, groups),
      },
      { env: { principal: 'company' } },
    );
    expect(run.records.map((r) => r['hierarchyNodeId'])).toEqual(groups.map(([id]) => id));
  });

  it("takes the company credentials' company id when the token does not name one, before asking Identity", async () => {
    const run = await runStream(
      expenseGroupConfigurationsV4,
      { [`/expenseconfig/v4/companies/${COMPANY}/groupconfigs`]: json(groups.map(([id, name]) => group(id, name))), ...details(COMPANY, groups) },
      { env: { principal: 'company', grantCompanyId: COMPANY } },
    );
    expect(run.records.map((r) => r['hierarchyNodeId'])).toEqual(groups.map(([id]) => id));
    expect(run.requests.some((r) => r.url.includes('/profile/identity/'))).toBe(false);
  });

  it("asks SAP's sample path (/company/) when the URI template's (/companies/) is not there, and reads each group under it", async () => {
    const routes: Routes = {
      [`/expenseconfig/v4/companies/${COMPANY}/groupconfigs`]: v4Error(404, 'No such path'),
      [`/expenseconfig/v4/company/${COMPANY}/groupconfigs`]: json(groups.map(([id, name]) => group(id, name))),
      ...Object.fromEntries(groups.map(([id, name]) => [`/expenseconfig/v4/company/${COMPANY}/groupconfigs/${id}`, json(detail(id, name))])),
    };
    const run = await runStream(expenseGroupConfigurationsV4, routes, { idClaims: { sub: COMPANY, 'concur.type': 'company' } });
    expect(run.records).toEqual(groups.map(([id, name]) => detail(id, name)));
    expect(run.requests.filter((r) => r.url.includes('/companies/'))).toHaveLength(1);
  });

  it('a company id Concur knows under neither path fails with what to check', async () => {
    const run = runStream(expenseGroupConfigurationsV4, {}, { idClaims: { sub: COMPANY, 'concur.type': 'company' } });
    await expect(run).rejects.toThrow(/neither \/companies\/ nor \/company\/.*company whose groups/);
  });

  it('a token that names no company, refused by Identity v4.1, fails with the ways out', async () => {
    const run = runStream(expenseGroupConfigurationsV4, { '/profile/identity/v4.1/Users': v4Error(403, 'Forbidden') });
    await expect(run).rejects.toThrow(/names no company.*Identity v4\.1.*refused.*auth_type "company"/);
  });

  it("with a user token reads the token user's own group, by the id_token's user id", async () => {
    const run = await runStream(
      expenseGroupConfigurationsV4,
      { [`/expenseconfig/v4/users/${USER}/groupconfigs`]: json(detail(groups[0]![0], groups[0]![1])) },
      { idClaims: { sub: USER, 'concur.type': 'user' } },
    );
    expect(run.records).toEqual([detail(groups[0]![0], groups[0]![1])]);
    expect(run.requests.map((r) => r.url)).toEqual([`/expenseconfig/v4/users/${USER}/groupconfigs`]);
  });

  it('skips a group removed between the list and its request, with a warning', async () => {
    const run = await runStream(
      expenseGroupConfigurationsV4,
      {
        [`/expenseconfig/v4/companies/${COMPANY}/groupconfigs`]: json(groups.map(([id, name]) => group(id, name))),
        ...details(COMPANY, [groups[0]!]),
        [`/expenseconfig/v4/companies/${COMPANY}/groupconfigs/${groups[1]![0]}`]: v4Error(404, 'Group not found'),
      },
      { idClaims: { sub: COMPANY, 'concur.type': 'company' } },
    );
    expect(run.records.map((r) => r['hierarchyNodeId'])).toEqual([groups[0]![0]]);
    expect(run.warnings.join('\n')).toContain('Group not found');
  });

  it('a 403 names the scope and the v3 stream to read instead', async () => {
    const run = runStream(
      expenseGroupConfigurationsV4,
      { [`/expenseconfig/v4/companies/${COMPANY}/groupconfigs`]: v4Error(403, 'Insufficient scope') },
      { idClaims: { sub: COMPANY, 'concur.type': 'company' } },
    );
    await expect(run).rejects.toThrow(/expense\.config\.groups\.restricted\.read.*expense_group_configurations/);
  });

  it('an answer that is not a group fails with a payload error naming the endpoint', async () => {
    const run = runStream(
      expenseGroupConfigurationsV4,
      { [`/expenseconfig/v4/companies/${COMPANY}/groupconfigs`]: json(['not a group']) },
      { idClaims: { sub: COMPANY, 'concur.type': 'company' } },
    );
    await expect(run).rejects.toThrow(/groupconfigs with an item that is not an expense group/);
  });

  it('a user token without an id_token subject fails with the fix', async () => {
    const run = runStream(expenseGroupConfigurationsV4, {}, { env: { principal: 'user' } });
    await expect(run).rejects.toThrow(/names no user id.*company request token/);
  });
});
