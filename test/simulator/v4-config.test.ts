import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../helpers/simulator.js';
import { adminToken, companyToken, get, userToken, type Json } from './support.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const V4_ERROR = { timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), httpStatus: expect.any(String), error: { id: expect.any(String), message: expect.any(String) }, path: expect.any(String) };

describe('Attendee Types v4, List v4 and List Item v4', () => {
  let sim: Simulator;
  let company: string;
  let user: string;
  let admin: string;

  beforeAll(async () => {
    sim = await startSimulator(['--seed', '41', '--users', '3', '--reports', '5']);
    [company, user, admin] = await Promise.all([companyToken(sim), userToken(sim), adminToken(sim)]);
  });
  afterAll(async () => {
    await sim.stop();
  });

  it('attendee types: a top-level array of every type, a deleted one included, equal to the ground truth', async () => {
    const r = await get(sim.url, '/v4/attendeetypes', company);
    expect(r.status).toBe(200);
    const types = r.body as Json[];
    expect(types).toEqual(await sim.data('attendee_types_v4'));
    for (const type of types) {
      expect(String(type['id'])).toMatch(UUID);
      expect(String((type['form'] as Json)['id'])).toMatch(UUID);
      expect(String(type['code']).length).toBeLessThanOrEqual(8);
      expect(['DS', 'DA', 'AO']).toContain(type['searchPreference']);
      // Absent, not null, without a connector.
      if ('externalConnectorId' in type) expect(type['externalConnectorId']).toEqual(expect.any(String));
    }
    expect(types.filter((t) => t['isDeleted'] === true)).toHaveLength(1);
    expect(types.some((t) => !('externalConnectorId' in t))).toBe(true);
  });

  it('attendee types: company-level tokens only (a user token, even the admin, gets 403 in the v4 error shape); no token is 401', async () => {
    for (const token of [user, admin]) {
      const r = await get(sim.url, '/v4/attendeetypes', token);
      expect(r.status).toBe(403);
      expect(r.body).toEqual({ ...V4_ERROR, httpStatus: '403 - Forbidden', path: '/v4/attendeetypes' });
    }
    const anonymous = await get(sim.url, '/v4/attendeetypes', null);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ httpStatus: '401 - Unauthorized', path: '/v4/attendeetypes' });
  });

  it('lists: one page of the live lists with the page metadata; ?isDeleted=true shows only the deleted one; both token kinds', async () => {
    for (const token of [company, user]) {
      const r = await get(sim.url, '/list/v4/lists', token);
      expect(r.status).toBe(200);
      const body = r.body as { content: Json[]; page: Json; links: unknown[] };
      expect(body.links).toEqual([]);
      expect(body.content).toEqual(await sim.data('lists_v4'));
      expect(body.page).toEqual({ size: 100, totalElements: body.content.length, totalPages: 1, number: 1 });
      expect(body.content.every((l) => l['isDeleted'] === false)).toBe(true);
    }
    const deleted = (await get(sim.url, '/list/v4/lists?isDeleted=true', company)).body as { content: Json[] };
    expect(deleted.content.map((l) => l['isDeleted'])).toEqual([true]);
    const bad = await get(sim.url, '/list/v4/lists?page=0', company);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ httpStatus: '400 - Bad Request', path: '/list/v4/lists' });
  });

  it('list items: page numbers of 100 (the Cost Objects list spans three), a page past the end is empty', async () => {
    const lists = await sim.data('lists_v4');
    const costObjects = lists.find((l) => l['value'] === 'Cost Objects') as Json;
    const path = `/list/v4/lists/${String(costObjects['id'])}/children`;
    const seen: Json[] = [];
    for (let page = 1; page <= 3; page++) {
      const body = (await get(sim.url, `${path}?page=${page}`, company)).body as { content: Json[]; page: Json };
      expect(body.page).toEqual({ size: 100, totalElements: 229, totalPages: 3, number: page });
      seen.push(...body.content);
    }
    expect(seen).toHaveLength(229);
    expect(new Set(seen.map((i) => i['id'])).size).toBe(229);
    const past = (await get(sim.url, `${path}?page=4`, company)).body as { content: Json[] };
    expect(past.content).toEqual([]);
    // isDeleted=true shows the deleted item too.
    const withDeleted = (await get(sim.url, `${path}?isDeleted=true&page=3`, company)).body as { content: Json[]; page: Json };
    expect(withDeleted.page['totalElements']).toBe(230);
    expect(withDeleted.content.filter((i) => i['isDeleted'] === true)).toHaveLength(1);
  });

  it('list items: walking a list level by level (by list, and across lists) gives exactly the ground truth', async () => {
    const truth = await sim.data('list_items_v4');
    const allPages = async (path: string): Promise<Json[]> => {
      const out: Json[] = [];
      for (let page = 1; ; page++) {
        const body = (await get(sim.url, `${path}&page=${page}`, company)).body as { content: Json[]; page: Json };
        out.push(...body.content);
        if (page >= Number(body.page['totalPages'])) return out;
      }
    };
    const walked: Json[] = [];
    for (const list of await sim.data('lists_v4')) {
      const listId = String(list['id']);
      let level = await allPages(`/list/v4/lists/${listId}/children?isDeleted=true`);
      while (level.length > 0) {
        walked.push(...level.map((i) => ({ ...i, listId })));
        const next: Json[] = [];
        for (const item of level) {
          const member = (item['lists'] as Json[]).find((l) => l['id'] === listId);
          if (member?.['hasChildren'] !== true) continue;
          const byList = await allPages(`/list/v4/lists/${listId}/items/${String(item['id'])}/children?isDeleted=true`);
          expect(await allPages(`/list/v4/items/${String(item['id'])}/children?isDeleted=true`)).toEqual(byList);
          for (const child of byList) expect(child['parentId']).toBe(item['id']);
          next.push(...byList);
        }
        level = next;
      }
    }
    const key = (r: Json): string => `${String(r['listId'])}/${String(r['id'])}`;
    expect(walked.map(key).sort()).toEqual(truth.map(key).sort());
    expect(walked.filter((i) => i['isDeleted'] === true).length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...walked.map((i) => Number(i['level'])))).toBe(3);
    for (const item of walked) expect(String(item['id'])).toMatch(UUID);
  });

  it('list items: an unknown list or item is 404 in the v4 error shape', async () => {
    const list = await get(sim.url, '/list/v4/lists/00000000-0000-4000-8000-000000000000/children', company);
    expect(list.status).toBe(404);
    expect(list.body).toEqual({ ...V4_ERROR, httpStatus: '404 - Not Found', path: '/list/v4/lists/00000000-0000-4000-8000-000000000000/children' });
    const item = await get(sim.url, '/list/v4/items/00000000-0000-4000-8000-000000000000/children', company);
    expect(item.status).toBe(404);
    expect(item.body).toMatchObject({ httpStatus: '404 - Not Found' });
  });
});
