// Throughput, CPU and memory against the pre-rendered page server: the connector's reads are recorded once from
// the simulator, then connector and bare node:http floors read the same pages from memory in interleaved pairs.
// Phases: json (expense_entries), xml (travel_itineraries), memory (peak RSS at 1M vs 100k), slow (a slow reader).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalogOf, connectorConfig, discover, PASSWORD_CREDENTIALS, read, writeJson } from './connector.mjs';
import { measure, withMachine } from './processes.mjs';
import { startPageServer, startSimulator } from './servers.mjs';

const JSON_STREAM = 'expense_entries';
const XML_STREAM = 'travel_itineraries';
/** Where each stream's records are: the pages of this path hold them (the other pages are lists of parents). */
const RECORDS_PATH = { [JSON_STREAM]: '/api/v3.0/expense/entries', [XML_STREAM]: '/api/travel/trip/v1.1' };
const FLOOR = { [JSON_STREAM]: 'bench/floor-json.mjs', [XML_STREAM]: 'bench/floor-xml.mjs' };
const DAY_MS = 86_400_000;
/** Above this share of one core, the server's own speed could shape a run: the run does not count. */
export const SERVER_CPU_LIMIT_PERCENT = 50;

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];
const day = (ms) => new Date(ms).toISOString().slice(0, 10);

/** Simulator flags of a throughput tenant: fixed seed and dates, so the same flags always give the same pages. */
function tenantArgs(ctx, reports, tripsPerUser) {
  const { size } = ctx;
  return ['--seed', size.seed, '--users', String(size.users), '--reports', String(reports), '--entries-per-report', String(size.entriesPerReport), '--trips-per-user', String(tripsPerUser), '--from', size.from, '--to', size.to];
}

/**
 * Records the connector's reads of `streams` from a simulator started with `simArgs`, through a page server, then
 * stops the simulator and turns the page server to serving. The config has a fixed start and end date, so no
 * request depends on the day the benchmark runs. Returns the page server, the config and catalogs for later reads,
 * and per stream the recorded request list (also written to a file, one target a line, for the floors).
 */
async function recordPages(ctx, name, simArgs, streams) {
  const sim = await startSimulator(simArgs);
  const pages = await startPageServer(sim.url);
  try {
    // A quarter of a year of empty history before the first record: every record is in range (trips are created
    // before their start), and the connector meets empty windows as in a real first sync.
    const start = day(Date.parse(`${ctx.size.from}T00:00:00Z`) - 92 * DAY_MS);
    const config = writeJson(ctx.scratch, `${name}-config`, connectorConfig(pages.url, PASSWORD_CREDENTIALS, { start_date: start, end_date: ctx.size.to, max_concurrency: ctx.concurrency }));
    const discovered = await discover(config);
    const recorded = {};
    for (const stream of streams) {
      const catalog = writeJson(ctx.scratch, `${name}-${stream}-catalog`, catalogOf(discovered, [stream]));
      await pages.clearLog();
      const started = Date.now();
      const run = await read(config, catalog);
      const log = await pages.log();
      const bad = log.filter((entry) => entry.status !== 200);
      if (bad.length > 0) throw new Error(`recording ${stream}: ${bad.length} answers were not 200, e.g. ${bad[0].status} ${bad[0].url}`);
      const targets = log.map((entry) => entry.url);
      const file = join(ctx.scratch, `${name}-${stream}.urls`);
      writeFileSync(file, `${targets.join('\n')}\n`);
      recorded[stream] = { catalog, targets, file, records: run.records };
      ctx.log(`${name}: recorded ${stream}: ${run.records.toLocaleString('en-US')} records, ${targets.length.toLocaleString('en-US')} requests in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
    await sim.stop();
    const stored = await pages.serve();
    const stats = await pages.stats();
    if (stats.unstable > 0) throw new Error(`${name}: ${stats.unstable} pages were recorded twice with different bodies: the simulator is not deterministic for these reads`);
    ctx.log(`${name}: page server holds ${stored.pages.toLocaleString('en-US')} pages, ${(stored.bytesStored / 1e6).toFixed(0)} MB`);
    return { pages, config, recorded, stored };
  } catch (error) {
    await pages.stop();
    throw error;
  } finally {
    await sim.stop();
  }
}

/**
 * The page server's capacity for a stream's pages: a bare node:http client with many requests in flight, alone,
 * for a few seconds. Requests/s and MB/s as the client saw them, and the server's own CPU meanwhile; per server
 * CPU-second is what one core of server could serve if the client were not sharing the machine.
 */
async function measureCapacity(ctx, pages, recorded) {
  const before = await pages.stats();
  const run = await measure(['bench/capacity.mjs', '--url', pages.url, '--urls', recorded.file, '--concurrency', String(ctx.size.capacityConcurrency), '--seconds', String(ctx.size.capacitySeconds)]);
  const after = await pages.stats();
  if (run.code !== 0) throw new Error(`capacity client exited ${run.code}\n${run.stderr}`);
  const client = JSON.parse(run.lines.at(-1));
  const serverCpu = after.cpuSeconds - before.cpuSeconds;
  const capacity = {
    requestsPerSecond: client.requests / client.seconds,
    mbPerSecond: client.bytes / 1e6 / client.seconds,
    serverCpuPercent: (100 * serverCpu) / client.seconds,
    clientCpuPercent: run.cpuSeconds === undefined ? undefined : (100 * run.cpuSeconds) / run.seconds,
    requestsPerServerCpuSecond: client.requests / serverCpu,
    mbPerServerCpuSecond: client.bytes / 1e6 / serverCpu,
    concurrency: ctx.size.capacityConcurrency,
    seconds: client.seconds,
    misses: after.misses,
  };
  if (after.misses > 0) throw new Error(`capacity: ${after.misses} pages not recorded`);
  ctx.log(`page server capacity: ${capacity.requestsPerSecond.toFixed(0)} requests/s, ${capacity.mbPerSecond.toFixed(0)} MB/s (server CPU ${capacity.serverCpuPercent.toFixed(0)}% of a core)`);
  return capacity;
}

/** A measured run against the page server, with the server's counters and CPU over the same time. */
async function serverRun(ctx, pages, label, kind, stream, expected, run) {
  await pages.resetStats();
  const before = await pages.stats();
  const result = await withMachine(run);
  const after = await pages.stats();
  const serverCpuSeconds = after.cpuSeconds - before.cpuSeconds;
  const entry = {
    label,
    kind,
    stream,
    records: result.records,
    seconds: result.seconds,
    recordsPerSecond: result.records / result.seconds,
    cpuSeconds: result.cpuSeconds,
    cpuPerRecordUs: result.cpuSeconds === undefined || result.records === 0 ? undefined : (1e6 * result.cpuSeconds) / result.records,
    peakRssMb: result.peakRssMb,
    requests: after.requests,
    connectorRequests: result.connectorRequests,
    misses: after.misses,
    expectedRequests: expected,
    serverCpuPercent: (100 * serverCpuSeconds) / result.seconds,
    stealPercent: result.stealPercent,
    machineBusyPercent: result.machineBusyPercent,
    samples: result.samples,
  };
  if (after.misses > 0) {
    const missed = await pages.misses();
    throw new Error(`${label}: ${after.misses} requests for pages that were not recorded (the read is not repeatable?), e.g. ${missed.slice(0, 3).join(', ')}`);
  }
  ctx.log(
    `${label}: ${entry.records.toLocaleString('en-US')} records in ${entry.seconds.toFixed(1)} s, ${entry.cpuSeconds?.toFixed(2) ?? '?'} s CPU, ${entry.peakRssMb?.toFixed(0) ?? '?'} MB, ${entry.requests} requests, server CPU ${entry.serverCpuPercent.toFixed(0)}%`,
  );
  return { entry, result };
}

const connectorRun = (ctx, pages, setup, stream, label, options = {}) =>
  serverRun(ctx, pages, label, 'connector', stream, setup.recorded[stream].targets.length, () => read(setup.config, setup.recorded[stream].catalog, options));

const floorRun = (ctx, pages, setup, stream, label) =>
  serverRun(ctx, pages, label, 'floor', stream, setup.recorded[stream].targets.length, async () => {
    const args = [FLOOR[stream], '--url', pages.url, '--urls', setup.recorded[stream].file, '--concurrency', String(ctx.concurrency), '--records-path', RECORDS_PATH[stream], '--stream', stream];
    const run = await measure(args);
    if (run.code !== 0) throw new Error(`${FLOOR[stream]} exited ${run.code}\n${run.stderr.slice(-2000)}`);
    return run;
  });

/**
 * Connector and floor in pairs, `repeat` times, in ABBA order (connector first in odd pairs, floor first in even
 * ones), all against the one page server. Each pair gives its own ratios (this VM's speed drifts between runs);
 * the median of each ratio counts.
 */
async function comparePairs(ctx, setup, stream, sizeLabel) {
  const { pages } = setup;
  const pairs = [];
  for (let i = 0; i < ctx.repeat; i++) {
    const pair = {};
    const steps = [
      async () => (pair.connector = (await connectorRun(ctx, pages, setup, stream, `connector ${stream}${sizeLabel}`)).entry),
      async () => (pair.floor = (await floorRun(ctx, pages, setup, stream, `floor ${stream}${sizeLabel}`)).entry),
    ];
    if (i % 2 === 1) steps.reverse();
    for (const step of steps) await step();
    ctx.runs.push(...(i % 2 === 1 ? [pair.floor, pair.connector] : [pair.connector, pair.floor]));
    pair.speed = pair.connector.recordsPerSecond / pair.floor.recordsPerSecond;
    pair.cpu = pair.connector.cpuPerRecordUs / pair.floor.cpuPerRecordUs;
    ctx.check(`${stream}${sizeLabel}, pair ${i + 1}: connector and floor wrote the same records`, pair.connector.records === pair.floor.records, `${pair.connector.records} vs ${pair.floor.records}`);
    ctx.check(
      `${stream}${sizeLabel}, pair ${i + 1}: connector and floor sent the recorded requests`,
      pair.connector.requests === pair.connector.expectedRequests && pair.floor.requests === pair.floor.expectedRequests,
      `${pair.connector.requests}, ${pair.floor.requests} of ${pair.connector.expectedRequests}`,
    );
    ctx.log(`${stream}${sizeLabel}: pair ${i + 1}: records/s ratio ${pair.speed.toFixed(2)}, CPU/record ratio ${pair.cpu.toFixed(2)}`);
    pairs.push(pair);
  }
  return {
    pairs,
    speed: median(pairs.map((p) => p.speed)),
    cpu: median(pairs.map((p) => p.cpu)),
    records: pairs[0].connector.records,
    connectorPeakRssMb: Math.max(...pairs.map((p) => p.connector.peakRssMb ?? Infinity)),
    floorPeakRssMb: Math.max(...pairs.map((p) => p.floor.peakRssMb ?? Infinity)),
    connectorCpuPerRecordUs: median(pairs.map((p) => p.connector.cpuPerRecordUs)),
    floorCpuPerRecordUs: median(pairs.map((p) => p.floor.cpuPerRecordUs)),
  };
}

const ratioText = (value, values) => (values.length > 1 ? `${value.toFixed(2)}× (median of ${values.map((r) => r.toFixed(2)).join(', ')})` : `${value.toFixed(2)}×`);
const count = (n) => n.toLocaleString('en-US');

/** The JSON ratios; with `reference`, printed as measured but not judged (the reason in the note). */
function jsonTargets(ctx, comparison, sizeLabel, reference) {
  const { pairs } = comparison;
  const judged = (pass) => (reference === undefined ? pass : undefined);
  ctx.target(`${JSON_STREAM}${sizeLabel} records/s ÷ bare node:http floor`, ratioText(comparison.speed, pairs.map((p) => p.speed)), '≥ 0.75×', judged(comparison.speed >= 0.75), reference);
  ctx.target(
    `${JSON_STREAM}${sizeLabel} CPU per record ÷ floor's (${comparison.connectorCpuPerRecordUs.toFixed(0)} vs ${comparison.floorCpuPerRecordUs.toFixed(0)} µs)`,
    ratioText(comparison.cpu, pairs.map((p) => p.cpu)),
    '≤ 1.50×',
    judged(comparison.cpu <= 1.5),
    reference,
  );
}

/**
 * With --cpu-prof DIR: one more connector read of the stream with node's --cpu-prof, after the pairs and not
 * counted (profiling slows it); `node bench/profile-summary.mjs DIR/*.cpuprofile` summarises the profile.
 */
async function profileRead(ctx, setup, stream) {
  const { pages } = setup;
  const { entry } = await serverRun(ctx, pages, `connector ${stream}, --cpu-prof (not counted)`, 'profile', stream, setup.recorded[stream].targets.length, () =>
    read(setup.config, setup.recorded[stream].catalog, { nodeArgs: ['--cpu-prof', '--cpu-prof-dir', ctx.cpuProfileDir] }),
  );
  ctx.log(`CPU profile of the connector written to ${ctx.cpuProfileDir}`);
  ctx.sections.cpuProfile = { dir: ctx.cpuProfileDir, run: entry.label };
}

/** Slow destination: stdout drained at `slowBytesPerSecond` for `slowSeconds`; RSS must stay flat meanwhile. */
async function slowReader(ctx, setup) {
  const { size } = ctx;
  const label = `connector ${JSON_STREAM}, slow reader (${size.slowBytesPerSecond / 1e6} MB/s, ${size.slowSeconds} s)`;
  ctx.log(`slow reader: ${size.slowBytesPerSecond / 1e6} MB/s for ${size.slowSeconds} s`);
  await setup.pages.resetStats();
  const before = await setup.pages.stats();
  const result = await withMachine(() => read(setup.config, setup.recorded[JSON_STREAM].catalog, { reader: { bytesPerSecond: size.slowBytesPerSecond }, stopAfterMs: size.slowSeconds * 1000 }));
  const after = await setup.pages.stats();
  const settled = result.samples.filter((s) => s.seconds >= 5 && s.seconds <= size.slowSeconds).map((s) => s.rssMb);
  const half = Math.floor(settled.length / 2);
  const early = Math.max(...settled.slice(0, half));
  const late = Math.max(...settled.slice(half));
  const growth = late / early - 1;
  ctx.runs.push({
    label,
    kind: 'connector',
    stream: JSON_STREAM,
    records: result.records,
    seconds: result.seconds,
    recordsPerSecond: result.records / result.seconds,
    peakRssMb: Math.max(0, ...result.samples.map((s) => s.hwmMb)),
    requests: after.requests,
    serverCpuPercent: (100 * (after.cpuSeconds - before.cpuSeconds)) / result.seconds,
    stealPercent: result.stealPercent,
    machineBusyPercent: result.machineBusyPercent,
  });
  ctx.sections.slowReader = { bytesPerSecond: size.slowBytesPerSecond, seconds: size.slowSeconds, records: result.records, earlyMaxRssMb: early, lateMaxRssMb: late, growth, samples: result.samples.filter((s) => s.seconds <= size.slowSeconds) };
  ctx.target('slow reader: RSS, max of later half ÷ max of earlier half (after 5 s)', `${early.toFixed(0)} → ${late.toFixed(0)} MB (${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(0)}%)`, '≤ 1.10×', settled.length >= 4 && growth <= 0.1);
}

export async function throughputPhases(ctx) {
  const { size, phases } = ctx;
  const wantJson = phases.has('json') || phases.has('memory') || phases.has('slow');
  const streams = [...(wantJson ? [JSON_STREAM] : []), ...(phases.has('xml') ? [XML_STREAM] : [])];
  if (streams.length === 0) return;
  ctx.log(`main tenant: ${count(size.reports)} reports × ~${size.entriesPerReport} entries, ${size.users} users × ${size.tripsPerUser} trips, ${size.from} .. ${size.to}`);
  const main = await recordPages(ctx, 'main', tenantArgs(ctx, size.reports, size.tripsPerUser), streams);
  let json;
  try {
    ctx.sections.pageServer = { stored: main.stored, capacity: await measureCapacity(ctx, main.pages, main.recorded[streams[0]]) };
    if (phases.has('json') || phases.has('memory')) {
      json = await comparePairs(ctx, main, JSON_STREAM, '');
      if (phases.has('json')) jsonTargets(ctx, json, '');
      if (ctx.cpuProfileDir) await profileRead(ctx, main, JSON_STREAM);
    }
    if (phases.has('xml')) {
      const xml = await comparePairs(ctx, main, XML_STREAM, '');
      ctx.target(`${XML_STREAM} records/s ÷ bare XML floor`, ratioText(xml.speed, xml.pairs.map((p) => p.speed)), '≥ 0.50×', xml.speed >= 0.5);
      ctx.sections.xml = { speed: xml.speed, cpu: xml.cpu };
    }
    if (phases.has('slow')) await slowReader(ctx, main);
  } finally {
    await main.pages.stop();
  }
  if (json) await memoryTargets(ctx, json);
  // Every run against a page server: its CPU must have stayed far from a full core, or the server shaped the run.
  const served = ctx.runs.filter((r) => r.serverCpuPercent !== undefined);
  const busiest = served.reduce((top, r) => (r.serverCpuPercent > top.serverCpuPercent ? r : top), served[0]);
  if (busiest) {
    ctx.check(`page server CPU ≤ ${SERVER_CPU_LIMIT_PERCENT}% of a core in every run`, busiest.serverCpuPercent <= SERVER_CPU_LIMIT_PERCENT, `busiest: ${busiest.serverCpuPercent.toFixed(0)}% (${busiest.label})`);
  }
}

/**
 * Peak RSS at the main size. With a small tenant (the full preset: the reduced tenant, ~100,000 entries; or
 * --small-reports), that tenant is read in pairs of its own against its own page server, so the 1M figure is
 * compared with a 100k figure taken the same way. Both are targets only at ~1,000,000 records.
 */
async function memoryTargets(ctx, json) {
  const { size, phases } = ctx;
  if (!phases.has('memory')) return;
  const big = json.connectorPeakRssMb;
  const counted = json.records >= 500_000;
  const note = counted ? undefined : 'a target at ~1,000,000 records: --size full';
  ctx.target(`peak RSS at ${count(json.records)} records (max of ${json.pairs.length} reads)`, `${big.toFixed(0)} MB (floor ${json.floorPeakRssMb.toFixed(0)} MB)`, '≤ 150 MB', counted ? big <= 150 : undefined, note);
  if (size.smallReports === undefined) return;
  ctx.log(`small tenant: ${count(size.smallReports)} reports (the memory comparison)`);
  const small = await recordPages(ctx, 'small', tenantArgs(ctx, size.smallReports, 1), [JSON_STREAM]);
  try {
    const smallJson = await comparePairs(ctx, small, JSON_STREAM, ` (${count(size.smallReports)} reports)`);
    // Read for the memory comparison. Its speed is shown, not judged: the target is the full-size read's, and in a
    // read of two seconds the connector's fixed start (process, token, the search for where data begins) weighs
    // several times what it does in a million records.
    if (phases.has('json')) jsonTargets(ctx, smallJson, ` (${count(smallJson.records)} records)`, counted ? 'shown, not judged: the target is the ~1,000,000-record read above' : undefined);
    const base = smallJson.connectorPeakRssMb;
    ctx.target(
      `peak RSS at ${count(json.records)} ÷ at ${count(smallJson.records)} records`,
      `${big.toFixed(0)} ÷ ${base.toFixed(0)} MB = ${(big / base).toFixed(2)}×`,
      '≤ 1.20×',
      counted ? big <= base * 1.2 : undefined,
      note,
    );
  } finally {
    await small.pages.stop();
  }
}
