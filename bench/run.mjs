#!/usr/bin/env node
// Benchmark: the connector against a raw floor doing the same HTTP requests, on a large simulated tenant, each run
// a separate process whose stdout is drained and counted (nothing kept). Prints figures, ratios and targets, and
// writes them as JSON.
//
//   npm run bench                         reduced size: ~100,000 entries, about three minutes
//   npm run bench -- --size full          full size: ~1,000,000 entries, about fifteen minutes
//   npm run bench -- --reports 20000 ...  any size by flag (see `options` below); --only json,xml for a part
// The exit code is 1 when a target fails. Take figures on an otherwise idle machine: the simulator, the measured
// process and this script share its CPUs.
import { readFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { connectorSummary, floorUsage, loadAverage, measure, ROOT, startSimulator } from './processes.mjs';
import { render, renderMarkdown } from './report.mjs';

const SIZES = {
  // `small*`: the tenant a tenth the size, for the memory-scaling target; `latency*`: the tenant read with 100 ms
  // latency (small enough to finish in seconds; two entries per report keep the v2 report details light). A read
  // of the whole history starts with ~28 probes of the empty years before the data, one after the other (2.8 s
  // at 100 ms): the latency tenant is big enough for that to be a small part of the sync.
  reduced: { reports: 10_000, tripsPerUser: 100, smallReports: 1_000, latencyReports: 1_500, latencyTrips: 100, slowSeconds: 15, repeat: 3 },
  full: { reports: 100_000, tripsPerUser: 1_000, smallReports: 10_000, latencyReports: 2_000, latencyTrips: 100, slowSeconds: 40, repeat: 3 },
};

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: 'reduced' },
    reports: { type: 'string' },
    'entries-per-report': { type: 'string', default: '10' },
    users: { type: 'string', default: '200' },
    'trips-per-user': { type: 'string' },
    'small-reports': { type: 'string' },
    'latency-reports': { type: 'string' },
    'latency-trips-per-user': { type: 'string' },
    'latency-ms': { type: 'string', default: '100' },
    'slow-seconds': { type: 'string' },
    'slow-bytes-per-second': { type: 'string', default: '1000000' },
    concurrency: { type: 'string', default: '8' },
    // Connector/floor pairs per stream; the median pair counts.
    repeat: { type: 'string' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string', default: 'bench/results/latest.json' },
    markdown: { type: 'string' },
    // A subset of: json, xml, slow, memory, latency (all by default); a partial run is for development.
    only: { type: 'string', default: 'json,xml,slow,memory,latency' },
  },
});
const preset = SIZES[values.size];
if (!preset) throw new Error(`--size must be one of ${Object.keys(SIZES).join(', ')}`);
const num = (flag, fallback) => (values[flag] === undefined ? fallback : Number(values[flag]));
const size = {
  reports: num('reports', preset.reports),
  entriesPerReport: Number(values['entries-per-report']),
  users: Number(values.users),
  tripsPerUser: num('trips-per-user', preset.tripsPerUser),
  smallReports: num('small-reports', preset.smallReports),
  latencyReports: num('latency-reports', preset.latencyReports),
  latencyTrips: num('latency-trips-per-user', preset.latencyTrips),
  latencyMs: Number(values['latency-ms']),
  slowSeconds: num('slow-seconds', preset.slowSeconds),
  slowBytesPerSecond: Number(values['slow-bytes-per-second']),
};
const concurrency = Number(values.concurrency);
const phases = new Set(values.only.split(','));
const repeat = Math.max(1, num('repeat', preset.repeat));
const JSON_STREAM = 'expense_entries';
const XML_STREAM = 'travel_itineraries';

const scratch = `${ROOT}bench/results/run-${process.pid}`;
mkdirSync(scratch, { recursive: true });
const loadBefore = loadAverage();
const started = Date.now();
const log = (message) => process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}\n`);

/** Share of CPU time the hypervisor gave to others while a run went on (Linux /proc/stat), for context. */
function cpuTimes() {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    return { total: fields.slice(0, 8).reduce((a, b) => a + b, 0), steal: fields[7] ?? 0 };
  } catch {
    return undefined;
  }
}
async function withSteal(run) {
  const before = cpuTimes();
  const result = await run();
  const after = cpuTimes();
  if (before && after && after.total > before.total) result.stealPercent = (100 * (after.steal - before.steal)) / (after.total - before.total);
  return result;
}

function simulatorArgs({ reports, tripsPerUser, entriesPerReport = size.entriesPerReport, faults = [] }) {
  return ['--seed', values.seed, '--users', String(size.users), '--reports', String(reports), '--entries-per-report', String(entriesPerReport), '--trips-per-user', String(tripsPerUser), ...faults.flatMap((f) => ['--fault', f])];
}

/** Config and one-stream catalogs for a simulator (full refresh, as a first sync). */
async function prepare(sim, name) {
  const config = `${scratch}/${name}-config.json`;
  writeFileSync(
    config,
    JSON.stringify({
      credentials: { auth_type: 'password', client_id: 'sim-client-id', client_secret: 'sim-client-secret', username: 'admin@example.com', password: 'sim-admin-password' },
      token_url: `${sim.url}/oauth2/v0/token`,
      max_concurrency: concurrency,
    }),
  );
  const discovered = await measure(['bin/source-concur.js', 'discover', '--config', config]);
  const catalog = JSON.parse(discovered.lines.find((l) => l.includes('"CATALOG"'))).catalog.streams;
  const catalogs = {};
  for (const stream of [JSON_STREAM, XML_STREAM, 'reports_detail']) {
    catalogs[stream] = `${scratch}/${name}-${stream}.json`;
    writeFileSync(catalogs[stream], JSON.stringify({ streams: [{ stream: catalog.find((s) => s.name === stream), sync_mode: 'full_refresh', destination_sync_mode: 'overwrite' }] }));
  }
  return { config, catalogs };
}

async function connectorRun(label, sim, setup, stream, options = {}) {
  await sim.resetStats();
  const run = await withSteal(() => measure(['bin/source-concur.js', 'read', '--config', setup.config, '--catalog', setup.catalogs[stream]], options));
  const summary = connectorSummary(run.lines);
  if (options.stopAfterMs === undefined && (run.code !== 0 || !summary)) {
    throw new Error(`connector exited ${run.code} reading ${stream}\n${run.lines.filter((l) => !l.includes('"STATE"')).slice(-5).join('\n')}\n${run.stderr}`);
  }
  return runResult(label, 'connector', stream, run, await sim.stats(), {
    cpuSeconds: summary?.cpuSeconds,
    peakRssMb: summary?.peakRssMb ?? Math.max(0, ...run.samples.map((s) => s.rssMb)),
  });
}

async function floorRun(label, sim, script, stream, pageConcurrency, client = 'got') {
  await sim.resetStats();
  const run = await withSteal(() => measure([`bench/${script}`, '--url', sim.url, '--concurrency', String(pageConcurrency), '--client', client]));
  const usage = floorUsage(run.stderr);
  if (run.code !== 0 || !usage) throw new Error(`${script} exited ${run.code}\n${run.stderr}`);
  return runResult(label, 'floor', stream, run, await sim.stats(), usage);
}

/** One measured process as the report shows it; `usage` is what the process said of its CPU and memory. */
function runResult(label, kind, stream, run, stats, usage) {
  const result = {
    label,
    kind,
    stream,
    records: run.records,
    seconds: run.seconds,
    recordsPerSecond: run.records / run.seconds,
    cpuSeconds: usage.cpuSeconds,
    peakRssMb: usage.peakRssMb,
    requests: stats.requests,
    stealPercent: run.stealPercent,
    samples: run.samples,
  };
  log(`${label}: ${result.records} records in ${result.seconds.toFixed(1)} s, ${result.cpuSeconds?.toFixed(2) ?? '?'} s CPU, ${result.peakRssMb.toFixed(0)} MB`);
  return result;
}

/**
 * Connector and floor in adjacent pairs, `repeat` times (ABBA order, so neither side always runs first). The
 * machine's speed drifts between runs (a shared VM), so each pair gives a ratio of its own and the median pair
 * counts (of an even number, the lower one); its two runs are the ones shown.
 */
async function compare(sim, setup, stream, script, pageConcurrency) {
  const pairs = [];
  for (let i = 0; i < repeat; i++) {
    const pair = {};
    const steps = [
      async () => (pair.connector = await connectorRun(`connector ${stream}`, sim, setup, stream)),
      async () => (pair.floor = await floorRun(`floor ${stream}`, sim, script, stream, pageConcurrency)),
    ];
    if (i % 2 === 1) steps.reverse();
    for (const step of steps) await step();
    pair.ratio = pair.connector.recordsPerSecond / pair.floor.recordsPerSecond;
    if (pair.connector.records !== pair.floor.records) log(`warning: ${stream}: connector wrote ${pair.connector.records} records, floor ${pair.floor.records}`);
    log(`${stream}: pair ${i + 1}: connector ÷ floor = ${pair.ratio.toFixed(2)}`);
    pairs.push(pair);
  }
  const sorted = [...pairs].sort((a, b) => a.ratio - b.ratio);
  const median = sorted[Math.floor((sorted.length - 1) / 2)];
  return {
    connector: median.connector,
    floor: median.floor,
    ratio: median.ratio,
    ratios: pairs.map((p) => Number(p.ratio.toFixed(3))),
    peakRssMb: Math.max(...pairs.map((p) => p.connector.peakRssMb)),
  };
}

const runs = [];
const targets = [];
/** `pass` undefined: reported, not a target (see the note). */
const target = (name, measured, required, pass, note) => targets.push({ name, measured, target: required, pass, ...(note ? { note } : {}) });
const latency = [];
let slowReader;
let json;

const ratioText = (c) => (c.ratios.length > 1 ? `${c.ratio.toFixed(2)}× (median of ${c.ratios.map((r) => r.toFixed(2)).join(', ')})` : `${c.ratio.toFixed(2)}×`);

async function throughputPhases(sim) {
  const setup = await prepare(sim, 'main');
  if (phases.has('json') || phases.has('memory')) {
    json = await compare(sim, setup, JSON_STREAM, 'floor-json.mjs', concurrency);
    runs.push(json.connector, json.floor);
    target(`${JSON_STREAM} records/s ÷ raw JSON floor`, ratioText(json), '≥ 0.75×', json.ratio >= 0.75);
    // Shown, not a target: the same floor on bare node:http, i.e. what the got client itself costs per request.
    const bare = await floorRun(`floor ${JSON_STREAM}, bare node:http`, sim, 'floor-json.mjs', JSON_STREAM, concurrency, 'http');
    runs.push(bare);
    target(`${JSON_STREAM}: connector ÷ floor on bare node:http (got's own cost)`, `${(json.connector.recordsPerSecond / bare.recordsPerSecond).toFixed(2)}×`, '–', undefined, 'informational');
  }
  if (phases.has('xml')) {
    // The connector asks Itinerary pages max_concurrency at a time once page 1 has told how many there are.
    const xml = await compare(sim, setup, XML_STREAM, 'floor-xml.mjs', concurrency);
    runs.push(xml.connector, xml.floor);
    target(`${XML_STREAM} records/s ÷ raw XML floor`, ratioText(xml), '≥ 0.50×', xml.ratio >= 0.5);
  }
  if (phases.has('slow')) {
    log(`slow reader: ${size.slowBytesPerSecond / 1e6} MB/s for ${size.slowSeconds} s`);
    const slow = await connectorRun(`connector ${JSON_STREAM}, slow reader (${size.slowBytesPerSecond / 1e6} MB/s, ${size.slowSeconds} s)`, sim, setup, JSON_STREAM, {
      reader: { bytesPerSecond: size.slowBytesPerSecond },
      stopAfterMs: size.slowSeconds * 1000,
    });
    runs.push(slow);
    // Flat: after a 5 s warm-up and until the reader stops, the later half of the samples never climbs more than
    // 10% above the earlier half.
    const settled = slow.samples.filter((s) => s.seconds >= 5 && s.seconds <= size.slowSeconds).map((s) => s.rssMb);
    const half = Math.floor(settled.length / 2);
    const early = Math.max(...settled.slice(0, half));
    const late = Math.max(...settled.slice(half));
    const growth = late / early - 1;
    slowReader = { bytesPerSecond: size.slowBytesPerSecond, seconds: size.slowSeconds, records: slow.records, earlyMaxRssMb: early, lateMaxRssMb: late, growth, samples: slow.samples.filter((s) => s.seconds <= size.slowSeconds) };
    target('slow reader: peak RSS, later half vs earlier half', `${early.toFixed(0)} → ${late.toFixed(0)} MB (${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(0)}%)`, '≤ +10%', settled.length >= 4 && growth <= 0.1);
  }
}

async function memoryPhase() {
  const sim = await startSimulator(simulatorArgs({ reports: size.smallReports, tripsPerUser: 1 }));
  try {
    const small = await connectorRun(`connector ${JSON_STREAM}, tenant ÷ 10`, sim, await prepare(sim, 'small'), JSON_STREAM);
    runs.push(small);
    const big = json.peakRssMb;
    const records = json.connector.records.toLocaleString('en-US');
    target(`peak RSS at ${records} records`, `${big.toFixed(0)} MB`, '≤ 200 MB', big <= 200);
    // The target is 1M records against 100k: a read of a few seconds (the reduced size's tenth) ends before the
    // heap has grown to its working size, so the comparison says nothing there.
    const meaningful = json.connector.records >= 500_000;
    target(
      `peak RSS at ${records} vs ${small.records.toLocaleString('en-US')} records`,
      `${big.toFixed(0)} vs ${small.peakRssMb.toFixed(0)} MB (${big >= small.peakRssMb ? '+' : ''}${((big / small.peakRssMb - 1) * 100).toFixed(0)}%)`,
      '≤ +20%',
      meaningful ? big <= small.peakRssMb * 1.2 : undefined,
      meaningful ? undefined : 'a target at 1M vs 100k records: --size full',
    );
  } finally {
    await sim.stop();
  }
}

async function latencyPhase() {
  const sim = await startSimulator(simulatorArgs({ reports: size.latencyReports, tripsPerUser: size.latencyTrips, entriesPerReport: 2, faults: [`latency:ms=${size.latencyMs}`] }));
  try {
    const setup = await prepare(sim, 'latency');
    for (const stream of [JSON_STREAM, 'reports_detail', XML_STREAM]) {
      const run = await connectorRun(`connector ${stream}, ${size.latencyMs} ms latency`, sim, setup, stream);
      const ideal = (run.requests * size.latencyMs) / 1000 / concurrency;
      const ratio = run.seconds / ideal;
      runs.push({ ...run, idealSeconds: ideal });
      latency.push({ stream, seconds: run.seconds, cpuSeconds: run.cpuSeconds, requests: run.requests, idealSeconds: ideal, ratio });
      // Itinerary pages cost more CPU to parse than the ideal leaves them in wall time: that read is bound by the
      // CPU, not by the latency, and says nothing about how well latency is hidden.
      const cpuBound = run.cpuSeconds !== undefined && run.cpuSeconds > ideal;
      target(
        `${stream}, ${size.latencyMs} ms latency: time ÷ ideal (${run.requests} requests × ${size.latencyMs} ms ÷ ${concurrency})`,
        `${run.seconds.toFixed(1)} s ÷ ${ideal.toFixed(1)} s = ${ratio.toFixed(2)}×`,
        '≤ 1.30×',
        cpuBound ? undefined : ratio <= 1.3,
        cpuBound ? `CPU-bound: ${run.cpuSeconds.toFixed(1)} s of CPU exceed the ${ideal.toFixed(1)} s ideal` : undefined,
      );
    }
  } finally {
    await sim.stop();
  }
}

const main = await startSimulator(simulatorArgs({ reports: size.reports, tripsPerUser: size.tripsPerUser }));
try {
  log(`simulator: ${size.reports} reports × ~${size.entriesPerReport} entries, ${size.users} users × ${size.tripsPerUser} trips`);
  await throughputPhases(main);
  await main.stop();
  if (phases.has('memory')) await memoryPhase();
  if (phases.has('latency')) await latencyPhase();
} finally {
  await main.stop();
  rmSync(scratch, { recursive: true, force: true });
}

const result = {
  date: new Date().toISOString(),
  size: values.size,
  node: process.version,
  cpus: availableParallelism(),
  loadBefore,
  loadAfter: loadAverage(),
  concurrency,
  repeat,
  tenant: {
    ...size,
    description: `${size.reports.toLocaleString('en-US')} reports × ~${size.entriesPerReport} entries, ${size.users} users × ${size.tripsPerUser} trips`,
  },
  runs: runs.map(({ samples, ...rest }) => rest),
  targets,
  latency,
  slowReader,
};
console.log(render(result));
writeFileSync(resolve(ROOT, values.out), JSON.stringify(result, null, 2) + '\n');
if (values.markdown) writeFileSync(resolve(ROOT, values.markdown), renderMarkdown(result) + '\n');
console.log(`\nwritten to ${values.out}`);
process.exitCode = targets.every((t) => t.pass !== false) ? 0 : 1;
