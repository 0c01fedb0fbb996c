import { connect } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../helpers/simulator.js';
import { adminToken, errorMessage, get, postForm, type TokenBody } from './support.js';

const REPORTS = '/api/v3.0/expense/reports?user=ALL&limit=10';
const ENTRIES = '/api/v3.0/expense/entries?user=ALL&limit=10';

describe('fault injection', () => {
  let sim: Simulator;
  let token: string;
  beforeAll(async () => {
    sim = await startSimulator(['--reports', '30', '--entries-per-report', '3']);
    token = await adminToken(sim);
  });
  afterAll(async () => {
    await sim.stop();
  });
  beforeEach(async () => {
    await sim.setFaults([]);
  });

  const statuses = async (n: number, path = REPORTS): Promise<number[]> => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push((await get(sim.url, path, token)).status);
    return out;
  };

  it('429 every=2 with the default Retry-After of 1 second and the v3 error body', async () => {
    await sim.setFaults(['429:every=2']);
    const replies = [];
    for (let i = 0; i < 4; i++) replies.push(await get(sim.url, REPORTS, token));
    expect(replies.map((r) => r.status)).toEqual([200, 429, 200, 429]);
    expect(replies[1]?.headers.get('retry-after')).toBe('1');
    expect(errorMessage(replies[1] ?? replies[0]!)).toMatch(/Too many requests/);
    expect(replies[1]?.headers.get('concur-correlationid')).not.toBeNull();
  });

  it('429 Retry-After forms: seconds, HTTP-date about a second ahead, none', async () => {
    await sim.setFaults(['429:retry-after=5,count=1']);
    expect((await get(sim.url, REPORTS, token)).headers.get('retry-after')).toBe('5');
    await sim.setFaults(['429:retry-after=date,count=1']);
    const dated = await get(sim.url, REPORTS, token);
    const value = dated.headers.get('retry-after') ?? '';
    expect(value).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    const ahead = Date.parse(value) - Date.now();
    expect(ahead).toBeGreaterThan(0);
    expect(ahead).toBeLessThanOrEqual(2_100);
    await sim.setFaults(['429:retry-after=none,count=1']);
    const none = await get(sim.url, REPORTS, token);
    expect(none.status).toBe(429);
    expect(none.headers.get('retry-after')).toBeNull();
  });

  it('500 every=3,burst=2 gives two consecutive failures starting at every 3rd request', async () => {
    await sim.setFaults(['500:every=3,burst=2']);
    expect(await statuses(8)).toEqual([200, 200, 500, 500, 200, 500, 500, 200]);
  });

  it('503 with count=1 fires once; path= limits a fault to matching paths', async () => {
    await sim.setFaults(['503:count=1']);
    expect(await statuses(3)).toEqual([503, 200, 200]);
    await sim.setFaults(['429:path=/expense/entries']);
    expect(await statuses(2, REPORTS)).toEqual([200, 200]);
    expect(await statuses(2, ENTRIES)).toEqual([429, 429]);
    const { faults: [fault] } = (await (await fetch(`${sim.url}/_sim/faults`)).json()) as { faults: { eligible: number; injected: number }[] };
    expect(fault).toMatchObject({ eligible: 2, injected: 2 });
  });

  it('never applies request faults to the token endpoint or /_sim', async () => {
    await sim.setFaults(['500']);
    const tokenReply = await postForm(sim.url, { grant_type: 'password', client_id: 'sim-client-id', client_secret: 'sim-client-secret', username: 'admin@example.com', password: 'sim-admin-password' });
    expect(tokenReply.status).toBe(200);
    expect((await fetch(`${sim.url}/_sim/stats`)).status).toBe(200);
    expect(await statuses(2)).toEqual([500, 500]);
  });

  it('latency delays every response; slow spikes every Nth and still answers correctly', async () => {
    const normal = await get(sim.url, REPORTS, token);
    await sim.setFaults(['latency:ms=250']);
    const t0 = performance.now();
    const delayed = await get(sim.url, REPORTS, token);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(240);
    expect(delayed.text).toBe(normal.text);

    await sim.setFaults(['slow:ms=1200,every=2']);
    const fast = performance.now();
    expect((await get(sim.url, REPORTS, token)).status).toBe(200);
    expect(performance.now() - fast).toBeLessThan(1_000);
    // The 2nd request is slow enough to trip a short client timeout...
    await expect(fetch(`${sim.url}${REPORTS}`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(300) })).rejects.toThrow();
    expect((await get(sim.url, REPORTS, token)).status).toBe(200);
    // ...and a patient client gets the right answer from the 4th.
    const t1 = performance.now();
    const slow = await get(sim.url, REPORTS, token);
    expect(performance.now() - t1).toBeGreaterThanOrEqual(1_150);
    expect(slow.text).toBe(normal.text);
  });

  it('reset and truncate surface as client errors and do not count as served items', async () => {
    const before = (await sim.stats()).itemsServed['entries'] ?? 0;
    await sim.setFaults(['reset:every=2']);
    expect((await get(sim.url, ENTRIES, token)).status).toBe(200);
    await expect(get(sim.url, ENTRIES, token)).rejects.toThrow();
    await sim.setFaults(['truncate']);
    await expect(get(sim.url, ENTRIES, token)).rejects.toThrow();
    await sim.setFaults([]);
    const after = (await sim.stats()).itemsServed['entries'] ?? 0;
    expect(after - before).toBe(10); // only the one complete page
    const stats = await sim.stats();
    expect(stats.faultsInjected['reset']).toBeGreaterThanOrEqual(1);
    expect(stats.faultsInjected['truncate']).toBeGreaterThanOrEqual(1);
  });

  it('truncate declares the full Content-Length but sends less, then closes', async () => {
    await sim.setFaults(['truncate']);
    const { port } = new URL(sim.url);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(`GET ${REPORTS} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${token}\r\n\r\n`);
      });
      let data = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => {
        data += chunk;
      });
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    const [head = '', body = ''] = raw.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 200 /);
    const declared = Number(/content-length: (\d+)/i.exec(head)?.[1]);
    expect(declared).toBeGreaterThan(0);
    expect(Buffer.byteLength(body)).toBeLessThan(declared);
    expect(Buffer.byteLength(body)).toBeGreaterThan(0);
  });

  it('malformed-json returns 200 with a body that is not JSON; malformed-xml is registered but only hits XML routes', async () => {
    await sim.setFaults(['malformed-json:every=1,count=1', 'malformed-xml']);
    const bad = await get(sim.url, REPORTS, token);
    expect(bad.status).toBe(200);
    expect(bad.headers.get('content-type')).toContain('application/json');
    expect(() => JSON.parse(bad.text) as unknown).toThrow();
    expect((await get(sim.url, REPORTS, token)).status).toBe(200);
    const faults = (await (await fetch(`${sim.url}/_sim/faults`)).json()) as { faults: { name: string; injected: number }[] };
    expect(faults.faults.find((f) => f.name === 'malformed-json')?.injected).toBe(1);
    expect(faults.faults.find((f) => f.name === 'malformed-xml')?.injected).toBe(0);
  });

  it('deny-admin removes the admin role: any user= is 403; own data still works', async () => {
    await sim.setFaults(['deny-admin']);
    const denied = await get(sim.url, REPORTS, token);
    expect(denied.status).toBe(403);
    expect(errorMessage(denied)).toContain('Web Services Administrator');
    expect((await get(sim.url, '/api/v3.0/expense/reports', token)).status).toBe(200);
    const log = await sim.requests();
    expect(log.at(-2)?.fault).toBe('deny-admin');
    expect((await sim.stats()).faultsInjected['deny-admin']).toBeGreaterThanOrEqual(1);
  });

  it('rotate-refresh issues a new refresh token on every refresh and invalidates the old one', async () => {
    await sim.setFaults(['rotate-refresh']);
    const form = { grant_type: 'refresh_token', client_id: 'sim-client-id', client_secret: 'sim-client-secret' };
    const first = await postForm(sim.url, { ...form, refresh_token: 'sim-refresh-token' });
    expect(first.status).toBe(200);
    const rotated = (first.body as TokenBody).refresh_token;
    expect(rotated).not.toBe('sim-refresh-token');
    const reuse = await postForm(sim.url, { ...form, refresh_token: 'sim-refresh-token' });
    expect(reuse.status).toBe(400);
    expect((reuse.body as Record<string, unknown>)['code']).toBe(108);
    const second = await postForm(sim.url, { ...form, refresh_token: rotated });
    expect(second.status).toBe(200);
    expect((second.body as TokenBody).refresh_token).not.toBe(rotated);
    expect((await get(sim.url, REPORTS, (second.body as TokenBody).access_token)).status).toBe(200);
    expect((await sim.stats()).faultsInjected['rotate-refresh']).toBeGreaterThanOrEqual(2);
  });

  it('POST /_sim/faults validates specs, replaces the set and resets counters; faults are in the log', async () => {
    const bad = await fetch(`${sim.url}/_sim/faults`, { method: 'POST', body: JSON.stringify({ faults: ['429:every=zero'] }) });
    expect(bad.status).toBe(400);
    expect(await sim.setFaults(['503:every=2', 'latency:ms=1'])).toEqual([
      { spec: '503:every=2', name: '503', eligible: 0, injected: 0 },
      { spec: 'latency:ms=1', name: 'latency', eligible: 0, injected: 0 },
    ]);
    await sim.clearRequests();
    await statuses(2);
    const log = await sim.requests();
    expect(log.map((l) => [l.status, l.fault])).toEqual([
      [200, 'latency'],
      [503, '503+latency'],
    ]);
    const reset = await sim.setFaults(['503:every=2']);
    expect(reset[0]?.eligible).toBe(0);
  });
});

describe('--fault flags at start-up', () => {
  it('applies repeated --fault flags from the first request', async () => {
    const sim = await startSimulator(['--reports', '5', '--fault', '429:every=1,count=2', '--fault', '500:every=4']);
    try {
      const token = await adminToken(sim);
      const out: number[] = [];
      for (let i = 0; i < 5; i++) out.push((await get(sim.url, REPORTS, token)).status);
      expect(out).toEqual([429, 429, 200, 500, 200]);
    } finally {
      await sim.stop();
    }
  });
});
