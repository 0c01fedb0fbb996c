import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonFile, records, runCli } from '../helpers/run-cli.js';
import { startSimulator, type Simulator } from '../helpers/simulator.js';
import { configuredCatalog, simConfig } from './support.js';

describe('a long sync says how far it is', () => {
  let sim: Simulator;
  beforeAll(async () => {
    // 40 ms a response: a few seconds of reading, long enough for several progress lines a second apart.
    sim = await startSimulator(['--seed', '9', '--reports', '150', '--users', '10', '--fault', 'latency:ms=40']);
  });
  afterAll(async () => {
    await sim.stop();
  });

  it('logs progress at a steady interval (records, rate, the last checkpoint, requests), then a summary line per stream', async () => {
    const catalog = await configuredCatalog(sim, ['expense_entries']);
    const result = await runCli(['read', '--config', jsonFile(simConfig(sim, { max_concurrency: 2 })), '--catalog', jsonFile(catalog)], {
      env: { SOURCE_CONCUR_PROGRESS_SECONDS: '1' },
    });
    expect(result.code).toBe(0);
    const total = records(result.messages, 'expense_entries').length;
    const progress = result.messages
      .filter((m) => m.type === 'LOG' && String(m['log'].message).startsWith('Progress: '))
      .map((m) => String(m['log'].message));
    expect(progress.length).toBeGreaterThanOrEqual(2);
    const pattern = /^Progress: expense_entries: (\d+) records in \d+ s \(\d+ records\/s\), (no checkpoint yet|\d+ checkpoints?, the last \{"cursor":"[^"]+"\}); (\d+) requests, \d+ retries\.$/;
    const counts = progress.map((line) => {
      const match = pattern.exec(line);
      expect(match, line).not.toBeNull();
      return [Number(match?.[1]), Number(match?.[3])] as const;
    });
    for (let i = 1; i < counts.length; i++) {
      expect((counts[i] as readonly number[])[0]).toBeGreaterThanOrEqual((counts[i - 1] as readonly number[])[0] as number);
      expect((counts[i] as readonly number[])[1]).toBeGreaterThan((counts[i - 1] as readonly number[])[1] as number);
    }
    expect(counts.every(([seen]) => seen <= total)).toBe(true);
    const summary = result.messages.filter((m) => m.type === 'LOG' && String(m['log'].message).startsWith('Sync summary: ')).map((m) => String(m['log'].message));
    expect(summary[0]).toMatch(new RegExp(`^Sync summary: expense_entries: COMPLETE, ${total} records, \\d+ states, \\d+ requests, 0 retries, [\\d.]+ s$`));
  });
});
