import { describe, expect, it } from 'vitest';
import { startSimulator } from '../helpers/simulator.js';
import { asPage, get, postForm, type TokenBody } from './support.js';

const SECRETS = {
  clientSecret: 'log-client-secret-31337',
  adminPassword: 'log-admin-password-8086',
  userPassword: 'log-user-password-6502',
  companyRequestToken: 'log-company-request-token-z80',
  refreshToken: 'log-refresh-token-68000',
};

describe('request log and stats', () => {
  it('records every API call without secrets; /_sim calls are never logged', async () => {
    const sim = await startSimulator([
      '--reports', '12',
      '--client-secret', SECRETS.clientSecret,
      '--admin-password', SECRETS.adminPassword,
      '--user-password', SECRETS.userPassword,
      '--company-request-token', SECRETS.companyRequestToken,
      '--refresh-token', SECRETS.refreshToken,
    ]);
    try {
      const client = { client_id: 'sim-client-id', client_secret: SECRETS.clientSecret };
      const issued: string[] = [];
      const grant = async (form: Record<string, string>): Promise<TokenBody> => {
        const r = await postForm(sim.url, { ...client, ...form });
        const body = r.body as TokenBody;
        if (r.status === 200) issued.push(body.access_token, body.refresh_token, body.id_token);
        return body;
      };
      const admin = await grant({ grant_type: 'password', username: 'admin@example.com', password: SECRETS.adminPassword });
      await grant({ grant_type: 'password', username: 'user1@example.com', password: SECRETS.userPassword });
      await grant({ grant_type: 'password', username: '7a3c9f1e-4b2d-4e8a-9c61-5f0d2b8e4a17', password: SECRETS.companyRequestToken, credtype: 'authtoken' });
      await grant({ grant_type: 'refresh_token', refresh_token: SECRETS.refreshToken });
      await grant({ grant_type: 'password', username: 'admin@example.com', password: 'not-the-password' });
      // A client that (wrongly) puts secrets in the query string.
      await fetch(`${sim.url}/oauth2/v0/token?client_secret=${SECRETS.clientSecret}&password=${SECRETS.adminPassword}`, { method: 'POST' });
      const page = asPage(await get(sim.url, '/api/v3.0/expense/reports?user=ALL&limit=5', admin.access_token, { 'concur-correlationid': 'corr-1' }));
      const own = asPage(await get(sim.url, `/api/v3.0/expense/entries?access_token=${admin.access_token}`, admin.access_token));
      await get(sim.url, '/api/v3.0/expense/reports', null);
      await fetch(`${sim.url}/_sim/stats`);
      expect((await fetch(`${sim.url}/_sim/no-such-endpoint`)).status).toBe(404);
      expect((await fetch(`${sim.url}/_sim/faults`, { method: 'PUT' })).status).toBe(405);

      const log = await sim.requests();
      const text = JSON.stringify(log);
      for (const secret of [...Object.values(SECRETS), ...issued]) expect(text).not.toContain(secret);
      expect(text).not.toContain('/_sim');
      expect(log.map((l) => l.seq)).toEqual([...log.map((l) => l.seq)].sort((a, b) => a - b));
      expect(log.map((l) => [l.method, l.path, l.status])).toEqual([
        ['POST', '/oauth2/v0/token', 200],
        ['POST', '/oauth2/v0/token', 200],
        ['POST', '/oauth2/v0/token', 200],
        ['POST', '/oauth2/v0/token', 200],
        ['POST', '/oauth2/v0/token', 400],
        ['POST', '/oauth2/v0/token', 400],
        ['GET', '/api/v3.0/expense/reports', 200],
        ['GET', '/api/v3.0/expense/entries', 200],
        ['GET', '/api/v3.0/expense/reports', 401],
      ]);
      expect(log.map((l) => l.grant)).toEqual(['password/password', 'password/password', 'password/authtoken', 'refresh_token', 'password/password', null, null, null, null]);
      expect(log.map((l) => l.user)).toEqual([
        'admin@example.com',
        'user1@example.com',
        'company:7a3c9f1e-4b2d-4e8a-9c61-5f0d2b8e4a17',
        'admin@example.com',
        null,
        null,
        'admin@example.com',
        'admin@example.com',
        null,
      ]);
      const list = log[6];
      expect(list).toMatchObject({ listener: 'primary', query: { user: 'ALL', limit: '5' }, fault: null });
      expect(list?.bytes).toBe(Buffer.byteLength(JSON.stringify(page)));
      expect(log[7]?.query).toEqual({ access_token: '[redacted]' });
      expect(Date.parse(list?.at ?? '')).toBeGreaterThan(Date.now() - 60_000);

      const stats = await sim.stats();
      expect(stats.requests).toBe(9);
      expect(stats.byPath).toEqual({ '/api/v3.0/expense/entries': 1, '/api/v3.0/expense/reports': 2, '/oauth2/v0/token': 6 });
      expect(stats.itemsServed['reports']).toBe(5);
      expect(stats.itemsServed['entries']).toBe(own.Items.length);
      expect(stats.tokensIssued).toBe(4);
      expect(stats.refreshes).toBe(1);

      await sim.clearRequests();
      expect(await sim.requests()).toEqual([]);
    } finally {
      await sim.stop();
    }
  });
});
