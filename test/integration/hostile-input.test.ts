import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostileCase } from '../helpers/fault-report.js';
import { byType, errors, jsonFile, runCli, statuses } from '../helpers/run-cli.js';
import { startSimulator, type Simulator } from '../helpers/simulator.js';
import { configuredCatalog, simConfig, type Json } from './support.js';

// Hostile input end to end: sampled hostile config, catalog and state files given to the built CLI.
// Every run ends with the documented exit code and a config_error that names the field; stdout stays valid
// protocol (runCli fails the test on any other line), and no run crashes.
const SEED = 424242;
const hostile = fc.oneof(fc.jsonValue(), fc.string(), fc.constant(null), fc.constant('INVALID'), fc.integer(), fc.constant(Array.from({ length: 3 }, () => ({}))));
// For `npm run test:faults`: each file given to the CLI is one hostile input, handled when the test's assertions
// hold; refused when the CLI answered with the documented error rather than accepting it.
const SUITE = 'hostile input (CLI)';
// Cursor-shaped states too: a real state file is an object with a cursor, so most hostile ones look like that.
const hostileState = fc.oneof(
  hostile,
  fc.record({ cursor: fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.constant('not a date'), fc.constant('2999-01-01T00:00:00Z'), fc.date().map((d) => (Number.isNaN(d.getTime()) ? 'NaN' : d.toISOString()))) }),
);
const FIELDS = ['user', 'start_date', 'days_back', 'end_date', 'lookback_minutes', 'max_concurrency', 'report_statuses', 'date_filter', 'credentials'];

describe('hostile files given to the CLI', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator(['--seed', '3', '--reports', '20', '--users', '3']);
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it.each(fc.sample(fc.tuple(fc.constantFrom(...FIELDS), hostile), { seed: SEED, numRuns: 6 }))('config.%s = %j: check says FAILED naming it (exit 0), or succeeds', async (field, value) => {
    await hostileCase(SUITE, 'config field (check)', async () => {
      const config = { ...simConfig(sim), [field]: value };
      const result = await runCli(['check', '--config', jsonFile(config)]);
      expect(result.code).toBe(0);
      const status = byType(result.messages, 'CONNECTION_STATUS')[0]?.['connectionStatus'] as Json;
      if (status['status'] === 'FAILED') expect(String(status['message'])).toContain(`config.${field}`);
      return status['status'] === 'FAILED';
    });
  });

  it.each(fc.sample(fc.jsonValue(), { seed: SEED + 1, numRuns: 5 }))('a config file holding %j: read exits 1 with one config_error trace', async (raw) => {
    await hostileCase(SUITE, 'config file (read)', async () => {
      const catalog = jsonFile(await configuredCatalog(sim, ['list_items']));
      const result = await runCli(['read', '--config', jsonFile(raw), '--catalog', catalog]);
      expect(result.code).toBe(1);
      expect(errors(result.messages).map((e) => e.failure_type)).toEqual(['config_error']);
      return true;
    });
  });

  it.each(fc.sample(hostile, { seed: SEED + 2, numRuns: 5 }))('a catalog entry %j fails alone as a config_error; the good stream is read', async (bad) => {
    await hostileCase(SUITE, 'catalog entry (read)', async () => {
      const good = await configuredCatalog(sim, ['list_items']);
      const catalog = { streams: [bad, ...(good['streams'] as unknown[])] };
      const result = await runCli(['read', '--config', jsonFile(simConfig(sim)), '--catalog', jsonFile(catalog)]);
      expect(result.code).toBe(1);
      expect(statuses(result.messages, 'list_items')).toEqual(['STARTED', 'RUNNING', 'COMPLETE']);
      const traces = errors(result.messages);
      expect(traces.length).toBeGreaterThanOrEqual(1);
      expect(traces.every((e) => e.failure_type === 'config_error' && /catalog\.streams\[0\]/.test(String(e.message)))).toBe(true);
      return true;
    });
  });

  it.each(fc.sample(hostileState, { seed: SEED + 3, numRuns: 6 }))('stream_state %j for an incremental stream: read from it, or a config_error naming the path', async (streamState) => {
    await hostileCase(SUITE, 'stream_state (read)', async () => {
      const catalog = jsonFile(await configuredCatalog(sim, ['expense_reports', 'list_items'], 'incremental'));
      const state = [{ type: 'STREAM', stream: { stream_descriptor: { name: 'expense_reports' }, stream_state: streamState } }];
      const result = await runCli(['read', '--config', jsonFile(simConfig(sim)), '--catalog', catalog, '--state', jsonFile(state)]);
      expect(statuses(result.messages, 'list_items').at(-1)).toBe('COMPLETE');
      const traces = errors(result.messages);
      if (result.code === 0) expect(traces).toEqual([]);
      else expect(traces.map((e) => [e.failure_type, /stream_state|--state/.test(String(e.message))])).toEqual([['config_error', true]]);
      return result.code !== 0;
    });
  });

  it('state for a stream not in the catalog is left alone and said so; the read succeeds', async () => {
    await hostileCase(SUITE, 'stream_state (read)', async () => {
      const catalog = jsonFile(await configuredCatalog(sim, ['list_items']));
      const state = [{ type: 'STREAM', stream: { stream_descriptor: { name: 'no_such_stream' }, stream_state: { cursor: 'x' } } }];
      const result = await runCli(['read', '--config', jsonFile(simConfig(sim)), '--catalog', catalog, '--state', jsonFile(state)]);
      expect(result.code).toBe(0);
      expect(result.messages.some((m) => m.type === 'LOG' && /no_such_stream.*not in the configured catalog/.test(String(m['log'].message)))).toBe(true);
      return false;
    });
  });

  it('a misspelt option is named with the option it likely means (WARN), and the read goes on', async () => {
    await hostileCase(SUITE, 'config field (read)', async () => {
      const catalog = jsonFile(await configuredCatalog(sim, ['list_items']));
      const result = await runCli(['read', '--config', jsonFile({ ...simConfig(sim), start_dat: '2026-01-01' }), '--catalog', catalog]);
      expect(result.code).toBe(0);
      expect(result.messages.some((m) => m.type === 'LOG' && m['log'].level === 'WARN' && /config\.start_dat .*did you mean "start_date"/.test(String(m['log'].message)))).toBe(true);
      return false;
    });
  });
});
