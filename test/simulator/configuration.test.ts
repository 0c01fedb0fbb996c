import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIM_ADMIN_LOGIN, SIM_USER_LOGIN, startSimulator, type SimCollection, type Simulator } from '../helpers/simulator.js';
import { adminToken, asPage, collect, errorMessage, get, ids, userToken, type Json } from './support.js';
import { loadSchema, parseXml, shapeProblems } from './xml-support.js';

const V3 = '/api/v3.0';

describe('v3 configuration APIs and receipt images', () => {
  let sim: Simulator;
  let user: string;
  let admin: string;

  beforeAll(async () => {
    sim = await startSimulator(['--seed', '12', '--users', '7', '--reports', '30', '--entries-per-report', '3', '--locations', '140']);
    [user, admin] = await Promise.all([userToken(sim), adminToken(sim)]);
  });
  afterAll(async () => {
    await sim.stop();
  });

  const STREAMS: [string, SimCollection, string][] = [
    ['expense_attendee_types', 'attendee_types', `${V3}/expense/attendeetypes?limit=4`],
    ['list_items', 'list_items', `${V3}/common/listitems?limit=30`],
    ['locations', 'locations', `${V3}/common/locations?limit=50`],
    ['expense_group_configurations', 'group_configurations', `${V3}/expense/expensegroupconfigurations?user=ALL&limit=4`],
  ];

  it.each(STREAMS)('%s: pages through Items/NextPage to exactly the ground truth, with the schema keys and types', async (stream, collection, path) => {
    const schema = loadSchema(stream);
    const { items, pages } = await collect(sim.url, path, path.includes('user=') ? admin : user);
    expect(pages).toBeGreaterThan(1);
    expect(items).toEqual(await sim.data(collection));
    for (const item of items) expect(shapeProblems(item, schema)).toEqual([]);
    // GET by id returns the list object.
    const first = items[0] as Json;
    const one = await get(sim.url, new URL(String(first['URI'])).pathname, admin);
    expect(one.status).toBe(200);
    expect(one.body).toEqual(first);
  });

  it('attendee types: company configuration, never NOSHOWS/UNDEF/SYSEMP, ConnectorID "" unless a connector supplies them; trailing slash', async () => {
    const types = asPage(await get(sim.url, `${V3}/expense/attendeetypes/`, user)).Items;
    const codes = types.map((t) => t['Code']);
    expect(codes).toEqual(expect.arrayContaining(['EMPLOYEE', 'BUSGUEST', 'SPOUSE']));
    for (const hidden of ['NOSHOWS', 'UNDEF', 'SYSEMP']) expect(codes).not.toContain(hidden);
    expect(types.some((t) => t['ConnectorID'] === '')).toBe(true);
    expect(types.some((t) => typeof t['ConnectorID'] === 'string' && t['ConnectorID'] !== '')).toBe(true);
    // The attendees' AttendeeTypeID points at these types.
    const attendees = await sim.data('attendees');
    const typeIds = new Set(ids(types));
    expect(attendees.every((a) => typeIds.has(String(a['AttendeeTypeID'])))).toBe(true);
    expect((await get(sim.url, `${V3}/expense/attendeetypes/gWnotatype`, user)).status).toBe(404);
  });

  it('group configurations: default limit 10; the token user\'s group; user=<login>/ALL need the admin role; ids relate to the data', async () => {
    const own = asPage(await get(sim.url, `${V3}/expense/expensegroupconfigurations`, user));
    expect(own.Items).toHaveLength(1);
    const all = await sim.data('group_configurations');
    expect(all.length).toBeGreaterThan(1);
    const reports = await sim.data('reports');
    const userReport = reports.find((r) => r['OwnerLoginID'] === SIM_USER_LOGIN) as Json;
    const group = own.Items[0] as Json;
    const policyIds = (group['Policies'] as Json[]).map((p) => p['ID']);
    expect(policyIds).toContain(userReport['PolicyID']);
    const paymentIds = (group['PaymentTypes'] as Json[]).map((p) => p['ID']);
    const entries = await sim.data('entries');
    expect(entries.every((e) => paymentIds.includes(e['PaymentTypeID']))).toBe(true);
    const denied = await get(sim.url, `${V3}/expense/expensegroupconfigurations?user=ALL`, user);
    expect(denied.status).toBe(403);
    expect(errorMessage(denied)).toContain('Web Services Administrator');
    const forUser = asPage(await get(sim.url, `${V3}/expense/expensegroupconfigurations?user=${SIM_USER_LOGIN}`, admin));
    expect(forUser.Items).toEqual(own.Items);
    const defaultPage = asPage(await get(sim.url, `${V3}/expense/expensegroupconfigurations?user=ALL`, admin));
    expect(defaultPage.Items).toHaveLength(Math.min(10, all.length));
    // Nested shapes as the doc sample: CashAdvance object or null, Policies with ExpenseTypes.
    expect(all.some((g) => g['CashAdvance'] === null)).toBe(true);
    expect(all.some((g) => g['CashAdvance'] !== null)).toBe(true);
    expect(((all[0]?.['Policies'] as Json[])[0]?.['ExpenseTypes'] as Json[]).length).toBeGreaterThan(5);
  });

  it('list items: hierarchical (ParentID, Level1Code…), filters listId, parentId, name, levelNCode; lists too', async () => {
    const lists = (await collect(sim.url, `${V3}/common/lists?limit=2`, user)).items;
    expect(lists).toEqual(await sim.data('lists'));
    const items = await sim.data('list_items');
    const child = items.find((i) => i['Level3Code'] !== null) as Json;
    const parent = items.find((i) => i['ID'] === child['ParentID']) as Json;
    expect(parent['Level2Code']).toBe(child['Level2Code']);
    expect(parent['Level3Code']).toBeNull();
    const byList = (await collect(sim.url, `${V3}/common/listitems?listId=${encodeURIComponent(String(child['ListID']))}&limit=5`, user)).items;
    expect(byList).toEqual(items.filter((i) => i['ListID'] === child['ListID']));
    const children = asPage(await get(sim.url, `${V3}/common/listitems?parentId=${encodeURIComponent(String(parent['ID']))}`, user)).Items;
    expect(children).toEqual(items.filter((i) => i['ParentID'] === parent['ID']));
    const named = asPage(await get(sim.url, `${V3}/common/listitems?name=${encodeURIComponent(String(child['Name']).toUpperCase())}`, user)).Items;
    expect(ids(named)).toContain(child['ID']);
    const level = asPage(await get(sim.url, `${V3}/common/listitems?level1Code=${String(child['Level1Code'])}&limit=100`, user)).Items;
    expect(level).toEqual(items.filter((i) => i['Level1Code'] === child['Level1Code']));
    // The custom-field ListItemIDs of the expense data are items of these lists.
    const reports = await sim.data('reports');
    const orgUnit = reports.find((r) => r['OrgUnit1'] !== null)?.['OrgUnit1'] as Json;
    expect(ids(items)).toContain(orgUnit['ListItemID']);
    const one = await get(sim.url, `${V3}/common/listitems/${encodeURIComponent(String(child['ID']))}`, user);
    expect(one.body).toEqual(child);
  });

  it('locations: --locations N rows; filters country, countrySubdivision, city, name, administrativeRegion; LocationNameId a UUID', async () => {
    const all = await sim.data('locations');
    expect(all).toHaveLength(140);
    expect(all.every((l) => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(String(l['LocationNameId'])))).toBe(true);
    const check = async (query: string, keep: (l: Json) => boolean): Promise<void> => {
      const served = (await collect(sim.url, `${V3}/common/locations?${query}&limit=100`, user)).items;
      expect(served, query).toEqual(all.filter(keep));
      expect(served.length, query).toBeGreaterThan(0);
    };
    await check('country=de', (l) => l['Country'] === 'DE');
    await check('countrySubdivision=US-WA', (l) => l['CountrySubdivision'] === 'US-WA');
    await check('city=Seattle', (l) => String(l['Name']).startsWith('Seattle'));
    await check('name=London', (l) => l['Name'] === 'London');
    await check('administrativeRegion=King%20County', (l) => l['AdministrativeRegion'] === 'King County');
    expect(all.some((l) => l['IsAirport'] === true && l['IATACode'] !== null)).toBe(true);
    // The entries' LocationIDs are locations.
    const entries = await sim.data('entries');
    const locationIds = new Set(ids(all));
    expect(entries.every((e) => locationIds.has(String(e['LocationID'])))).toBe(true);
    const byUuid = await get(sim.url, `${V3}/common/locations/${String(all[20]?.['LocationNameId'])}`, user);
    expect(byUuid.body).toEqual(all[20]);
  });

  it("receipt images: the token user's {ID, URI}; user=<login> needs admin; user=ALL is 400; by id: JSON or XML Image with a temporary URL", async () => {
    const schema = loadSchema('receipt_images');
    const own = (await collect(sim.url, `${V3}/expense/receiptimages?limit=2`, user)).items;
    expect(own.length).toBeGreaterThanOrEqual(5);
    expect(own).toEqual(await sim.data('receipt_images', { user: SIM_USER_LOGIN }));
    for (const image of own) expect(shapeProblems(image, schema)).toEqual([]);
    expect((await get(sim.url, `${V3}/expense/receiptimages?user=${SIM_ADMIN_LOGIN}`, user)).status).toBe(403);
    const forUser = (await collect(sim.url, `${V3}/expense/receiptimages?user=${SIM_USER_LOGIN}`, admin)).items;
    expect(forUser).toEqual(own);
    const all = await get(sim.url, `${V3}/expense/receiptimages?user=ALL`, admin);
    expect(all.status).toBe(400);
    const image = own[0] as Json;
    const path = new URL(String(image['URI'])).pathname;
    const json = await get(sim.url, path, user, { accept: 'application/json' });
    expect(json.status).toBe(200);
    const body = json.body as Json;
    expect(body['ID']).toBe(image['ID']);
    expect(String(body['URI'])).toMatch(new RegExp(`^${sim.url}/_sim/images/receipt/.+\\?expires=\\d+$`));
    const xml = await get(sim.url, path, user, { accept: 'application/xml' });
    expect(xml.headers.get('content-type')).toContain('application/xml');
    const root = parseXml(xml.text);
    expect(root.name).toBe('Image');
    expect(root.attrs['xmlns']).toBe('http://www.concursolutions.com/api/image/2011/02');
    expect(root.children.map((c) => c.name)).toEqual(['Id', 'Url']);
    expect(root.children[0]?.text).toBe(image['ID']);
    const pdf = await fetch(String(body['URI']));
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    // Another user's image is not found for this token.
    const adminImages = await sim.data('receipt_images', { user: SIM_ADMIN_LOGIN });
    expect((await get(sim.url, new URL(String(adminImages[0]?.['URI'])).pathname, user)).status).toBe(404);
  });
});
