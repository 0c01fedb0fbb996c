import { lookup } from 'node:dns/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byType, errors, jsonFile, runCli } from '../helpers/run-cli.js';
import {
  SIM_ADMIN_LOGIN,
  SIM_CLIENT_ID,
  SIM_CLIENT_SECRET,
  SIM_COMPANY_ID,
  SIM_COMPANY_REQUEST_TOKEN,
  SIM_REFRESH_TOKEN,
  SIM_USER_LOGIN,
  SIM_USER_PASSWORD,
  startSimulator,
  type Simulator,
} from '../helpers/simulator.js';
import { simConfig, type Json } from './support.js';

async function check(config: unknown) {
  const result = await runCli(['check', '--config', jsonFile(config)]);
  const statuses = byType(result.messages, 'CONNECTION_STATUS');
  return { ...result, status: statuses[0]?.['connectionStatus'] as { status: string; message?: string } | undefined, statusCount: statuses.length };
}

describe('check', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator(['--reports', '20', '--users', '5']);
  });
  afterAll(async () => {
    await sim.stop();
  });

  const token = () => `${sim.url}/oauth2/v0/token`;

  it('succeeds with a password grant, and probes the report list with the configured user', async () => {
    await sim.clearRequests();
    const result = await check(simConfig(sim));
    expect([result.code, result.statusCount, result.status?.status]).toEqual([0, 1, 'SUCCEEDED']);
    const log = await sim.requests();
    expect(log.map((r) => `${r.method} ${r.path} ${r.grant ?? r.query['user'] ?? ''}`)).toEqual(['POST /oauth2/v0/token password/password', 'GET /api/v3.0/expense/reports ALL']);
  });

  it('succeeds with a company request token and hands the platform the refresh token to keep (CONTROL)', async () => {
    const config = {
      credentials: { auth_type: 'company', client_id: SIM_CLIENT_ID, client_secret: SIM_CLIENT_SECRET, company_id: SIM_COMPANY_ID, company_request_token: SIM_COMPANY_REQUEST_TOKEN },
      token_url: token(),
    };
    const result = await check(config);
    expect(result.status?.status).toBe('SUCCEEDED');
    const control = byType(result.messages, 'CONTROL');
    expect(control).toHaveLength(1);
    const updated = control[0]?.['control'].connectorConfig.config as { credentials: Json };
    expect(updated.credentials['refresh_token']).toEqual(expect.any(String));
    expect(updated.credentials['company_request_token']).toBe(SIM_COMPANY_REQUEST_TOKEN);
    // With the stored refresh token, the connection no longer needs the (24-hour) request token.
    const later = await check({ ...updated, credentials: { ...updated.credentials, company_request_token: 'expired-long-ago' } });
    expect(later.status?.status).toBe('SUCCEEDED');
  });

  it('succeeds with a refresh token', async () => {
    const result = await check({ credentials: { auth_type: 'refresh_token', client_id: SIM_CLIENT_ID, client_secret: SIM_CLIENT_SECRET, refresh_token: SIM_REFRESH_TOKEN }, token_url: token() });
    expect(result.status?.status).toBe('SUCCEEDED');
  });

  it.each([
    ['a wrong password', { password: 'wrong' }, /code 5.*Check the username and password/],
    ['a wrong client secret', { client_secret: 'wrong' }, /Check the client secret/],
    ['an unknown client id', { client_id: 'nobody' }, /Check the client id/],
  ])('reports FAILED (exit 0) for %s, saying what to fix', async (_name, change, message) => {
    const base = simConfig(sim);
    const result = await check({ ...base, credentials: { ...(base['credentials'] as Json), ...change } });
    expect([result.code, result.statusCount, result.status?.status]).toEqual([0, 1, 'FAILED']);
    expect(result.status?.message).toMatch(message);
    expect(errors(result.messages)).toEqual([]);
  });

  it('reports FAILED naming the Web Services Administrator role when a non-admin asks for user=ALL', async () => {
    const config = simConfig(sim, { credentials: { auth_type: 'password', client_id: SIM_CLIENT_ID, client_secret: SIM_CLIENT_SECRET, username: SIM_USER_LOGIN, password: SIM_USER_PASSWORD } });
    const result = await check(config);
    expect(result.status?.status).toBe('FAILED');
    expect(result.status?.message).toMatch(/Web Services Administrator/);
    // Another user's login needs the role too; the user's own login is sent as no user parameter, and works.
    const other = await check({ ...config, user: SIM_ADMIN_LOGIN });
    expect(other.status?.status).toBe('FAILED');
    expect(other.status?.message).toMatch(/Web Services Administrator/);
    expect((await check({ ...config, user: SIM_USER_LOGIN })).status?.status).toBe('SUCCEEDED');
    expect((await check(simConfig(sim, { user: SIM_ADMIN_LOGIN }))).status?.status).toBe('SUCCEEDED');
  });

  it('reports FAILED (exit 0) for an invalid config, without any network call', async () => {
    await sim.clearRequests();
    const result = await check({ credentials: { auth_type: 'password', client_id: 'x' }, token_url: token() });
    expect([result.code, result.status?.status]).toEqual([0, 'FAILED']);
    expect(result.status?.message).toMatch(/config\.credentials\.client_secret: is required/);
    expect(await sim.requests()).toEqual([]);
  });

  it('follows the "user lives in another data center" answer (code 16) and then calls that data center', async () => {
    const geo = await startSimulator(['--reports', '5', '--geo-redirect']);
    try {
      const result = await check(simConfig(geo));
      expect(result.status?.status).toBe('SUCCEEDED');
      const log = await geo.requests();
      expect(log.map((r) => `${r.listener} ${r.path} ${r.status}`)).toEqual([
        'primary /oauth2/v0/token 400',
        'secondary /oauth2/v0/token 200',
        'secondary /api/v3.0/expense/reports 200',
      ]);
    } finally {
      await geo.stop();
    }
  });

  describe('a token_url that is not a Concur token endpoint: FAILED naming token_url and what is there; a config error in read', () => {
    let other: Server;
    let otherUrl = '';
    beforeAll(async () => {
      // A web server that is not Concur: a redirect and a home page.
      other = createServer((req, res) => {
        if (req.url === '/moved') res.writeHead(302, { location: 'https://www.example.com/login' }).end();
        else res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Welcome</body></html>');
      });
      await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
      otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      await new Promise((resolve) => other.close(resolve));
    });

    const cases: Array<[string, () => string, RegExp]> = [
      ['a path with no page (404)', () => `${sim.url}/oauth2/v0/tokn`, /there is no page there \(HTTP 404 Not Found\)/],
      ['a redirect', () => `${otherUrl}/moved`, /it redirects \(HTTP 302\) to https:\/\/www\.example\.com\/login/],
      ['a web page answered with 200', () => `${otherUrl}/`, /it answered HTTP 200 with text\/html without an access_token/],
    ];
    it.each(cases)('%s', async (_name, url, found) => {
      const result = await check(simConfig(sim, { token_url: url() }));
      expect([result.code, result.status?.status]).toEqual([0, 'FAILED']);
      expect(result.status?.message).toMatch(/^config\.token_url: The token URL \S+ is not a Concur token endpoint: /);
      expect(result.status?.message).toMatch(found);
      const read = await runCli(['read', '--config', jsonFile(simConfig(sim, { token_url: url() })), '--catalog', jsonFile({ streams: [] })]);
      expect(read.code).toBe(1);
      expect(errors(read.messages).map((e) => [e.failure_type, e.message.replace(found, 'FOUND')])).toEqual([
        ['config_error', expect.stringMatching(/^config\.token_url: .*FOUND/)],
      ]);
    });

    it('a host that does not resolve', async () => {
      const url = 'https://concur-token-url.invalid/oauth2/v0/token';
      const dns = await lookup('concur-token-url.invalid').then(
        () => 'resolved',
        (error: NodeJS.ErrnoException) => error.code,
      );
      const result = await check(simConfig(sim, { token_url: url }));
      if (dns === 'ENOTFOUND') {
        expect([result.code, result.status?.status]).toEqual([0, 'FAILED']);
        expect(result.status?.message).toMatch(/^config\.token_url: The token URL https:\/\/concur-token-url\.invalid\/oauth2\/v0\/token is not a Concur token endpoint: its host concur-token-url\.invalid was not found \(DNS\)/);
      } else {
        // This machine's resolver cannot say "no such host" (no DNS server at all): that is not the config's fault.
        expect(result.code).toBe(1);
        expect(errors(result.messages)[0]?.failure_type).toBe('transient_error');
      }
    });
  });

  it('fails with a transient TRACE and exit 1 (not FAILED) when Concur cannot be reached', async () => {
    const result = await runCli(['check', '--config', jsonFile(simConfig(sim, { token_url: 'http://127.0.0.1:1/oauth2/v0/token' }))], { timeoutMs: 60_000 });
    expect(result.code).toBe(1);
    expect(byType(result.messages, 'CONNECTION_STATUS')).toEqual([]);
    expect(errors(result.messages).map((e) => e.failure_type)).toEqual(['transient_error']);
  });

  it('fails with a transient TRACE when Concur keeps answering 503', async () => {
    const down = await startSimulator(['--reports', '5', '--fault', '503']);
    try {
      const result = await runCli(['check', '--config', jsonFile(simConfig(down))], { timeoutMs: 60_000 });
      expect(result.code).toBe(1);
      expect(errors(result.messages)[0]).toMatchObject({ failure_type: 'transient_error' });
      expect(errors(result.messages)[0]?.message).toMatch(/HTTP 503/);
    } finally {
      await down.stop();
    }
  });
});
