import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startSimulator } from '../helpers/simulator.js';
import { adminToken, get } from './support.js';

const BIN = fileURLToPath(new URL('../../simulator/bin/concur-simulator.js', import.meta.url));

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], untilListening?: (child: ReturnType<typeof spawn>, line: string) => Promise<void>): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let triggered = false;
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      if (!triggered && untilListening !== undefined && stdout.includes('\n')) {
        triggered = true;
        void untilListening(child, stdout.split('\n')[0] ?? '');
      }
    });
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('simulator CLI', () => {
  it('prints exactly one listening line, stays quiet on stdout, and exits 0 on SIGTERM', async () => {
    const result = await run(['--port', '0', '--reports', '5'], async (child, line) => {
      const { url } = JSON.parse(line) as { url: string };
      const sim = { url } as { url: string };
      await fetch(`${sim.url}/_sim/health`);
      await fetch(`${sim.url}/api/v3.0/expense/reports`);
      child.kill('SIGTERM');
    });
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(1);
    const listening = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
    expect(Object.keys(listening)).toEqual(['event', 'url', 'pid']);
    expect(listening['event']).toBe('listening');
    expect(listening['url']).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(typeof listening['pid']).toBe('number');
    expect(result.stderr).toBe(''); // diagnostics only with --verbose
  });

  it('exits 0 on SIGINT and logs diagnostics to stderr only with --verbose', async () => {
    const result = await run(['--port', '0', '--reports', '5', '--verbose'], async (child, line) => {
      const { url } = JSON.parse(line) as { url: string };
      await fetch(`${url}/api/v3.0/expense/reports`);
      child.kill('SIGINT');
    });
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('/api/v3.0/expense/reports -> 401');
  });

  it('prints usage with --help', async () => {
    const result = await run(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: concur-simulator');
    expect(result.stdout).toContain('--fault SPEC');
  });

  it.each([
    [['--bogus'], '--bogus'],
    [['--port', 'abc'], '--port'],
    [['--port', '70000'], '--port'],
    [['--reports', '-1'], '--reports'],
    [['--from', '2024/01/01'], '--from'],
    [['--expired-token-status', '500'], '--expired-token-status'],
    [['--fault', 'explode'], '--fault'],
    [['--fault', '429:every=0'], '--fault'],
    [['--fault', 'latency:retry-after=1'], '--fault'],
    [['--company-id', 'not-a-uuid'], '--company-id'],
    [['--entries-per-report', 'many'], '--entries-per-report'],
  ])('rejects %j with exit 2 naming the flag', async (args, flag) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(flag);
    expect(result.stdout).toBe('');
  });

  it('reports a second listener with --geo-redirect', async () => {
    const sim = await startSimulator(['--geo-redirect', '--reports', '5']);
    try {
      expect(sim.secondaryUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(sim.secondaryUrl).not.toBe(sim.url);
      const health = await fetch(`${sim.secondaryUrl ?? ''}/_sim/health`);
      expect(health.status).toBe(200);
    } finally {
      expect(await sim.stop()).toBe(0);
    }
  });

  it('serves data on the listening URL', async () => {
    const sim = await startSimulator(['--reports', '5']);
    try {
      const token = await adminToken(sim);
      const r = await get(sim.url, '/api/v3.0/expense/reports?user=ALL', token);
      expect(r.status).toBe(200);
    } finally {
      await sim.stop();
    }
  });
});
