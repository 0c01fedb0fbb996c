import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIM_ADMIN_LOGIN, SIM_USER_LOGIN, startSimulator, type Simulator } from '../helpers/simulator.js';
import { adminToken, get, userToken, type Json } from './support.js';
import { decodeList, loadSchema, parseXml, shapeProblems, without, type SchemaNode } from './xml-support.js';

const V11 = '/api/expense/expensereport/v1.1';
const text: SchemaNode = { type: ['null', 'string'] };
const FORM_TYPE: SchemaNode = { properties: { Name: text, FormCode: text } };
const FORM_DATA: SchemaNode = { properties: { Name: text, FormId: text } };

describe('Expense Report v1.1 XML: CardCharges, Delegators, Expense Form', () => {
  let sim: Simulator;
  let user: string;
  let admin: string;
  const fieldSchema = (loadSchema('expense_form').properties['Fields']?.items ?? {}) as SchemaNode;

  beforeAll(async () => {
    sim = await startSimulator(['--seed', '5', '--users', '6', '--reports', '20', '--entries-per-report', '2']);
    [user, admin] = await Promise.all([userToken(sim), adminToken(sim)]);
  });
  afterAll(async () => {
    await sim.stop();
  });

  it("CardCharges: the token user's charges as XML, equal to the ground truth, with a byte-identical pair and escaped '&'", async () => {
    const schema = without(loadSchema('company_card_transactions'), ['TransactionKey']);
    for (const [token, login] of [
      [user, SIM_USER_LOGIN],
      [admin, SIM_ADMIN_LOGIN],
    ] as const) {
      const r = await get(sim.url, `${V11}/CardCharges/`, token);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toContain('application/xml');
      expect(r.text).toMatch(/^<CardCharges xmlns="https:\/\/www\.concursolutions\.com\/api\/expense\/expensereport\/2011\/03">/);
      expect(r.text).toContain('&amp;');
      expect(r.text).toMatch(/<TransactionAmount>\d+\.\d{8}<\/TransactionAmount>/);
      const decoded = decodeList(r.text, schema);
      expect(decoded).toEqual(await sim.data('card_charges', { user: login }));
      expect(decoded.length).toBeGreaterThanOrEqual(3);
      for (const charge of decoded) expect(shapeProblems(charge, schema)).toEqual([]);
      const keys = decoded.map((c) => JSON.stringify(c));
      expect(new Set(keys).size).toBeLessThan(keys.length); // a duplicate pair
      expect(decoded.some((c) => String(c['Merchant']).includes('&'))).toBe(true);
    }
  });

  it('CardCharges takes no user parameter: a company token sees an empty list', async () => {
    const company = await fetch(`${sim.url}/oauth2/v0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=password&client_id=sim-client-id&client_secret=sim-client-secret&credtype=authtoken&username=7a3c9f1e-4b2d-4e8a-9c61-5f0d2b8e4a17&password=sim-company-request-token',
    }).then(async (res) => ((await res.json()) as { access_token: string }).access_token);
    const r = await get(sim.url, `${V11}/CardCharges?user=ALL`, company);
    expect(r.status).toBe(200);
    expect(decodeList(r.text, {})).toEqual([]);
  });

  it('Delegators: includeInactive=Y adds the inactive ones; both path spellings; ground truth per flag', async () => {
    const schema = loadSchema('expense_delegators');
    const active = await get(sim.url, `${V11}/Delegators`, user);
    const all = await get(sim.url, `${V11}/delegators?includeInactive=Y`, user);
    const explicitN = await get(sim.url, `${V11}/DELEGATORS?includeinactive=N`, user);
    expect([active.status, all.status, explicitN.status]).toEqual([200, 200, 200]);
    expect(active.text).toContain('xmlns="http://www.concursolutions.com/api/expense/expensereport/2011/03"');
    const a = decodeList(active.text, schema);
    const b = decodeList(all.text, schema);
    expect(decodeList(explicitN.text, schema)).toEqual(a);
    expect(b.length).toBeGreaterThan(a.length);
    for (const d of a) expect(b).toContainEqual(d);
    for (const d of b) expect(shapeProblems(d, schema)).toEqual([]);
    expect(a).toEqual(await sim.data('delegators', { user: SIM_USER_LOGIN }));
    expect(b).toEqual(await sim.data('delegators', { user: SIM_USER_LOGIN, includeInactive: 'Y' }));
    expect(b.every((d) => d['DelegatorXUserID'] !== SIM_USER_LOGIN)).toBe(true);
    expect((await get(sim.url, `${V11}/Delegators?includeInactive=maybe`, user)).status).toBe(400);
  });

  it('Expense Form: types → forms → fields (both Fields paths, $ ids URL-encoded), equal to the ground truth', async () => {
    const typesReply = await get(sim.url, `${V11}/report/Forms/`, user);
    expect(typesReply.status).toBe(200);
    const types = decodeList(typesReply.text, FORM_TYPE);
    expect(types).toEqual(await sim.data('form_types'));
    expect(types.map((t) => t['FormCode'])).toEqual(expect.arrayContaining(['RPTINFO', 'ENTRYINFO', 'ALLOCINFO', 'ATTNINFO', 'CARINFO']));

    const forms: Json[] = [];
    for (const type of types) {
      const r = await get(sim.url, `${V11}/report/Forms/${String(type['FormCode'])}`, user);
      expect(r.status).toBe(200);
      forms.push(...decodeList(r.text, FORM_DATA).map((f) => ({ ...f, FormCode: type['FormCode'] })));
    }
    expect(forms).toEqual(await sim.data('forms'));
    expect(forms.some((f) => String(f['FormId']).includes('$'))).toBe(true);
    // CARINFO has no forms: an empty list element.
    const empty = await get(sim.url, `${V11}/report/Forms/CARINFO`, user);
    expect(parseXml(empty.text).children).toHaveLength(0);

    const fields: Json[] = [];
    for (const form of forms) {
      const id = encodeURIComponent(String(form['FormId']));
      const reference = await get(sim.url, `${V11}/report/Form/${id}/Fields`, user);
      const swagger = await get(sim.url, `${V11}/report/Forms/${id}/Fields`, user);
      expect(reference.status).toBe(200);
      expect(swagger.text).toBe(reference.text);
      expect(reference.text).toContain('xmlns="https://www.concursolutions.com/api/expense/expensereport/2011/03"');
      const decoded = decodeList(reference.text, fieldSchema);
      for (const f of decoded) expect(shapeProblems(f, fieldSchema)).toEqual([]);
      fields.push(...decoded.map((f) => ({ ...f, FormId: form['FormId'] })));
    }
    expect(fields).toEqual(await sim.data('form_fields'));
    // MaxLength is an empty element when not applicable; some labels need escaping.
    expect(fields.some((f) => f['MaxLength'] === null)).toBe(true);
    expect(fields.some((f) => String(f['Label']).includes('>'))).toBe(true);
    expect(new Set(fields.map((f) => f['Custom']))).toEqual(new Set([true, false]));
  });

  it('Expense Form: unknown FormCode or FormId → 404 with the XML error body', async () => {
    for (const path of [`${V11}/report/Forms/NOSUCHFORM`, `${V11}/report/Form/gWnope$pnope/Fields`, `${V11}/report/Forms/gWnope/Fields`]) {
      const r = await get(sim.url, path, user);
      expect(r.status).toBe(404);
      expect(r.headers.get('content-type')).toContain('application/xml');
      const error = parseXml(r.text);
      expect(error.name).toBe('Error');
      expect(error.children.map((c) => c.name)).toEqual(['Message', 'Server-Time', 'Id']);
      expect(error.children[1]?.text).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
    }
  });
});
