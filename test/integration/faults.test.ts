import { describe, expect, it } from 'vitest';
import { report, reportRecords } from '../helpers/fault-report.js';
import { assertRecordsValid } from '../helpers/records.js';
import { byType, errors, jsonFile, records, runCli, states, statuses } from '../helpers/run-cli.js';
import { SIM_CLIENT_ID, SIM_CLIENT_SECRET, SIM_REFRESH_TOKEN, startSimulator } from '../helpers/simulator.js';
import { compare, countedRecords, read, simConfig, SIX_STREAMS, truth, type Json } from './support.js';

// The six-stream read equals the ground truth under the faults the fault matrix (fault-matrix.test.ts) leaves out.
// The matrix reads with a company token and aims each fault at one stream family; these runs read with the password
// and refresh-token grants, with latency on every request, and let one report child alone run out of retries.
// A smaller tenant than the clean 10,000-report run keeps the backoff waits short.
const TENANT = ['--seed', '77', '--reports', '200', '--users', '30'];

interface Scenario {
  name: string;
  flags: string[];
  config?: (url: string) => Json;
  faults: string[];
}

const refreshConfig = (url: string): Json => ({
  credentials: { auth_type: 'refresh_token', client_id: SIM_CLIENT_ID, client_secret: SIM_CLIENT_SECRET, refresh_token: SIM_REFRESH_TOKEN },
  token_url: `${url}/oauth2/v0/token`,
});

const scenarios: Scenario[] = [
  { name: 'latency on every request', flags: ['--fault', 'latency:ms=10'], faults: ['latency'] },
  { name: 'access token expiring mid-sync (401)', flags: ['--fault', 'token-expiry:after=150'], faults: ['token-expiry'] },
  { name: 'refresh token rotating on every refresh', flags: ['--fault', 'rotate-refresh', '--fault', 'token-expiry:after=200'], config: refreshConfig, faults: ['token-expiry'] },
];

describe('read under faults the fault matrix leaves out: the same records as without them', () => {
  it.each(scenarios)('$name', async (scenario) => {
    const sim = await startSimulator([...TENANT, ...scenario.flags]);
    try {
      const config = scenario.config?.(sim.url) ?? simConfig(sim);
      const result = await read(sim, { config });
      const stats = await sim.stats();
      const expected = await truth(sim);
      // For `npm run test:faults`: whether the faults fired, and each stream's records against the ground truth.
      const where = { suite: 'faults (six report streams)', family: 'v3 reports and their children', scenario: scenario.name };
      report({ ...where, kind: 'fault', specs: scenario.faults.length, fired: scenario.faults.filter((f) => (stats.faultsInjected[f] ?? 0) > 0).length });
      for (const stream of SIX_STREAMS) reportRecords(where, stream, compare(result.messages, stream, expected.get(stream) ?? []));
      for (const fault of scenario.faults) expect(stats.faultsInjected[fault] ?? 0, `${fault} injected`).toBeGreaterThan(0);
      expect(errors(result.messages)).toEqual([]);
      expect(result.code).toBe(0);
      for (const stream of SIX_STREAMS) {
        const comparison = compare(result.messages, stream, expected.get(stream) ?? []);
        expect({ stream, lost: comparison.lost.length, duplicated: comparison.duplicated.length, unexpected: comparison.unexpected.length, different: comparison.different.length }).toEqual({
          stream,
          lost: 0,
          duplicated: 0,
          unexpected: 0,
          different: 0,
        });
        assertRecordsValid(stream, records(result.messages, stream));
        expect(statuses(result.messages, stream).filter((s) => s !== 'RUNNING')).toEqual(['STARTED', 'COMPLETE']);
        expect(countedRecords(result.messages, stream)).toBe(comparison.emitted);
      }
      if (scenario.name.startsWith('refresh token rotating')) {
        // Each rotation is handed to the platform; the last one is the refresh token that works next time.
        const controls = byType(result.messages, 'CONTROL');
        expect(controls.length).toBeGreaterThanOrEqual(2);
        const latest = controls.at(-1)?.['control'].connectorConfig.config as Json;
        const check = await runCli(['check', '--config', jsonFile(latest)]);
        expect(byType(check.messages, 'CONNECTION_STATUS')[0]?.['connectionStatus'].status).toBe('SUCCEEDED');
        const stale = await runCli(['check', '--config', jsonFile(config)]);
        expect(byType(stale.messages, 'CONNECTION_STATUS')[0]?.['connectionStatus'].message).toMatch(/refresh token is invalid or expired/);
      }
    } finally {
      await sim.stop();
    }
  }, 240_000);

  it('a stream whose retries run out ends INCOMPLETE with a transient error after its last good state; the others complete', async () => {
    const sim = await startSimulator([...TENANT, '--fault', '503:path=/expense/itemizations,every=1']);
    try {
      const result = await read(sim, { config: simConfig(sim, { slice_days: 3660 }) });
      expect(result.code).toBe(1);
      expect(statuses(result.messages, 'expense_itemizations')).toEqual(['STARTED', 'RUNNING', 'INCOMPLETE']);
      const failure = errors(result.messages);
      expect(failure).toHaveLength(1);
      expect(failure[0]).toMatchObject({ failure_type: 'transient_error', stream_descriptor: { name: 'expense_itemizations' } });
      expect(failure[0]?.message).toMatch(/HTTP 503/);
      // The stream had checkpointed the empty history windows before it failed: that state is re-emitted.
      const itemizationStates = states(result.messages, 'expense_itemizations');
      expect(itemizationStates.length).toBeGreaterThan(0);
      for (const stream of SIX_STREAMS.filter((s) => s !== 'expense_itemizations')) {
        expect(statuses(result.messages, stream).at(-1), stream).toBe('COMPLETE');
      }
    } finally {
      await sim.stop();
    }
  }, 240_000);
});
