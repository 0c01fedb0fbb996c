import { afterEach, describe, expect, it } from 'vitest';
import type { ConcurClient } from '../../../src/concur/client.js';
import { ConcurError } from '../../../src/concur/errors.js';
import { getOne, paginate, SCIM_PAGES, V3_PAGES, type ConcurRecord } from '../../../src/concur/paging.js';
import { concurError, sendJson, startConcur, startServer, type ConcurFixture, type Handler, type Loopback } from './loopback.js';

const REPORTS = '/api/v3.0/expense/reports';
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((close) => close()));
});

async function concur(handler: Handler, options: Parameters<typeof startConcur>[1] = {}): Promise<ConcurFixture> {
  const fixture = await startConcur(handler, options);
  cleanups.push(fixture.close);
  return fixture;
}

async function server(handler: Handler): Promise<Loopback> {
  const started = await startServer(handler);
  cleanups.push(started.close);
  return started;
}

/** A data server whose pages are keyed by path+query; unknown URLs answer 404. */
function pages(table: (base: string) => Record<string, unknown>): { handler: Handler; bind(base: string): void } {
  let routes: Record<string, unknown> = {};
  return {
    bind(base) {
      routes = table(base);
    },
    handler: (req, res) => {
      // A backstop so that a paginator that fails to stop ends the test instead of spinning forever.
      if (req.index >= 20) return sendJson(res, 200, { Items: [], NextPage: null });
      const body = routes[req.url];
      if (body === undefined) concurError(res, 404, `no page ${req.url}`);
      else sendJson(res, 200, body);
    },
  };
}

async function collect(client: ConcurClient, path: string, query: Record<string, string | number>): Promise<ConcurRecord[][]> {
  const out: ConcurRecord[][] = [];
  for await (const page of paginate(client, V3_PAGES, { path, query })) out.push(page);
  return out;
}

const ids = (result: ConcurRecord[][]) => result.map((page) => page.map((item) => item['ID']));

describe('v3 lists (NextPage) over a real server', () => {
  it('follows NextPage verbatim through three pages, then stops on null', async () => {
    // Opaque offsets with percent-escapes: they must reach the server byte for byte, never rebuilt.
    const page2 = `${REPORTS}?offset=gWq%24Ab%2Fc%3D%3D&limit=100&user=ALL`;
    const page3 = `${REPORTS}?limit=100&offset=Zm9v%2BYmFy&user=ALL`;
    const site = pages((base) => ({
      [`${REPORTS}?limit=100&user=ALL`]: { Items: [{ ID: 'r1' }, { ID: 'r2' }], NextPage: `${base}${page2}` },
      [page2]: { Items: [{ ID: 'r3' }], NextPage: `${base}${page3}` },
      [page3]: { Items: [{ ID: 'r4' }], NextPage: null },
    }));
    const fx = await concur(site.handler);
    site.bind(fx.data.url);

    expect(ids(await collect(fx.client, REPORTS, { limit: 100, user: 'ALL' }))).toEqual([['r1', 'r2'], ['r3'], ['r4']]);
    expect(fx.data.requests.map((r) => r.url)).toEqual([`${REPORTS}?limit=100&user=ALL`, page2, page3]);
    expect(fx.data.requests.every((r) => r.headers.authorization === 'Bearer tok-1')).toBe(true);
    expect(fx.token.requests).toHaveLength(1);
  });

  // `next` is a link to a third page that must never be requested.
  it.each([
    { what: 'NextPage null', last: () => ({ Items: [{ ID: 'r2' }], NextPage: null }), expected: [['r1'], ['r2']] },
    { what: 'NextPage empty', last: () => ({ Items: [{ ID: 'r2' }], NextPage: '' }), expected: [['r1'], ['r2']] },
    { what: 'NextPage blank', last: () => ({ Items: [{ ID: 'r2' }], NextPage: '  ' }), expected: [['r1'], ['r2']] },
    { what: 'NextPage missing', last: () => ({ Items: [{ ID: 'r2' }] }), expected: [['r1'], ['r2']] },
    { what: 'Items empty despite a NextPage', last: (next: string) => ({ Items: [], NextPage: next }), expected: [['r1']] },
    { what: 'Items null despite a NextPage', last: (next: string) => ({ Items: null, NextPage: next }), expected: [['r1']] },
    { what: 'Items missing despite a NextPage', last: (next: string) => ({ NextPage: next }), expected: [['r1']] },
  ])('stops on $what', async ({ last, expected }) => {
    const site = pages((base) => ({
      [REPORTS]: { Items: [{ ID: 'r1' }], NextPage: `${base}${REPORTS}?offset=2` },
      [`${REPORTS}?offset=2`]: last(`${base}${REPORTS}?offset=3`),
      [`${REPORTS}?offset=3`]: { Items: [{ ID: 'r3' }], NextPage: null },
    }));
    const fx = await concur(site.handler);
    site.bind(fx.data.url);

    expect(ids(await collect(fx.client, REPORTS, {}))).toEqual(expected);
    expect(fx.data.requests.map((r) => r.url)).toEqual([REPORTS, `${REPORTS}?offset=2`]);
  });

  it('an empty first page yields nothing', async () => {
    const fx = await concur((_req, res) => sendJson(res, 200, { Items: [], NextPage: null }));
    expect(await collect(fx.client, REPORTS, { limit: 100 })).toEqual([]);
    expect(fx.data.requests).toHaveLength(1);
  });

  it('a NextPage seen twice stops the stream with a payload error instead of looping', async () => {
    const site = pages((base) => ({
      [REPORTS]: { Items: [{ ID: 'r1' }], NextPage: `${base}${REPORTS}?offset=A` },
      [`${REPORTS}?offset=A`]: { Items: [{ ID: 'r2' }], NextPage: `${base}${REPORTS}?offset=B` },
      [`${REPORTS}?offset=B`]: { Items: [{ ID: 'r3' }], NextPage: `${base}${REPORTS}?offset=A` },
    }));
    const fx = await concur(site.handler);
    site.bind(fx.data.url);

    const seen: ConcurRecord[][] = [];
    const error = await (async () => {
      try {
        for await (const page of paginate(fx.client, V3_PAGES, { path: REPORTS, query: {} })) seen.push(page);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConcurError);
    expect((error as ConcurError).kind).toBe('payload');
    expect((error as ConcurError).message).toMatch(/same NextPage/);
    expect(ids(seen)).toEqual([['r1'], ['r2'], ['r3']]);
    expect(fx.data.requests).toHaveLength(3);
  });

  it('a page pointing at itself is caught on the second sight', async () => {
    const site = pages((base) => ({
      [REPORTS]: { Items: [{ ID: 'r1' }], NextPage: `${base}${REPORTS}?offset=X` },
      [`${REPORTS}?offset=X`]: { Items: [{ ID: 'r2' }], NextPage: `${base}${REPORTS}?offset=X` },
    }));
    const fx = await concur(site.handler);
    site.bind(fx.data.url);
    await expect(collect(fx.client, REPORTS, {})).rejects.toMatchObject({ kind: 'payload' });
    expect(fx.data.requests).toHaveLength(2);
  });

  it('wraps Items given as a single object', async () => {
    const fx = await concur((_req, res) => sendJson(res, 200, { Items: { ID: 'only', Name: 'One' }, NextPage: null }));
    expect(await collect(fx.client, REPORTS, {})).toEqual([[{ ID: 'only', Name: 'One' }]]);
  });

  it.each([
    { what: 'an array body', body: [{ ID: 'r1' }], message: /an array/ },
    { what: 'a string body', body: 'hello', message: /string/ },
    { what: 'a scalar item', body: { Items: [{ ID: 'r1' }, 7], NextPage: null }, message: /not an object/ },
    { what: 'a nested array item', body: { Items: [[{ ID: 'r1' }]], NextPage: null }, message: /not an object/ },
  ])('refuses $what as a payload error, without retrying', async ({ body, message }) => {
    const fx = await concur((_req, res) => sendJson(res, 200, body));
    const error: unknown = await collect(fx.client, REPORTS, {}).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConcurError);
    expect((error as ConcurError).kind).toBe('payload');
    expect((error as ConcurError).message).toMatch(message);
    expect(fx.data.requests).toHaveLength(1);
  });

  it('sends relative paths to the token geolocation, with the query', async () => {
    const fx = await concur((_req, res) => sendJson(res, 200, { Items: [{ ID: 'r1' }], NextPage: null }));
    await collect(fx.client, 'api/v3.0/expense/reports', { limit: 100, modifiedDateAfter: '2026-01-01T00:00:00.000', user: 'ALL' });
    expect(fx.data.requests.map((r) => r.url)).toEqual([`${REPORTS}?limit=100&modifiedDateAfter=2026-01-01T00%3A00%3A00.000&user=ALL`]);
    expect(fx.token.requests.map((r) => r.url)).toEqual(['/oauth2/v0/token']);
  });

  it('baseUrlOverride wins over the token geolocation, for first and later pages', async () => {
    const override = await server((req, res) =>
      sendJson(res, 200, req.url.includes('offset') ? { Items: [{ ID: 'r2' }] } : { Items: [{ ID: 'r1' }], NextPage: `${geolocation}${REPORTS}?offset=2` }),
    );
    let geolocation = '';
    const fx = await concur((_req, res) => sendJson(res, 500, {}), { baseUrlOverride: override.url });
    geolocation = fx.data.url;

    expect(ids(await collect(fx.client, REPORTS, {}))).toEqual([['r1'], ['r2']]);
    expect(override.requests.map((r) => r.url)).toEqual([REPORTS, `${REPORTS}?offset=2`]);
    expect(fx.data.requests).toHaveLength(0);
  });

  it('re-bases a NextPage on a foreign origin to the token origin: the token never goes to the foreign host', async () => {
    const foreign = await server((_req, res) => sendJson(res, 200, { Items: [{ ID: 'stolen' }], NextPage: null }));
    const site = pages(() => ({
      [REPORTS]: { Items: [{ ID: 'r1' }], NextPage: `${foreign.url}${REPORTS}?offset=2&limit=100` },
      [`${REPORTS}?offset=2&limit=100`]: { Items: [{ ID: 'r2' }], NextPage: `${foreign.url.replace('127.0.0.1', 'localhost')}${REPORTS}?offset=3` },
      [`${REPORTS}?offset=3`]: { Items: [{ ID: 'r3' }], NextPage: `${foreign.url}${REPORTS}?offset=4` },
      [`${REPORTS}?offset=4`]: { Items: [{ ID: 'r4' }], NextPage: null },
    }));
    const fx = await concur(site.handler);
    site.bind(fx.data.url);

    expect(ids(await collect(fx.client, REPORTS, {}))).toEqual([['r1'], ['r2'], ['r3'], ['r4']]);
    expect(foreign.requests).toHaveLength(0);
    expect(fx.data.requests.map((r) => r.url)).toEqual([REPORTS, `${REPORTS}?offset=2&limit=100`, `${REPORTS}?offset=3`, `${REPORTS}?offset=4`]);
    expect(fx.data.requests.every((r) => r.headers.authorization === 'Bearer tok-1')).toBe(true);
    // One warning per foreign origin, however many links point there.
    const rebased = fx.fx.logs.filter((l) => l.level === 'warn' && l.message.includes('page link on'));
    expect(rebased.map((l) => l.message.includes(foreign.url) || l.message.includes(foreign.url.replace('127.0.0.1', 'localhost')))).toEqual([true, true]);
  });
});

describe('V3_PAGES', () => {
  it.each([
    { body: { Items: [{ ID: 1 }], NextPage: ' https://x/next ' }, items: 1, next: 'https://x/next' },
    { body: { Items: [{ ID: 1 }], NextPage: 42 }, items: 1, next: undefined },
    { body: { Items: { ID: 1 } }, items: 1, next: undefined },
    { body: {}, items: 0, next: undefined },
  ])('$body', ({ body, items, next }) => {
    const page = V3_PAGES.read(body);
    expect(page.items).toHaveLength(items);
    expect(page.next).toBe(next);
  });

  it.each([null, 'text', 3, [{ ID: 1 }]])('a body %j that is not a page object fails the list', async (body) => {
    const fx = await concur((_req, res) => sendJson(res, 200, body));
    await expect(collect(fx.client, REPORTS, {})).rejects.toThrow(ConcurError);
    await expect(collect(fx.client, REPORTS, {})).rejects.toThrow(/not a page object/);
  });
});

describe('SCIM_PAGES over a real server', () => {
  it('passes nextCursor back as cursor, reports the first total once, and stops when no cursor comes', async () => {
    const fx = await concur((req, res) => {
      const cursor = new URL(req.url, 'http://x').searchParams.get('cursor');
      if (cursor === null) sendJson(res, 200, { totalResults: 3, Resources: [{ id: 'u1' }, { id: 'u2' }], nextCursor: 'c2' });
      else sendJson(res, 200, { totalResults: 99, Resources: [{ id: 'u3' }] });
    });
    const totals: number[] = [];
    const out: ConcurRecord[][] = [];
    for await (const page of paginate(fx.client, SCIM_PAGES, { path: '/profile/identity/v4.1/Users', query: { count: 2 } }, undefined, (n) => totals.push(n))) out.push(page);
    expect(out.map((page) => page.map((u) => u['id']))).toEqual([['u1', 'u2'], ['u3']]);
    expect(totals).toEqual([3]);
    expect(fx.data.requests.map((r) => r.url)).toEqual(['/profile/identity/v4.1/Users?count=2', '/profile/identity/v4.1/Users?count=2&cursor=c2']);
  });

  it('a nextCursor seen twice stops the list instead of looping', async () => {
    const fx = await concur((_req, res) => sendJson(res, 200, { Resources: [{ id: 'u1' }], nextCursor: 'same' }));
    const pagesOf = async () => {
      for await (const _page of paginate(fx.client, SCIM_PAGES, { path: '/profile/identity/v4.1/Users', query: {} })) void _page;
    };
    await expect(pagesOf()).rejects.toThrow(/same nextCursor twice/);
  });
});

describe('getOne', () => {
  it('returns the resource; a 404 is for the stream to judge (its failure policy)', async () => {
    const fx = await concur((req, res) => {
      if (req.url.startsWith(`${REPORTS}/known`)) sendJson(res, 200, { ID: 'known', Name: 'Trip' });
      else concurError(res, 404, 'The report does not exist.');
    });
    expect(await getOne(fx.client, `${REPORTS}/known`, { user: 'ada' })).toEqual({ ID: 'known', Name: 'Trip' });
    await expect(getOne(fx.client, `${REPORTS}/gone`, {})).rejects.toMatchObject({ kind: 'not_found' });
    expect(fx.data.requests.map((r) => r.url)).toEqual([`${REPORTS}/known?user=ada`, `${REPORTS}/gone`]);
  });

  it('refuses a non-object body and does not swallow other errors', async () => {
    const fx = await concur((req, res) => {
      if (req.url.includes('array')) sendJson(res, 200, [1, 2]);
      else concurError(res, 403, 'The user does not have the required role.');
    });
    await expect(getOne(fx.client, `${REPORTS}/array`, {})).rejects.toMatchObject({ kind: 'payload' });
    await expect(getOne(fx.client, `${REPORTS}/x`, {})).rejects.toMatchObject({ kind: 'permission' });
  });
});
