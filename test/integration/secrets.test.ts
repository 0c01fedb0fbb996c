import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { occurrences, report } from '../helpers/fault-report.js';
import { byType, jsonFile, runCli, type CliResult } from '../helpers/run-cli.js';
import { SIM_ADMIN_LOGIN, SIM_COMPANY_ID, startSimulator, type Simulator } from '../helpers/simulator.js';
import { ALL_STREAMS } from './ground-truth.js';
import { configuredCatalog, SIX_STREAMS, type Json } from './support.js';

// No planted secret appears in any output of any command, failing or not. The values
// contain characters that URL and form encoding change, so encoded leaks are caught too. The one exception is
// by design: a CONTROL message carries the updated config, credentials included, for the platform to store.
const PLANTED = {
  clientSecret: 'PLANTED-client-secret/+=&?% 7f3a',
  password: 'PLANTED-password#@!: 19c2',
  requestToken: 'PLANTED-request-token~$ 55e1',
  refreshToken: 'PLANTED-refresh-token;, 0b9d',
  wrongPassword: 'PLANTED-wrong-password 1111',
};
const CLIENT_ID = 'planted-client-id';

function leaks(result: CliResult, extra: readonly string[] = []): string[] {
  const lines = [...result.stdout.split('\n').filter((line) => !line.startsWith('{"type":"CONTROL"')), result.stderr];
  const text = lines.join('\n');
  const found: string[] = [];
  const forms = new Set<string>();
  for (const secret of [...Object.values(PLANTED), ...extra]) {
    for (const form of new Set([secret, encodeURIComponent(secret), encodeURIComponent(secret).replaceAll('%20', '+'), JSON.stringify(secret).slice(1, -1)])) {
      forms.add(form);
      if (text.includes(form)) found.push(form);
    }
  }
  // Access, refresh and id tokens the simulator issues are JWT-shaped: none may appear.
  const jwt = /eyJ[A-Za-z0-9_-]{8,}/;
  if (jwt.test(text)) found.push('a JWT-shaped token');
  // For `npm run test:faults`: how often any planted secret, issued refresh token or JWT occurs in this output.
  report({ suite: 'secrets', family: 'CLI output (stdout but CONTROL, stderr)', kind: 'secrets', outputs: 1, chars: text.length, searched: forms.size + 1, hits: occurrences(text, forms, [jwt]) });
  return found;
}

describe('secrets never appear in output', () => {
  let sim: Simulator;
  const controlTokens: string[] = [];
  const token = () => `${sim.url}/oauth2/v0/token`;
  const password = (pw = PLANTED.password): Json => ({
    credentials: { auth_type: 'password', client_id: CLIENT_ID, client_secret: PLANTED.clientSecret, username: SIM_ADMIN_LOGIN, password: pw },
    token_url: token(),
  });
  const company: () => Json = () => ({
    credentials: { auth_type: 'company', client_id: CLIENT_ID, client_secret: PLANTED.clientSecret, company_id: SIM_COMPANY_ID, company_request_token: PLANTED.requestToken },
    token_url: token(),
  });
  const refresh: () => Json = () => ({
    credentials: { auth_type: 'refresh_token', client_id: CLIENT_ID, client_secret: PLANTED.clientSecret, refresh_token: PLANTED.refreshToken },
    token_url: token(),
  });
  const read = async (config: Json, streams: readonly string[] = SIX_STREAMS, extra: string[] = []) =>
    runCli(['read', '--config', jsonFile(config), '--catalog', jsonFile(await configuredCatalog(sim, streams)), ...extra]);
  const remember = (result: CliResult) => {
    for (const m of byType(result.messages, 'CONTROL')) controlTokens.push(String(m['control'].connectorConfig.config.credentials.refresh_token));
    return result;
  };

  beforeAll(async () => {
    sim = await startSimulator([
      '--reports', '60', '--users', '8',
      '--client-id', CLIENT_ID, '--client-secret', PLANTED.clientSecret, '--admin-password', PLANTED.password,
      '--company-request-token', PLANTED.requestToken, '--refresh-token', PLANTED.refreshToken,
      '--fault', 'rotate-refresh',
    ]);
  });
  afterAll(async () => {
    await sim.stop();
  });

  it('spec and discover', async () => {
    expect(leaks(await runCli(['spec']))).toEqual([]);
    expect(leaks(await runCli(['discover', '--config', jsonFile(password())]))).toEqual([]);
    expect(leaks(await runCli(['discover', '--config', jsonFile({ ...password(), user: 'two words' })]))).toEqual([]);
  });

  it('check, succeeding with each grant and failing', async () => {
    for (const config of [password(), company(), refresh()]) {
      const result = remember(await runCli(['check', '--config', jsonFile(config)]));
      expect(byType(result.messages, 'CONNECTION_STATUS')[0]?.['connectionStatus'].status).toBe('SUCCEEDED');
      expect(leaks(result, controlTokens)).toEqual([]);
    }
    for (const config of [password(PLANTED.wrongPassword), { ...password(), token_url: 'http://127.0.0.1:1/oauth2/v0/token' }, { ...password(), credentials: { auth_type: 'password', client_secret: PLANTED.clientSecret } }]) {
      const result = await runCli(['check', '--config', jsonFile(config)], { timeoutMs: 60_000 });
      expect(leaks(result, controlTokens)).toEqual([]);
    }
  });

  it('read with --debug, under faults, failing, with rotating refresh tokens', async () => {
    remember(await runCli(['check', '--config', jsonFile(refresh())]));
    const latest = () => ({ ...refresh(), credentials: { ...(refresh()['credentials'] as Json), refresh_token: controlTokens.at(-1) } });
    expect(leaks(remember(await read(password(), SIX_STREAMS, ['--debug'])), controlTokens)).toEqual([]);
    await sim.setFaults(['rotate-refresh', 'token-expiry:after=40', '500:every=17,count=3', 'reset:every=23,count=2', 'malformed-json:every=29,count=2', '429:every=31,count=2']);
    const faulty = remember(await read(latest(), SIX_STREAMS, ['--debug']));
    expect(faulty.code).toBe(0);
    expect(byType(faulty.messages, 'CONTROL').length).toBeGreaterThan(0);
    expect(leaks(faulty, controlTokens)).toEqual([]);
    await sim.setFaults(['rotate-refresh', '503:path=/expense/entries,every=1']);
    const failing = remember(await read(password(), ['expense_reports', 'expense_entries'], ['--debug']));
    expect(failing.code).toBe(1);
    expect(leaks(failing, controlTokens)).toEqual([]);
    await sim.setFaults(['rotate-refresh', 'deny-admin']);
    const denied = await read(company(), ['expense_reports']);
    expect(denied.code).toBe(1);
    expect(leaks(denied, controlTokens)).toEqual([]);
    await sim.setFaults(['rotate-refresh']);
    expect(leaks(await read(password(PLANTED.wrongPassword), ['expense_reports']), controlTokens)).toEqual([]);
  });

  // Every simulator fault, over all twenty-five streams and every API family, with --debug (which logs every URL).
  it.each([
    ['429:every=9,count=3'],
    ['429:every=9,count=2,retry-after=date'],
    ['500:every=11,burst=2,count=4'],
    ['503:every=13,count=3,retry-after=0'],
    ['slow:every=40,count=1,ms=6000'],
    ['reset:every=12,count=3'],
    ['truncate:every=14,count=3'],
    ['malformed-json:every=10,count=3'],
    ['malformed-xml:every=5,count=3'],
    ['token-expiry:after=15'],
    ['latency:ms=5'],
    ['503:path=/api/expense/extract/,every=1,retry-after=0'],
    ['503:path=/list/v4/,every=1,retry-after=0'],
    ['503:path=/v4/attendeetypes,every=1,retry-after=0'],
    ['503:path=/v4/attendees,every=1,retry-after=0'],
    ['503:path=/expenseconfig/v4/,every=1,retry-after=0'],
  ])('read of all twenty-five streams under %s', async (fault) => {
    await sim.setFaults(['rotate-refresh', fault]);
    const result = remember(await read({ ...company(), request_timeout_seconds: 5 }, ALL_STREAMS, ['--debug']));
    expect((await sim.faults()).find((f) => f.spec === fault)?.injected ?? 0).toBeGreaterThan(0);
    expect(leaks(result, controlTokens)).toEqual([]);
  }, 180_000);
});
