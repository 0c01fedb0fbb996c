import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// `npm run bench` must keep working on a fresh clone. This runs every phase on a tiny tenant (and a short, thin
// fault matrix) and checks the figures are there and consistent: against the page server, connector and floors
// read the same records with the same (recorded) requests. The targets themselves are for the full-size run on an
// idle machine; no speed is asserted here (a timed assertion would fail on a busy CI runner and prove nothing).
const ROOT = join(import.meta.dirname, '..', '..');

interface Run { label: string; kind: 'connector' | 'floor'; stream: string; records: number; seconds: number; recordsPerSecond: number; requests: number; expectedRequests?: number; cpuSeconds?: number; peakRssMb: number; serverCpuPercent?: number }
interface Target { name: string; measured: string; target: string; pass: boolean | undefined }
interface Check { name: string; pass: boolean; detail: string }
interface Result {
  runs: Run[];
  targets: Target[];
  checks: Check[];
  sections: {
    pageServer: { stored: { pages: number }; capacity: { requestsPerSecond: number; mbPerSecond: number; requestsPerServerCpuSecond: number } };
    requests: { long: { requests: number }; short: { requests: number }; windowedListings: { count: number } };
    latency: { stream: string; requests: number; idealSeconds: number }[];
    faults: { results: { scenario: string; lost: number; expected: number; records: number; faultsFired: number; faultsAimed: number }[] };
    slowReader: { samples: unknown[] };
  };
}

describe('bench/run.mjs on a tiny tenant', () => {
  it('runs every phase: connector and floors read the same records with the same requests from the page server', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'source-concur-bench-')), 'smoke.json');
    const args = ['bench/run.mjs', '--reports', '300', '--small-reports', '30', '--trips-per-user', '5', '--users', '20', '--repeat', '1', '--capacity-seconds', '1',
      '--slow-seconds', '6', '--standard-reports', '40', '--latency-reports', '40', '--latency-trips-per-user', '2', '--latency-ms', '20',
      '--fault-years', '1', '--fault-latency-ms', '5', '--fault-scenarios', 'malformed JSON,malformed XML', '--out', out];
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      child.on('error', reject);
      child.on('close', (c) => (c === 0 || c === 1 ? resolve(c) : reject(new Error(`bench exited ${c}\n${stderr.slice(-2000)}`))));
    });
    expect([0, 1]).toContain(code); // 1 is a missed target: noise at this size, not a broken benchmark
    const result = JSON.parse(readFileSync(out, 'utf8')) as Result;

    for (const stream of ['expense_entries', 'travel_itineraries']) {
      const connector = result.runs.find((r) => r.kind === 'connector' && r.label === `connector ${stream}`);
      const floor = result.runs.find((r) => r.kind === 'floor' && r.label === `floor ${stream}`);
      expect(connector, stream).toBeDefined();
      expect(floor, stream).toBeDefined();
      expect(connector?.records, stream).toBeGreaterThan(0);
      expect(connector?.records, stream).toBe(floor?.records);
      expect(connector?.requests, stream).toBeGreaterThan(0);
      expect(connector?.requests, stream).toBe(floor?.requests);
      expect(connector?.requests, stream).toBe(connector?.expectedRequests);
      for (const run of [connector, floor]) {
        expect(run?.recordsPerSecond).toBeGreaterThan(0);
        expect(run?.cpuSeconds).toBeGreaterThan(0);
        expect(run?.peakRssMb).toBeGreaterThan(0);
        expect(run?.serverCpuPercent).toBeGreaterThanOrEqual(0);
      }
    }
    // The small tenant of the memory comparison is read in pairs too.
    expect(result.runs.some((r) => r.kind === 'floor' && r.label.includes('(30 reports)'))).toBe(true);
    for (const check of result.checks.filter((c) => /same records|recorded requests/.test(c.name))) expect(check, check.name).toMatchObject({ pass: true });

    const { pageServer, requests, latency, faults, slowReader } = result.sections;
    expect(pageServer.stored.pages).toBeGreaterThan(0);
    expect(pageServer.capacity.requestsPerSecond).toBeGreaterThan(0);
    expect(pageServer.capacity.requestsPerServerCpuSecond).toBeGreaterThan(0);
    expect(slowReader.samples.length).toBeGreaterThan(0);
    expect(requests.long.requests).toBeGreaterThanOrEqual(requests.short.requests);
    expect(requests.short.requests).toBeGreaterThan(0);
    expect(requests.windowedListings.count).toBe(14);
    expect(latency.map((l) => l.stream)).toEqual(['expense_entries', 'reports_detail', 'travel_itineraries']);
    for (const l of latency) expect(l.requests).toBeGreaterThan(0);
    // The fault-free read against the ground truth checks the bench's own comparison: it must lose nothing.
    expect(faults.results.length).toBe(3);
    expect(faults.results[0]).toMatchObject({ scenario: 'no fault', lost: 0 });
    for (const r of faults.results) {
      expect(r.expected, r.scenario).toBeGreaterThan(0);
      expect(r.records, r.scenario).toBeGreaterThan(0);
    }

    const names = result.targets.map((t) => t.name).join('\n');
    for (const part of ['bare node:http floor', 'CPU per record', 'bare XML floor', 'slow reader', 'peak RSS at', 'requests, all', 'latency', 'fault matrix: no fault']) expect(names).toContain(part);
    for (const target of result.targets) expect(target.measured, target.name).toMatch(/\d/);
  }, 180_000);
});
