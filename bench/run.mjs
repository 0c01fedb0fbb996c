#!/usr/bin/env node
// Benchmark: a bench that cannot flatter the connector.
//
// - Throughput, CPU and memory (json, xml, memory, slow): the connector's reads are recorded once from the
//   simulator through a recording proxy, then served pre-rendered from memory by a bare node:http page server
//   (bench/page-server.mjs), whose capacity is measured alone and printed beside the results. The connector and
//   bare node:http floors (no got, no undici, no connector code) read the same recorded pages in ABBA pairs
//   against that one server; the median ratio counts.
// - requests: every stream of the standard simulated company, start_date 16 years early vs at the first record.
// - latency: 100 ms per response from the simulator; time against requests × latency ÷ max_concurrency.
// - faults: the fault matrix on a company with 16 years of history and 200 ms per response; nothing lost.
//
//   npm run bench                         reduced size: ~100,000 entries, under ten minutes
//   npm run bench -- --size full          full size: ~1,000,000 entries, under forty minutes
//   npm run bench -- --only json,xml      a part: json, xml, memory, slow, requests, latency, faults
// Targets print as PASS/FAIL lines (never as timed tests); so do the checks that the bench itself measured what
// it meant to (same records and requests on both sides, page server far from saturation, faults fired). The exit
// code is 1 when any fails. Take figures on an otherwise idle machine: the servers, the measured process and this
// script share its CPUs; the load average before and after is printed.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { faultsPhase } from './phase-faults.mjs';
import { latencyPhase } from './phase-latency.mjs';
import { requestsPhase } from './phase-requests.mjs';
import { throughputPhases } from './phase-throughput.mjs';
import { loadAverage, ROOT } from './processes.mjs';
import { render, renderMarkdown } from './report.mjs';

const SIZES = {
  // `smallReports`: the reduced tenant again at full size, for the 1M-vs-100k memory target (at reduced size the
  // peak RSS is shown, not compared); `latency*`: the tenant read with 100 ms latency (two entries per report keep
  // the v2 report details light).
  reduced: { reports: 10_000, tripsPerUser: 100, smallReports: undefined, latencyReports: 1_500, latencyTrips: 100, slowSeconds: 15, repeat: 3 },
  full: { reports: 100_000, tripsPerUser: 1_000, smallReports: 10_000, latencyReports: 2_000, latencyTrips: 100, slowSeconds: 40, repeat: 3 },
};
const ALL_PHASES = ['json', 'xml', 'memory', 'slow', 'requests', 'latency', 'faults'];

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: 'reduced' },
    // The throughput tenant (simulator flags), fixed seed and dates so the same flags give the same pages.
    reports: { type: 'string' },
    'entries-per-report': { type: 'string', default: '10' },
    users: { type: 'string', default: '200' },
    'trips-per-user': { type: 'string' },
    'small-reports': { type: 'string' },
    seed: { type: 'string', default: '1' },
    from: { type: 'string', default: '2024-01-01' },
    to: { type: 'string', default: '2026-10-31' },
    concurrency: { type: 'string', default: '8' },
    // Connector/floor pairs per comparison; the median ratio counts.
    repeat: { type: 'string' },
    'capacity-seconds': { type: 'string', default: '5' },
    'capacity-concurrency': { type: 'string', default: '64' },
    'slow-seconds': { type: 'string' },
    'slow-bytes-per-second': { type: 'string', default: '1000000' },
    'latency-reports': { type: 'string' },
    'latency-trips-per-user': { type: 'string' },
    'latency-ms': { type: 'string', default: '100' },
    // The requests phase: the standard company is the simulator's defaults; --standard-reports shrinks it (CI).
    'standard-reports': { type: 'string' },
    'history-years': { type: 'string', default: '16' },
    // The fault matrix: a small company, `fault-years` of history, `fault-latency-ms` per response.
    'fault-years': { type: 'string', default: '16' },
    'fault-latency-ms': { type: 'string', default: '200' },
    'fault-reports': { type: 'string', default: '40' },
    'fault-parallel': { type: 'string', default: '14' },
    'fault-scenarios': { type: 'string', default: 'all' },
    'fault-timeout-seconds': { type: 'string', default: '900' },
    // A directory: one more (uncounted) connector read of expense_entries with node --cpu-prof, written there.
    'cpu-prof': { type: 'string' },
    out: { type: 'string', default: 'bench/results/latest.json' },
    markdown: { type: 'string' },
    only: { type: 'string', default: ALL_PHASES.join(',') },
  },
});
const preset = SIZES[values.size];
if (!preset) throw new Error(`--size must be one of ${Object.keys(SIZES).join(', ')}`);
const num = (flag, fallback) => (values[flag] === undefined ? fallback : Number(values[flag]));
const phases = new Set(values.only.split(','));
for (const phase of phases) if (!ALL_PHASES.includes(phase)) throw new Error(`--only: unknown phase ${phase}; phases: ${ALL_PHASES.join(', ')}`);
const size = {
  seed: values.seed,
  from: values.from,
  to: values.to,
  reports: num('reports', preset.reports),
  entriesPerReport: Number(values['entries-per-report']),
  users: Number(values.users),
  tripsPerUser: num('trips-per-user', preset.tripsPerUser),
  smallReports: num('small-reports', preset.smallReports),
  capacitySeconds: Number(values['capacity-seconds']),
  capacityConcurrency: Number(values['capacity-concurrency']),
  slowSeconds: num('slow-seconds', preset.slowSeconds),
  slowBytesPerSecond: Number(values['slow-bytes-per-second']),
  latencyReports: num('latency-reports', preset.latencyReports),
  latencyTrips: num('latency-trips-per-user', preset.latencyTrips),
  latencyMs: Number(values['latency-ms']),
  standardFrom: '2024-01-01',
  standardTo: '2026-10-31',
  standardArgs: values['standard-reports'] === undefined ? [] : ['--reports', values['standard-reports']],
  historyYears: Number(values['history-years']),
  faultYears: Number(values['fault-years']),
  faultLatencyMs: Number(values['fault-latency-ms']),
  faultSeed: '515',
  faultTenant: ['--reports', values['fault-reports'], '--users', '8', '--trips-per-user', '2', '--extract-jobs', '15', '--locations', '150'],
  faultParallel: Math.max(1, Number(values['fault-parallel'])),
  faultScenarios: values['fault-scenarios'],
  faultTimeoutSeconds: Number(values['fault-timeout-seconds']),
};

const scratch = `${ROOT}bench/results/run-${process.pid}`;
mkdirSync(scratch, { recursive: true });
const started = Date.now();
const loadBefore = loadAverage();
/** What every phase adds to: measured runs, targets (the issue's), checks (the bench's own validity), sections. */
const ctx = {
  size,
  phases,
  concurrency: Number(values.concurrency),
  repeat: Math.max(1, num('repeat', preset.repeat)),
  cpuProfileDir: values['cpu-prof'] === undefined ? undefined : resolve(values['cpu-prof']),
  scratch,
  runs: [],
  targets: [],
  checks: [],
  sections: {},
  log: (message) => process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}\n`),
  /** `pass` undefined: reported, not counted (the note says why). */
  target(name, measured, required, pass, note) {
    this.targets.push({ name, measured, target: required, pass, ...(note ? { note } : {}) });
  },
  check(name, pass, detail) {
    this.checks.push({ name, pass, detail });
  },
};
ctx.log(`load average before: ${loadBefore?.join(' ') ?? '?'}; phases: ${[...phases].join(', ')}`);

try {
  await throughputPhases(ctx);
  if (phases.has('requests')) await requestsPhase(ctx);
  if (phases.has('latency')) await latencyPhase(ctx);
  if (phases.has('faults')) await faultsPhase(ctx);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

const result = {
  date: new Date().toISOString(),
  size: values.size,
  node: process.version,
  cpus: availableParallelism(),
  loadBefore,
  loadAfter: loadAverage(),
  wallSeconds: (Date.now() - started) / 1000,
  concurrency: ctx.concurrency,
  repeat: ctx.repeat,
  tenant: {
    ...size,
    description: `${size.reports.toLocaleString('en-US')} reports × ~${size.entriesPerReport} entries, ${size.users} users × ${size.tripsPerUser} trips, ${size.from} .. ${size.to} (seed ${size.seed})`,
  },
  runs: ctx.runs.map(({ samples, ...rest }) => rest),
  targets: ctx.targets,
  checks: ctx.checks,
  sections: ctx.sections,
};
console.log(render(result));
writeFileSync(resolve(ROOT, values.out), JSON.stringify(result, null, 2) + '\n');
if (values.markdown) writeFileSync(resolve(ROOT, values.markdown), renderMarkdown(result) + '\n');
console.log(`\nwritten to ${values.out}`);
process.exitCode = ctx.targets.every((t) => t.pass !== false) && ctx.checks.every((c) => c.pass) ? 0 : 1;
