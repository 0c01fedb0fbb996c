import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errors, jsonFile, records, runCli, states, type CliResult, type Message } from '../helpers/run-cli.js';
import { startSimulator, type Simulator } from '../helpers/simulator.js';
import { configuredCatalog, read, simConfig, SIX_STREAMS } from './support.js';

// Under a container memory limit the connector flushes state and exits with a clear TRACE before the
// kernel would kill it. The cgroup files are a directory of the test's own, changed while the read runs.
const GIB = 1024 ** 3;

function cgroup(currentBytes: number, inactiveFileBytes = 0): { root: string; set: (bytes: number) => void } {
  const root = mkdtempSync(join(tmpdir(), 'source-concur-cgroup-'));
  writeFileSync(join(root, 'memory.max'), `${4 * GIB}\n`);
  writeFileSync(join(root, 'memory.stat'), `anon 1000\ninactive_file ${Math.round(inactiveFileBytes)}\nactive_file 0\n`);
  const set = (bytes: number): void => writeFileSync(join(root, 'memory.current'), `${Math.round(bytes)}\n`);
  set(currentBytes);
  return { root, set };
}

const ids = (result: CliResult, stream: string) => records(result.messages, stream).map((r) => String(r['ID']));

describe('memory guard', () => {
  let sim: Simulator;
  let clean: CliResult;
  // Checkpoints every ~100 records: the memory climbs while a stream is still far from its end.
  const config = () => simConfig(sim, { checkpoint_interval: 100 });

  beforeAll(async () => {
    sim = await startSimulator(['--seed', '77', '--reports', '600', '--users', '30', '--fault', 'latency:ms=3']);
    clean = await read(sim, { mode: 'incremental', config: config() });
  }, 240_000);
  afterAll(async () => {
    await sim?.stop();
  });

  it('near the limit the sync stops: last good state, INCOMPLETE, one system_error naming the limit, exit 1; resuming loses nothing', async () => {
    expect(clean.code).toBe(0);
    const memory = cgroup(0.1 * 4 * GIB);
    let tripped: string | undefined;
    const catalog = jsonFile(await configuredCatalog(sim, SIX_STREAMS, 'incremental'));
    const stopped = await runCli(['read', '--config', jsonFile(config()), '--catalog', catalog], {
      // Looked at every 50 ms: the stream in flight is still far from its end when the memory climbs.
      env: { SOURCE_CONCUR_CGROUP_ROOT: memory.root, SOURCE_CONCUR_MEMORY_CHECK_MS: '50' },
      timeoutMs: 240_000,
      onMessage: (message: Message, all: Message[]) => {
        // Memory climbs to 95% once the second stream has checkpointed twice.
        if (tripped || message.type !== 'STATE') return;
        const stream = String(message['state'].stream.stream_descriptor.name);
        if (stream === SIX_STREAMS[1] && all.filter((m) => m.type === 'STATE' && m['state'].stream.stream_descriptor.name === stream).length >= 2) {
          tripped = stream;
          memory.set(0.95 * 4 * GIB);
        }
      },
    });
    expect(tripped).toBe(SIX_STREAMS[1]);
    expect(stopped.code).toBe(1);
    const traces = errors(stopped.messages);
    expect(traces).toHaveLength(1);
    expect(traces[0].failure_type).toBe('system_error');
    expect(traces[0].message).toMatch(/Memory use reached 95% of the container's memory limit \(3891 MB of 4096 MB\)/);
    expect(traces[0].message).toMatch(/resumes from it/);
    expect(traces[0].stream_descriptor).toEqual({ name: SIX_STREAMS[1] });

    // The stream in flight ends INCOMPLETE right after re-stating its last good state; later streams never start.
    const inFlight = SIX_STREAMS[1] as string;
    const statusOf = (stream: string) =>
      stopped.messages.filter((m) => m.type === 'TRACE' && m['trace'].type === 'STREAM_STATUS' && m['trace'].stream_status.stream_descriptor.name === stream).map((m) => m['trace'].stream_status.status);
    expect(statusOf(SIX_STREAMS[0] as string).at(-1)).toBe('COMPLETE');
    expect(statusOf(inFlight).at(-1)).toBe('INCOMPLETE');
    for (const later of SIX_STREAMS.slice(2)) expect(statusOf(later), later).toEqual([]);
    const lastIndex = stopped.messages.findLastIndex((m) => m.type === 'RECORD' || m.type === 'STATE');
    expect(stopped.messages[lastIndex]?.type).toBe('STATE');
    // Counts stay exact: every record of the stream is covered by a STATE's recordCount.
    const counted = states(stopped.messages, inFlight).reduce((sum, m) => sum + Number(m['state'].sourceStats.recordCount), 0);
    expect(counted).toBe(records(stopped.messages, inFlight).length);
    expect(records(stopped.messages, inFlight).length).toBeLessThan(records(clean.messages, inFlight).length);

    // The next sync, from the states the platform kept, brings back everything.
    const kept = SIX_STREAMS.flatMap((stream) => {
      const last = states(stopped.messages, stream).at(-1);
      return last ? [{ type: 'STREAM', stream: last['state'].stream }] : [];
    });
    const resumed = await read(sim, { mode: 'incremental', state: kept, config: config() });
    expect(resumed.code).toBe(0);
    for (const stream of SIX_STREAMS) {
      const union = new Set([...ids(stopped, stream), ...ids(resumed, stream)]);
      expect(union, stream).toEqual(new Set(ids(clean, stream)));
    }
  }, 240_000);

  it('warns once at 80%, and page cache the kernel can reclaim does not count', async () => {
    const memory = cgroup(0.99 * 4 * GIB, 0.14 * 4 * GIB); // 85% once inactive file pages are left out
    const catalog = jsonFile(await configuredCatalog(sim, ['expense_reports'], 'incremental'));
    const result = await runCli(['read', '--config', jsonFile(config()), '--catalog', catalog], { env: { SOURCE_CONCUR_CGROUP_ROOT: memory.root } });
    expect(errors(result.messages)).toEqual([]);
    expect(result.code).toBe(0);
    const warnings = result.messages.filter((m) => m.type === 'LOG' && /Memory use is at 85%/.test(String(m['log'].message)));
    expect(warnings).toHaveLength(1);
    expect(ids(result, 'expense_reports')).toEqual(ids(clean, 'expense_reports'));
  }, 120_000);
});
