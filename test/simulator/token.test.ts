import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../helpers/simulator.js';
import { asPage, get, postForm, type Reply, type TokenBody } from './support.js';

/** Distinctive secrets passed by flag, so the tests can prove they are never echoed. */
const SECRETS = {
  clientId: 'tok-client-7b1e',
  clientSecret: 'tok-secret-Q9x!z',
  adminPassword: 'tok-admin-pw-4471',
  userPassword: 'tok-user-pw-9931',
  companyId: '11111111-2222-4333-8444-555555555555',
  companyRequestToken: 'tok-company-request-ZZ81',
  refreshToken: 'tok-refresh-initial-5150',
};
const FLAGS = [
  '--reports', '20', '--users', '3',
  '--client-id', SECRETS.clientId, '--client-secret', SECRETS.clientSecret,
  '--admin-login', 'boss@corp.test', '--admin-password', SECRETS.adminPassword,
  '--user-login', 'worker@corp.test', '--user-password', SECRETS.userPassword,
  '--company-id', SECRETS.companyId, '--company-request-token', SECRETS.companyRequestToken,
  '--refresh-token', SECRETS.refreshToken,
];

const client = { client_id: SECRETS.clientId, client_secret: SECRETS.clientSecret };

function expectTokenError(r: Reply, status: number, code: number, error: string): void {
  expect(r.status, r.text).toBe(status);
  const body = r.body as Record<string, unknown>;
  expect(body['code']).toBe(code);
  expect(body['error']).toBe(error);
  expect(typeof body['error_description']).toBe('string');
  for (const secret of Object.values(SECRETS)) {
    if (secret !== SECRETS.clientId && secret !== SECRETS.companyId) expect(r.text).not.toContain(secret);
  }
  expect(r.text).not.toContain('wrong-secret-value');
}

describe('POST /oauth2/v0/token', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator(FLAGS);
  });
  afterAll(async () => {
    await sim.stop();
  });

  it('issues a password-grant token with the documented response shape', async () => {
    const before = Math.floor(Date.now() / 1000);
    const r = await postForm(sim.url, { grant_type: 'password', ...client, username: 'boss@corp.test', password: SECRETS.adminPassword });
    expect(r.status).toBe(200);
    const body = r.body as TokenBody;
    expect(Object.keys(body)).toEqual(['access_token', 'token_type', 'expires_in', 'refresh_token', 'refresh_expires_in', 'scope', 'id_token', 'geolocation']);
    expect(body.token_type).toBe('Bearer');
    expect(body.expires_in).toBe('3600'); // a string, as in the reference samples
    expect(body.access_token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(body.id_token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(body.geolocation).toBe(sim.url);
    expect(body.scope.split(' ')).toContain('EXPRPT');
    // refresh_expires_in is an absolute epoch (seconds), about 180 days ahead.
    expect(body.refresh_expires_in).toBeGreaterThanOrEqual(before + 179 * 86_400);
    expect(body.refresh_expires_in).toBeLessThanOrEqual(before + 181 * 86_400);
    expect(r.headers.get('concur-correlationid')).not.toBeNull();
    const again = (await postForm(sim.url, { grant_type: 'password', ...client, username: 'boss@corp.test', password: SECRETS.adminPassword })).body as TokenBody;
    expect(again.access_token).not.toBe(body.access_token);
  });

  it('accepts credtype=password explicitly, logins case-insensitively, and the regular user', async () => {
    const r = await postForm(sim.url, { grant_type: 'password', ...client, username: 'WORKER@corp.test', password: SECRETS.userPassword, credtype: 'password' });
    expect(r.status).toBe(200);
    const token = (r.body as TokenBody).access_token;
    expect(asPage(await get(sim.url, '/api/v3.0/expense/reports', token)).Items.every((i) => i['OwnerLoginID'] === 'worker@corp.test')).toBe(true);
  });

  it('issues company tokens (credtype=authtoken) that act with admin rights but own nothing', async () => {
    const r = await postForm(sim.url, { grant_type: 'password', ...client, username: SECRETS.companyId, password: SECRETS.companyRequestToken, credtype: 'authtoken' });
    expect(r.status).toBe(200);
    const token = (r.body as TokenBody).access_token;
    const all = asPage(await get(sim.url, '/api/v3.0/expense/reports?user=ALL&limit=100', token));
    expect(all.Items).toHaveLength(20);
    expect(asPage(await get(sim.url, '/api/v3.0/expense/reports', token)).Items).toEqual([]);
  });

  it('refreshes with the initial --refresh-token (valid for the admin) and keeps it without rotation', async () => {
    const r = await postForm(sim.url, { grant_type: 'refresh_token', ...client, refresh_token: SECRETS.refreshToken });
    expect(r.status).toBe(200);
    const body = r.body as TokenBody;
    expect(body.refresh_token).toBe(SECRETS.refreshToken);
    const own = asPage(await get(sim.url, '/api/v3.0/expense/reports', body.access_token));
    expect(own.Items.every((i) => i['OwnerLoginID'] === 'boss@corp.test')).toBe(true);
    const second = await postForm(sim.url, { grant_type: 'refresh_token', ...client, refresh_token: SECRETS.refreshToken });
    expect(second.status).toBe(200);
    // A refresh token from a password grant works too.
    const issued = (await postForm(sim.url, { grant_type: 'password', ...client, username: 'worker@corp.test', password: SECRETS.userPassword })).body as TokenBody;
    const viaIssued = await postForm(sim.url, { grant_type: 'refresh_token', ...client, refresh_token: issued.refresh_token });
    expect(viaIssued.status).toBe(200);
  });

  it.each([
    ['wrong password', { grant_type: 'password', username: 'boss@corp.test', password: 'wrong-secret-value' }, 400, 5, 'invalid_grant'],
    ['unknown user', { grant_type: 'password', username: 'ghost@corp.test', password: 'wrong-secret-value' }, 400, 5, 'invalid_grant'],
    ['wrong company request token', { grant_type: 'password', username: SECRETS.companyId, password: 'wrong-secret-value', credtype: 'authtoken' }, 400, 5, 'invalid_grant'],
    ['user password as authtoken', { grant_type: 'password', username: 'boss@corp.test', password: SECRETS.adminPassword, credtype: 'authtoken' }, 400, 5, 'invalid_grant'],
    ['missing username', { grant_type: 'password', password: 'x' }, 400, 51, 'invalid_request'],
    ['missing password', { grant_type: 'password', username: 'boss@corp.test' }, 400, 52, 'invalid_request'],
    ['bad credtype', { grant_type: 'password', username: 'boss@corp.test', password: 'x', credtype: 'magic' }, 400, 120, 'invalid_request'],
    ['missing refresh_token', { grant_type: 'refresh_token' }, 400, 106, 'invalid_request'],
    ['unknown refresh_token', { grant_type: 'refresh_token', refresh_token: 'wrong-secret-value' }, 400, 108, 'invalid_grant'],
  ])('%s → code %#', async (_name, form, status, code, error) => {
    const r = await postForm(sim.url, { ...client, ...form });
    expectTokenError(r, status, code, error);
    if (code === 5) expect((r.body as Record<string, unknown>)['error_description']).toBe('Incorrect Credentials. Please Retry');
  });

  it('checks the client: 61 unknown id, 64 wrong secret (HTTP 401), 62/63/65 missing fields', async () => {
    const base = { grant_type: 'password', username: 'boss@corp.test', password: SECRETS.adminPassword };
    expectTokenError(await postForm(sim.url, { ...base, client_id: 'someone-else', client_secret: SECRETS.clientSecret }), 401, 61, 'invalid_client');
    expectTokenError(await postForm(sim.url, { ...base, client_id: SECRETS.clientId, client_secret: 'wrong-secret-value' }), 401, 64, 'invalid_client');
    expectTokenError(await postForm(sim.url, { ...base, client_secret: SECRETS.clientSecret }), 400, 62, 'invalid_request');
    expectTokenError(await postForm(sim.url, { ...base, client_id: SECRETS.clientId }), 400, 63, 'invalid_request');
    const { grant_type: _omitted, ...noGrant } = base;
    expectTokenError(await postForm(sim.url, { ...noGrant, ...client }), 400, 65, 'invalid_request');
  });

  it('rejects a JSON body (form encoding required)', async () => {
    const res = await fetch(`${sim.url}/oauth2/v0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'password', ...client, username: 'boss@corp.test', password: SECRETS.adminPassword }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as Record<string, unknown>)['code']).toBe(135);
  });
});

describe('--geo-redirect', () => {
  it('answers password grants on the primary with code 16 and the secondary URL; the secondary issues tokens', async () => {
    const sim = await startSimulator(['--geo-redirect', '--reports', '10']);
    try {
      const secondary = sim.secondaryUrl ?? '';
      const form = { grant_type: 'password', client_id: 'sim-client-id', client_secret: 'sim-client-secret', username: 'admin@example.com', password: 'sim-admin-password' };
      const redirected = await postForm(sim.url, form);
      expect(redirected.status).toBe(400);
      expect(redirected.body).toEqual({ code: 16, error: 'invalid_request', error_description: 'user lives elsewhere', geolocation: secondary });
      const company = await postForm(sim.url, { ...form, username: '7a3c9f1e-4b2d-4e8a-9c61-5f0d2b8e4a17', password: 'sim-company-request-token', credtype: 'authtoken' });
      expect((company.body as Record<string, unknown>)['code']).toBe(16);

      const ok = await postForm(secondary, form);
      expect(ok.status).toBe(200);
      const body = ok.body as TokenBody;
      expect(body.geolocation).toBe(secondary);
      const data = await get(body.geolocation, '/api/v3.0/expense/reports?user=ALL', body.access_token);
      expect(data.status).toBe(200);
      expect(String(asPage(data).Items[0]?.['URI'])).toMatch(new RegExp(`^${secondary}/`));

      // Refresh works on both listeners and keeps pointing at the secondary.
      for (const base of [sim.url, secondary]) {
        const refreshed = await postForm(base, { grant_type: 'refresh_token', client_id: 'sim-client-id', client_secret: 'sim-client-secret', refresh_token: body.refresh_token });
        expect(refreshed.status).toBe(200);
        expect((refreshed.body as TokenBody).geolocation).toBe(secondary);
      }
      const log = await sim.requests();
      expect(log.map((l) => l.listener)).toContain('secondary');
      expect(log.find((l) => l.status === 400)?.listener).toBe('primary');
    } finally {
      await sim.stop();
    }
  });
});
