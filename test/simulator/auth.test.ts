import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIM_ADMIN_LOGIN, SIM_ADMIN_PASSWORD, startSimulator, type Simulator } from '../helpers/simulator.js';
import { adminToken, errorMessage, get, passwordToken, postForm, type TokenBody } from './support.js';

const REPORTS = '/api/v3.0/expense/reports?user=ALL';

describe('data API authentication', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator(['--reports', '10']);
  });
  afterAll(async () => {
    await sim.stop();
  });

  it('answers 401 with the v3 error body for a missing, malformed or unknown token', async () => {
    const missing = await get(sim.url, REPORTS, null);
    expect(missing.status).toBe(401);
    expect(errorMessage(missing)).toMatch(/Authorization/);
    const malformed = await get(sim.url, REPORTS, null, { authorization: 'Basic abc' });
    expect(malformed.status).toBe(401);
    const unknown = await get(sim.url, REPORTS, 'not-a-real-token');
    expect(unknown.status).toBe(401);
    expect(errorMessage(unknown)).toMatch(/invalid|expired/);
    expect(unknown.headers.get('concur-correlationid')).not.toBeNull();
  });

  it('accepts the legacy OAuth scheme as well as Bearer', async () => {
    const token = await adminToken(sim);
    expect((await get(sim.url, REPORTS, null, { authorization: `OAuth ${token}` })).status).toBe(200);
    expect((await get(sim.url, REPORTS, null, { authorization: `bearer ${token}` })).status).toBe(200);
  });
});

describe('token lifetime', () => {
  it('expires access tokens after --token-ttl seconds of real time', async () => {
    const sim = await startSimulator(['--reports', '5', '--token-ttl', '1']);
    try {
      const body = await passwordToken(sim.url, SIM_ADMIN_LOGIN, SIM_ADMIN_PASSWORD);
      expect(body.expires_in).toBe('1');
      expect((await get(sim.url, REPORTS, body.access_token)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      const expired = await get(sim.url, REPORTS, body.access_token);
      expect(expired.status).toBe(401);
      expect(errorMessage(expired)).toContain('expired');
      // The refresh token still works and yields a fresh access token.
      const refreshed = await postForm(sim.url, { grant_type: 'refresh_token', client_id: 'sim-client-id', client_secret: 'sim-client-secret', refresh_token: body.refresh_token });
      expect((await get(sim.url, REPORTS, (refreshed.body as TokenBody).access_token)).status).toBe(200);
    } finally {
      await sim.stop();
    }
  });

  it('uses 403 for unknown/expired tokens with --expired-token-status 403 (missing header stays 401)', async () => {
    const sim = await startSimulator(['--reports', '5', '--expired-token-status', '403', '--fault', 'token-expiry:after=1']);
    try {
      expect((await get(sim.url, REPORTS, 'bogus')).status).toBe(403);
      expect((await get(sim.url, REPORTS, null)).status).toBe(401);
      const token = await adminToken(sim);
      expect((await get(sim.url, REPORTS, token)).status).toBe(200);
      const rejected = await get(sim.url, REPORTS, token);
      expect(rejected.status).toBe(403);
      expect(errorMessage(rejected)).toContain('expired');
    } finally {
      await sim.stop();
    }
  });

  it('token-expiry:after=N rejects each token after N data requests, counted in stats and the log', async () => {
    const sim = await startSimulator(['--reports', '5', '--fault', 'token-expiry:after=3']);
    try {
      const first = await adminToken(sim);
      for (let i = 0; i < 3; i++) expect((await get(sim.url, REPORTS, first)).status).toBe(200);
      expect((await get(sim.url, REPORTS, first)).status).toBe(401);
      expect((await get(sim.url, REPORTS, first)).status).toBe(401);
      const second = await adminToken(sim);
      expect((await get(sim.url, REPORTS, second)).status).toBe(200);
      const stats = await sim.stats();
      expect(stats.faultsInjected['token-expiry']).toBe(2);
      const log = await sim.requests();
      expect(log.filter((l) => l.fault === 'token-expiry')).toHaveLength(2);
      expect(log.filter((l) => l.fault === 'token-expiry').every((l) => l.status === 401)).toBe(true);
    } finally {
      await sim.stop();
    }
  });
});
