import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byType, errors, jsonFile, runCli } from '../helpers/run-cli.js';
import { acceptanceConfig, startFixtureTenant, type FixtureTenant } from './config.js';

// CAT TestConnection, one case per `connection` test of acceptance-test-config.yml:
// - status succeed   ⇒ exactly one CONNECTION_STATUS, SUCCEEDED (and exit 0);
// - status failed    ⇒ exactly one CONNECTION_STATUS, FAILED (a bad config must not crash: exit 0);
// - status exception ⇒ the run may exit non-zero, and there is exactly one TRACE ERROR with a message.
const { connection } = acceptanceConfig();

describe('connection (CAT TestConnection)', () => {
  let tenant: FixtureTenant;
  beforeAll(async () => {
    tenant = await startFixtureTenant();
  });
  afterAll(async () => {
    await tenant?.stop();
  });

  it('has at least one succeed and one failed case in the yaml', () => {
    expect(connection.map((t) => t.status)).toEqual(expect.arrayContaining(['succeed', 'failed']));
  });

  for (const test of connection) {
    it(`check --config ${test.config_path} ⇒ ${test.status}`, async () => {
      const result = await runCli(['check', '--config', jsonFile(tenant.config(test.config_path), 'config')]);
      const statuses = byType(result.messages, 'CONNECTION_STATUS').map((m) => m['connectionStatus'] as { status: string; message?: string });
      if (test.status === 'exception') {
        const traces = errors(result.messages);
        expect(traces, result.stdout).toHaveLength(1);
        expect(String(traces[0]?.message ?? '')).not.toBe('');
        return;
      }
      expect(statuses, result.stdout).toHaveLength(1);
      expect(statuses[0]?.status).toBe(test.status === 'succeed' ? 'SUCCEEDED' : 'FAILED');
      if (test.status === 'failed') expect(String(statuses[0]?.message ?? ''), 'a FAILED status says why').not.toBe('');
      expect(result.code, result.stderr).toBe(0);
      expect(errors(result.messages)).toEqual([]);
    });
  }
});
