import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIM_ADMIN_LOGIN, SIM_USER_LOGIN, startSimulator, type Simulator } from '../helpers/simulator.js';
import { adminToken, companyToken, get, userToken, type Json } from './support.js';

const PATH = '/v4/attendees';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Every page of one request, following nextPage verbatim. */
async function walk(sim: Simulator, first: string, token: string): Promise<{ items: Json[]; pages: Json[] }> {
  const items: Json[] = [];
  const pages: Json[] = [];
  for (let url: string | undefined = first; url !== undefined; ) {
    const r = await get(sim.url, url, token);
    expect(r.status, url).toBe(200);
    const body = r.body as Json;
    pages.push(body);
    items.push(...(body['items'] as Json[]));
    url = body['nextPage'] as string | undefined;
  }
  return { items, pages };
}

describe('Attendees v4 (GET /v4/attendees)', () => {
  let sim: Simulator;
  let company: string;
  let admin: string;
  let user: string;
  let users: Json[];

  beforeAll(async () => {
    sim = await startSimulator(['--seed', '44', '--users', '12', '--reports', '10']);
    [company, admin, user] = await Promise.all([companyToken(sim), adminToken(sim), userToken(sim)]);
    users = await sim.data<Json>('identity_users');
  });
  afterAll(async () => {
    await sim.stop();
  });

  it('per owner by userId with a company token: every user, some with none, some over a page of 100; equal to the ground truth', async () => {
    const read: Json[] = [];
    const counts: number[] = [];
    for (const u of users) {
      const { items, pages } = await walk(sim, `${PATH}?limit=100&userId=${String(u['id'])}`, company);
      for (const item of items) expect(item['ownerUserId']).toBe(u['id']);
      expect(pages.slice(0, -1).every((p) => (p['items'] as Json[]).length === 100)).toBe(true);
      expect(pages.at(-1)?.['nextPage']).toBeUndefined();
      counts.push(items.length);
      read.push(...items);
    }
    expect(counts.some((n) => n === 0)).toBe(true);
    expect(counts.some((n) => n > 100)).toBe(true);
    expect(counts.filter((n) => n > 0 && n <= 6).length).toBeGreaterThan(5);
    expect(read).toEqual(await sim.data<Json>('attendees_v4'));
    expect(new Set(read.map((a) => a['id'])).size).toBe(read.length);
  });

  it('attendees as SAP documents them: UUID ids and uri, owner, amounts, only configured custom fields as {type, value}', async () => {
    const all = await sim.data<Json>('attendees_v4');
    for (const a of all) {
      expect(a['id']).toMatch(UUID);
      expect(a['uri']).toBe(`${sim.url}/v4/attendees/${String(a['id'])}`);
      expect(typeof a['ownerName']).toBe('string');
      expect(String(a['ownerName'])).toMatch(/^[^,]+, [^,]+$/);
      expect(typeof a['totalAmountYtd']).toBe('number');
      expect(Number.isInteger(a['versionNumber'])).toBe(true);
      for (let i = 1; i <= 25; i++) {
        const field = a[`custom${i}`] as Json | undefined;
        if (field === undefined) continue;
        expect(field['type']).toMatch(/^(Text|Boolean|List)$/);
        expect(typeof field['value']).toBe('string');
      }
      expect(a['custom1']).toBeUndefined();
    }
    expect(all.some((a) => a['custom8'] !== undefined)).toBe(true);
    expect(all.some((a) => (a['custom3'] as Json | undefined)?.['listItemId'] !== undefined)).toBe(true);
  });

  it('limit defaults to 25 and is at most 100; a bad limit or offset is a 400 ErrorMessage', async () => {
    const big = users.find((u) => (u['userName'] as string) === 'user5@example.com') as Json;
    const first = await get(sim.url, `${PATH}?userId=${String(big['id'])}`, company);
    expect(((first.body as Json)['items'] as Json[]).length).toBe(25);
    const next = new URL(String((first.body as Json)['nextPage']));
    expect(next.origin).toBe(sim.url);
    expect(next.searchParams.get('userId')).toBe(big['id']);
    for (const bad of [`${PATH}?limit=101&userId=${String(big['id'])}`, `${PATH}?limit=0`, `${PATH}?offset=nonsense`]) {
      const r = await get(sim.url, bad, company);
      expect(r.status, bad).toBe(400);
      const body = r.body as Json;
      expect(body['httpStatus']).toBe('400 Bad Request');
      expect(body['path']).toBe(PATH);
      expect(typeof body['errorMessage']).toBe('string');
      expect(body['errorId']).toMatch(UUID);
      expect(Array.isArray(body['validationErrors'])).toBe(true);
    }
    // An offset of one owner is refused for another.
    const other = users.find((u) => (u['userName'] as string) === SIM_USER_LOGIN) as Json;
    const crossed = await get(sim.url, `${PATH}?userId=${String(other['id'])}&offset=${String(next.searchParams.get('offset'))}`, company);
    expect(crossed.status).toBe(400);
  });

  it("a user token without userId lists the token user's own; userId needs the admin role (403 for a regular user)", async () => {
    const own = await walk(sim, `${PATH}?limit=100`, user);
    expect(own.items).toEqual(await sim.data<Json>('attendees_v4', { user: SIM_USER_LOGIN }));
    const adminOwn = await walk(sim, `${PATH}?limit=100`, admin);
    expect(adminOwn.items).toEqual(await sim.data<Json>('attendees_v4', { user: SIM_ADMIN_LOGIN }));
    expect(adminOwn.items.length).toBeGreaterThan(0);
    const someone = users.find((u) => (u['userName'] as string) === 'user2@example.com') as Json;
    const refused = await get(sim.url, `${PATH}?userId=${String(someone['id'])}`, user);
    expect(refused.status).toBe(403);
    expect(String((refused.body as Json)['errorMessage'])).toContain('Web Services Administrator');
    expect((refused.body as Json)['httpStatus']).toBe('403 Forbidden');
    const allowed = await walk(sim, `${PATH}?limit=100&userId=${String(someone['id'])}`, admin);
    expect(allowed.items).toEqual(await sim.data<Json>('attendees_v4', { user: 'user2@example.com' }));
  });

  it('an unknown userId is a 404; a company token without userId owns no attendees; filters by type and external id', async () => {
    const unknown = await get(sim.url, `${PATH}?userId=00000000-0000-4000-8000-000000000000`, company);
    expect(unknown.status).toBe(404);
    expect((unknown.body as Json)['httpStatus']).toBe('404 Not Found');
    const none = await get(sim.url, PATH, company);
    expect(none.status).toBe(200);
    expect(none.body).toEqual({ items: [] });
    const big = users.find((u) => (u['userName'] as string) === 'user5@example.com') as Json;
    const all = await sim.data<Json>('attendees_v4', { user: 'user5@example.com' });
    const spouses = await walk(sim, `${PATH}?limit=100&attendeeTypeCode=SPOUSE&userId=${String(big['id'])}`, company);
    expect(spouses.items).toEqual(all.filter((a) => a['attendeeTypeCode'] === 'SPOUSE'));
    const ext = all.map((a) => a['externalId']).filter((e): e is string => typeof e === 'string').slice(0, 3);
    const byExternal = await walk(sim, `${PATH}?userId=${String(big['id'])}&externalId=${ext.join(',')}`, company);
    expect(byExternal.items.map((a) => a['externalId'])).toEqual(ext);
  });

  it('deny-admin takes the role away: userId is 403 even for the admin, own attendees still listed', async () => {
    await sim.setFaults(['deny-admin']);
    try {
      const someone = users.find((u) => (u['userName'] as string) === 'user2@example.com') as Json;
      expect((await get(sim.url, `${PATH}?userId=${String(someone['id'])}`, admin)).status).toBe(403);
      expect((await get(sim.url, PATH, admin)).status).toBe(200);
    } finally {
      await sim.setFaults([]);
    }
  });
});
