import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byType, errors, jsonFile, records, runCli, states, statuses, type Message } from '../helpers/run-cli.js';
import { SIM_CLIENT_ID, SIM_CLIENT_SECRET, SIM_REFRESH_TOKEN, startSimulator, type Simulator } from '../helpers/simulator.js';
import { companyConfig, configuredCatalog, read, simConfig, SIX_STREAMS, type Json } from './support.js';

describe('read: bad input and cancellation', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator(['--seed', '5', '--reports', '300', '--users', '20']);
  });
  afterAll(async () => {
    await sim.stop();
  });

  it('emits an ERROR trace for an unknown stream and an INVALID sync mode (CAT), and still reads the rest', async () => {
    const catalog = (await configuredCatalog(sim, ['expense_reports'])) as { streams: Array<Record<string, unknown>> };
    catalog.streams.push(
      { stream: { name: '__AIRBYTE__stream_that_does_not_exist', json_schema: {}, supported_sync_modes: ['full_refresh'] }, sync_mode: 'full_refresh', destination_sync_mode: 'overwrite' },
      { ...(catalog.streams[0] as object), stream: { ...((catalog.streams[0] as { stream: object }).stream), name: 'expense_entries' }, sync_mode: 'INVALID' },
    );
    const result = await runCli(['read', '--config', jsonFile(simConfig(sim)), '--catalog', jsonFile(catalog)]);
    expect(result.code).toBe(1);
    const failures = errors(result.messages);
    expect(failures.map((e) => [e.stream_descriptor?.name, e.failure_type])).toEqual([
      ['__AIRBYTE__stream_that_does_not_exist', 'config_error'],
      ['expense_entries', 'config_error'],
    ]);
    expect(failures[0]?.message).toMatch(/not offered by this source/);
    expect(failures[1]?.message).toMatch(/catalog\.streams\[2\]\.sync_mode: must be one of/);
    expect(statuses(result.messages, 'expense_reports').at(-1)).toBe('COMPLETE');
    expect(records(result.messages, 'expense_reports')).toHaveLength(300);
  });

  describe('discover offers what the credentials can read', () => {
    const offered = async (config: Json) => {
      const result = await runCli(['discover', '--config', jsonFile(config)]);
      expect(result.code).toBe(0);
      return (byType(result.messages, 'CATALOG')[0]?.['catalog'] as { streams: Json[] }).streams.map((s) => s['name']);
    };

    it('a user-level token (password grant) is not offered user_information from Identity v4.1, without asking Concur', async () => {
      await sim.clearRequests();
      const streams = await offered(simConfig(sim));
      expect(streams).toHaveLength(23);
      expect(streams).not.toContain('user_information');
      expect(await sim.requests()).toEqual([]);
      expect(await offered(simConfig(sim, { user_information_api: 'user_v1' }))).toContain('user_information');
      expect(await offered(companyConfig(sim))).toHaveLength(25);
    });

    it('a refresh token is exchanged once to learn whose token it is (its id_token)', async () => {
      const refresh = { auth_type: 'refresh_token', client_id: SIM_CLIENT_ID, client_secret: SIM_CLIENT_SECRET, refresh_token: SIM_REFRESH_TOKEN };
      await sim.clearRequests();
      expect(await offered(simConfig(sim, { credentials: refresh }))).not.toContain('user_information');
      expect((await sim.requests()).map((r) => `${r.method} ${r.path} ${r.grant}`)).toEqual(['POST /oauth2/v0/token refresh_token']);
    });

    it('reading user_information anyway with a user-level token fails that stream with what to change; the rest is read', async () => {
      const result = await read(sim, { streams: ['user_information', 'expense_reports'] });
      expect(result.code).toBe(1);
      expect(errors(result.messages).map((e) => [e.stream_descriptor?.name, e.failure_type])).toEqual([['user_information', 'config_error']]);
      expect(errors(result.messages)[0]?.message).toMatch(/company-level tokens only.*auth_type "company".*user_information_api to "user_v1"/);
      expect(statuses(result.messages, 'expense_reports').at(-1)).toBe('COMPLETE');
    });
  });

  it('names the offered stream a misspelt configured stream most likely means', async () => {
    const catalog = (await configuredCatalog(sim, ['expense_reports'])) as { streams: Array<{ stream: Record<string, unknown> }> };
    const entry = catalog.streams[0] as { stream: Record<string, unknown> };
    entry.stream = { ...entry.stream, name: 'expense_report' };
    const result = await runCli(['read', '--config', jsonFile(simConfig(sim)), '--catalog', jsonFile(catalog)]);
    expect(result.code).toBe(1);
    expect(errors(result.messages)[0]?.message).toMatch(/Stream "expense_report" is not offered by this source \(did you mean "expense_reports"\?\)/);
  });

  it('check names a misspelt credentials field beside the missing one, as a FAILED status', async () => {
    const config = simConfig(sim) as { credentials: Record<string, unknown> };
    const { password, ...rest } = config.credentials;
    const result = await runCli(['check', '--config', jsonFile({ ...config, credentials: { ...rest, pasword: password } })]);
    expect(result.code).toBe(0);
    const status = byType(result.messages, 'CONNECTION_STATUS')[0]?.['connectionStatus'] as { status: string; message: string };
    expect(status.status).toBe('FAILED');
    expect(status.message).toMatch(/config\.credentials\.password: is required; config\.credentials\.pasword is not a field of auth_type "password" \(did you mean "password"\?\)/);
    expect(result.stdout).not.toContain(String(password));
  });

  it('refuses a state it cannot use for that stream only, naming the path, and keeps the rest going', async () => {
    const state = [
      { type: 'STREAM', stream: { stream_descriptor: { name: 'expense_reports' }, stream_state: { cursor: 'last tuesday' } } },
      { type: 'STREAM', stream: { stream_descriptor: { name: 'no_such_stream' }, stream_state: { cursor: '2026-01-01T00:00:00Z' } } },
    ];
    const result = await read(sim, { streams: ['expense_reports', 'expense_allocations'], mode: 'incremental', state });
    expect(result.code).toBe(1);
    expect(errors(result.messages)).toEqual([
      expect.objectContaining({ failure_type: 'config_error', stream_descriptor: { name: 'expense_reports' }, message: expect.stringMatching(/stream_state\.cursor "last tuesday" is not an RFC 3339/) }),
    ]);
    expect(statuses(result.messages, 'expense_allocations').at(-1)).toBe('COMPLETE');
    const logs = byType(result.messages, 'LOG').map((m) => String(m['log'].message));
    expect(logs.some((l) => l.includes('"no_such_stream", which is not in the configured catalog'))).toBe(true);
  });

  it.each([
    ['a missing catalog file', ['--catalog', '/nonexistent/catalog.json'], /--catalog \/nonexistent\/catalog\.json.*ENOENT/],
    ['a catalog that is not JSON', ['--catalog', 'NOT_JSON'], /--catalog .* is not valid JSON/],
    ['a state of the wrong shape', ['--state', 'WRONG_STATE'], /Invalid --state: expected a JSON array/],
  ])('fails with one config_error TRACE and exit 1 for %s', async (_name, extra, message) => {
    const args = ['read', '--config', jsonFile(simConfig(sim)), '--catalog', jsonFile(await configuredCatalog(sim, ['expense_reports']))];
    const replace = (flag: string, value: string) => {
      const at = args.indexOf(flag);
      if (at >= 0) args[at + 1] = value;
      else args.push(flag, value);
    };
    const [flag, value] = extra as [string, string];
    replace(flag, value === 'NOT_JSON' ? jsonFile('{"streams": [') : value === 'WRONG_STATE' ? jsonFile({ expense_reports: { cursor: 'x' } }) : value);
    const result = await runCli(args);
    expect(result.code).toBe(1);
    expect(errors(result.messages)).toHaveLength(1);
    expect(errors(result.messages)[0]).toMatchObject({ failure_type: 'config_error' });
    expect(errors(result.messages)[0]?.message).toMatch(message);
    expect(byType(result.messages, 'RECORD')).toEqual([]);
  });

  it('fails once, as a config error, when the credentials are refused', async () => {
    const base = simConfig(sim);
    const result = await read(sim, { config: { ...base, credentials: { ...(base['credentials'] as object), password: 'nope' } } });
    expect(result.code).toBe(1);
    expect(errors(result.messages)).toEqual([expect.objectContaining({ failure_type: 'config_error', message: expect.stringMatching(/Check the username and password/) })]);
    expect(byType(result.messages, 'RECORD')).toEqual([]);
  });

  it('refuses an unknown command with usage and exit 1', async () => {
    const result = await runCli(['sync']);
    expect(result.code).toBe(1);
    expect(errors(result.messages)[0]?.message).toMatch(/Unknown command "sync"/);
  });

  it('accepts --debug: requests are logged with the correlation id, tokens never', async () => {
    const args = ['read', '--config', jsonFile(simConfig(sim)), '--catalog', jsonFile(await configuredCatalog(sim, ['expense_reports'])), '--debug'];
    const result = await runCli(args);
    expect(result.code).toBe(0);
    const debug = byType(result.messages, 'LOG').filter((m) => m['log'].level === 'DEBUG').map((m) => String(m['log'].message));
    expect(debug.some((l) => /GET http:\/\/127\.0\.0\.1:\d+\/api\/v3\.0\/expense\/reports\?.* -> 200 .*concur-correlationid/.test(l))).toBe(true);
    expect(result.stdout).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
  });

  it('stops promptly on SIGTERM: output flushed (no partial line), every record covered by the states before it or after it, the process ends by the signal', async () => {
    const slow = await startSimulator(['--seed', '5', '--reports', '300', '--users', '20', '--fault', 'latency:ms=20']);
    try {
      let killedAt = 0;
      const args = ['read', '--config', jsonFile(simConfig(slow)), '--catalog', jsonFile(await configuredCatalog(slow, SIX_STREAMS))];
      const result = await runCli(args, {
        killOn: {
          signal: 'SIGTERM',
          when: (m: Message, all: Message[]) => {
            const hit = m.type === 'RECORD' && all.filter((x) => x.type === 'RECORD').length === 500;
            if (hit) killedAt = Date.now();
            return hit;
          },
        },
      });
      expect(Date.now() - killedAt).toBeLessThan(3000);
      expect(result.signal).toBe('SIGTERM');
      expect(errors(result.messages)).toEqual([]);
      const started = SIX_STREAMS.filter((s) => statuses(result.messages, s).length > 0);
      expect(statuses(result.messages, started.at(-1) as string).at(-1)).toBe('INCOMPLETE');
      // Not every stream ran: the cancel stopped the sync, not just a stream.
      expect(started.length).toBeLessThan(SIX_STREAMS.length);
      for (const stream of started) {
        const count = states(result.messages, stream).reduce((n, m) => n + Number(m['state'].sourceStats.recordCount), 0);
        expect(count, stream).toBe(records(result.messages, stream).length);
      }
    } finally {
      await slow.stop();
    }
  });
});
