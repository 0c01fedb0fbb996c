import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type SimCollection, type Simulator } from '../helpers/simulator.js';
import { adminToken, asPage, collect, errorMessage, get, ids } from './support.js';

const LISTS: [string, SimCollection][] = [
  ['/api/v3.0/expense/reports?user=ALL', 'reports'],
  ['/api/v3.0/expense/entries?user=ALL', 'entries'],
  ['/api/v3.0/expense/itemizations?user=ALL', 'itemizations'],
  ['/api/v3.0/expense/allocations?', 'allocations'], // admin sees every allocation; `user` is not allowed here
  ['/api/v3.0/expense/entryattendeeassociations?user=ALL', 'entry_attendee_associations'],
  ['/api/v3.0/expense/attendees?user=ALL', 'attendees'],
];

describe('v3 paging', () => {
  let sim: Simulator;
  let token: string;
  beforeAll(async () => {
    sim = await startSimulator(['--seed', '3', '--users', '5', '--reports', '130', '--entries-per-report', '3']);
    token = await adminToken(sim);
  });
  afterAll(async () => {
    await sim.stop();
  });

  it.each(LISTS)('%s: following NextPage yields each item once, equal to the ground truth', async (path, collection) => {
    const truth = await sim.data(collection);
    const { items, pages } = await collect(sim.url, `${path}&limit=7`, token);
    expect(new Set(ids(items)).size).toBe(items.length);
    expect(items).toEqual(truth);
    expect(pages).toBe(Math.max(1, Math.ceil(truth.length / 7)));
  });

  it('defaults limit to 25 and clamps large limits to 100', async () => {
    expect(asPage(await get(sim.url, '/api/v3.0/expense/reports?user=ALL', token)).Items).toHaveLength(25);
    expect(asPage(await get(sim.url, '/api/v3.0/expense/reports?user=ALL&limit=500', token)).Items).toHaveLength(100);
  });

  it('rejects non-positive or non-numeric limits', async () => {
    for (const limit of ['0', '-3', 'ten']) {
      const r = await get(sim.url, `/api/v3.0/expense/reports?user=ALL&limit=${limit}`, token);
      expect(r.status).toBe(400);
      expect(errorMessage(r)).toContain('limit');
    }
  });

  it('keeps every original parameter (in order) except offset, on the host the request used', async () => {
    const port = new URL(sim.url).port;
    const base = `http://localhost:${port}`;
    const first = asPage(await get(base, '/api/v3.0/expense/entries?user=ALL&limit=5&isBillable=false&unknownParam=x', token));
    const next = new URL(first.NextPage ?? '');
    expect(next.origin).toBe(base);
    expect(next.pathname).toBe('/api/v3.0/expense/entries');
    expect([...next.searchParams.keys()]).toEqual(['user', 'limit', 'isBillable', 'unknownParam', 'offset']);
    const second = asPage(await get(base, first.NextPage ?? '', token));
    const again = new URL(second.NextPage ?? '');
    expect([...again.searchParams.keys()]).toEqual(['user', 'limit', 'isBillable', 'unknownParam', 'offset']);
    expect(again.searchParams.get('offset')).not.toBe(next.searchParams.get('offset'));
    // Items carry URIs on the same host too.
    expect(String(second.Items[0]?.['URI'])).toMatch(new RegExp(`^${base}/`));
  });

  it('returns {"Items":[],"NextPage":null} for an empty result and null NextPage on the last page', async () => {
    const empty = await get(sim.url, '/api/v3.0/expense/reports?user=nobody@example.com', token);
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual({ Items: [], NextPage: null });
    const all = asPage(await get(sim.url, '/api/v3.0/expense/attendees?user=ALL&limit=100', token));
    expect(all.NextPage).toBeNull();
  });

  it('rejects bad, tampered and foreign offsets with 400', async () => {
    const first = asPage(await get(sim.url, '/api/v3.0/expense/reports?user=ALL&limit=5', token));
    const offset = new URL(first.NextPage ?? '').searchParams.get('offset') ?? '';
    const tampered = Buffer.from(Buffer.from(offset, 'base64url').toString().replace(/:(\d+):/, ':9:')).toString('base64url');
    for (const bad of ['garbage', '!!', tampered, '12']) {
      const r = await get(sim.url, `/api/v3.0/expense/reports?user=ALL&limit=5&offset=${encodeURIComponent(bad)}`, token);
      expect(r.status, bad).toBe(400);
      expect(errorMessage(r)).toContain('offset');
    }
    // A reports token is not valid on entries.
    const foreign = await get(sim.url, `/api/v3.0/expense/entries?user=ALL&offset=${offset}`, token);
    expect(foreign.status).toBe(400);
    // ...nor from a tenant with another seed.
    const other = await startSimulator(['--seed', '4', '--users', '5', '--reports', '130']);
    try {
      const r = await get(other.url, `/api/v3.0/expense/reports?user=ALL&limit=5&offset=${offset}`, await adminToken(other));
      expect(r.status).toBe(400);
    } finally {
      await other.stop();
    }
  });

  it('pages all entries of a large tenant without rescans (consistent, O(limit) pages)', async () => {
    const big = await startSimulator(['--seed', '5', '--reports', '4000', '--entries-per-report', '5']);
    try {
      const t = await adminToken(big);
      const truthCount = (await big.data('entries')).length;
      const started = performance.now();
      const { items, pages } = await collect(big.url, '/api/v3.0/expense/entries?user=ALL&limit=100', t);
      expect(items).toHaveLength(truthCount);
      expect(pages).toBe(Math.ceil(truthCount / 100));
      expect(performance.now() - started).toBeLessThan(15_000);
    } finally {
      await big.stop();
    }
  });

  it('tolerates a trailing slash and case variants in the path; echoes concur-correlationid', async () => {
    const a = await get(sim.url, '/api/v3.0/expense/reports/?user=ALL&limit=3', token, { 'concur-correlationid': 'my-corr-id' });
    expect(a.status).toBe(200);
    expect(a.headers.get('concur-correlationid')).toBe('my-corr-id');
    const b = await get(sim.url, '/API/v3.0/Expense/Reports?user=ALL&limit=3', token);
    expect(b.status).toBe(200);
    expect(asPage(b).Items).toEqual(asPage(a).Items);
    // NextPage keeps the path exactly as requested.
    expect(new URL(asPage(a).NextPage ?? '').pathname).toBe('/api/v3.0/expense/reports/');
    expect(new URL(asPage(b).NextPage ?? '').pathname).toBe('/API/v3.0/Expense/Reports');
    expect(b.headers.get('concur-correlationid')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers unknown routes with 404 and the v3 error body, plus a correlation id', async () => {
    const r = await get(sim.url, '/api/v3.0/expense/nothing-here', token);
    expect(r.status).toBe(404);
    const body = r.body as { Error: Record<string, string> };
    expect(Object.keys(body.Error)).toEqual(['Message', 'Server-Time', 'Id']);
    expect(body.Error['Server-Time']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
    expect(body.Error['Id']).toMatch(/^[0-9A-F-]{36}$/);
    expect(r.headers.get('concur-correlationid')).not.toBeNull();
  });
});

describe('--max-limit', () => {
  it('clamps limit to the configured maximum', async () => {
    const sim = await startSimulator(['--reports', '40', '--max-limit', '10']);
    try {
      const token = await adminToken(sim);
      const page = asPage(await get(sim.url, '/api/v3.0/expense/reports?user=ALL&limit=50', token));
      expect(page.Items).toHaveLength(10);
      expect(new URL(page.NextPage ?? '').searchParams.get('limit')).toBe('50');
    } finally {
      await sim.stop();
    }
  });
});
