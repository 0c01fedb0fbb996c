import { readFileSync, statSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byType, errors, jsonFile, runCli } from '../helpers/run-cli.js';
import { SIM_CLIENT_SECRET, SIM_ADMIN_PASSWORD, SIM_COMPANY_REQUEST_TOKEN, startSimulator, type Simulator } from '../helpers/simulator.js';
import { companyConfig, read, simConfig, type Json } from './support.js';

/** The request token of this simulator works for this long after it starts, as Concur's does for 24 hours. */
const REQUEST_TOKEN_TTL_S = 4;

describe('exchange: the config to keep, outside the Airbyte platform', () => {
  let sim: Simulator;
  let startedAt: number;
  beforeAll(async () => {
    startedAt = Date.now();
    sim = await startSimulator(['--reports', '20', '--users', '5', '--request-token-ttl', String(REQUEST_TOKEN_TTL_S)]);
  });
  afterAll(async () => {
    await sim.stop();
  });

  const exchange = async (config: Json) => {
    const output = jsonFile('{}', 'kept');
    const result = await runCli(['exchange', '--config', jsonFile(config), '--output', output]);
    return { ...result, output, kept: JSON.parse(readFileSync(output, 'utf8')) as Json };
  };
  const check = async (config: Json) => {
    const result = await runCli(['check', '--config', jsonFile(config)]);
    return byType(result.messages, 'CONNECTION_STATUS')[0]?.['connectionStatus'] as { status: string; message?: string };
  };

  it('a company request token becomes a company config with the refresh token and the data center, which outlives the request token', async () => {
    const config = companyConfig(sim, { user: 'ALL', days_back: 400 });
    const result = await exchange(config);
    expect(result.code).toBe(0);
    const credentials = result.kept['credentials'] as Json;
    expect(credentials).toEqual({ ...(config['credentials'] as Json), refresh_token: expect.stringMatching(/\S{8,}/) });
    expect(result.kept).toEqual({ ...config, credentials, token_url: `${sim.url}/oauth2/v0/token` });
    expect(statSync(result.output).mode & 0o777).toBe(0o600);
    expect(byType(result.messages, 'LOG').map((m) => m['log']['message']).join('\n')).toMatch(/Wrote .*auth_type "company" with a refresh token valid until \d{4}-\d{2}-\d{2}/);
    for (const secret of [SIM_COMPANY_REQUEST_TOKEN, SIM_CLIENT_SECRET, String(credentials['refresh_token'])]) expect(result.stdout).not.toContain(secret);

    // A day later, as it were: the request token is spent.
    await delay(Math.max(0, startedAt + REQUEST_TOKEN_TTL_S * 1000 + 500 - Date.now()));
    const spent = await check(config);
    expect(spent.status).toBe('FAILED');
    expect(spent.message).toMatch(/company request token is wrong or expired \(request tokens last 24 hours\)/);
    expect(spent.message).toMatch(/run `source-concur exchange --config <config\.json> --output <kept-config\.json>` once/);
    const failedRead = await read(sim, { streams: ['expense_reports'], config });
    expect(errors(failedRead.messages).map((e) => e.failure_type)).toEqual(['config_error']);
    expect(errors(failedRead.messages)[0]?.message).toMatch(/24 hours.*source-concur exchange/);

    expect((await check(result.kept)).status).toBe('SUCCEEDED');
    const kept = await read(sim, { streams: ['expense_reports'], config: result.kept });
    expect(kept.code).toBe(0);
  });

  it('a password becomes a refresh-token grant (no password kept) that reads as the same user', async () => {
    const result = await exchange(simConfig(sim));
    expect(result.code).toBe(0);
    expect(result.kept['credentials']).toEqual({ auth_type: 'refresh_token', client_id: expect.any(String), client_secret: SIM_CLIENT_SECRET, refresh_token: expect.any(String) });
    expect(JSON.stringify(result.kept)).not.toContain(SIM_ADMIN_PASSWORD);
    expect((await check(result.kept)).status).toBe('SUCCEEDED');
  });

  it('refused credentials write nothing and say why', async () => {
    const config = simConfig(sim);
    const output = jsonFile('{"untouched": true}', 'kept');
    const result = await runCli(['exchange', '--config', jsonFile({ ...config, credentials: { ...(config['credentials'] as Json), password: 'wrong' } }), '--output', output]);
    expect(result.code).toBe(1);
    expect(errors(result.messages)[0]).toMatchObject({ failure_type: 'config_error', message: expect.stringMatching(/Check the username and password/) });
    expect(JSON.parse(readFileSync(output, 'utf8'))).toEqual({ untouched: true });
  });

  it('needs --output', async () => {
    const result = await runCli(['exchange', '--config', jsonFile(simConfig(sim))]);
    expect(result.code).toBe(1);
    expect(errors(result.messages)[0]?.message).toMatch(/exchange needs --output <file>/);
  });
});
