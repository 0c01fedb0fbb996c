// Latency: every data answer is held back `latencyMs`; a read should take little more than its requests × latency
// ÷ max_concurrency, the time the requests in flight allow at best. The pages are pre-rendered (recorded from the
// simulator, then served by the page server with the delay), so the time measured is the connector's: a simulator
// rendering XML on the same two CPUs would be part of it otherwise. The whole history is read (no start_date, so
// the empty years from 2000 are probed; the range ends at a fixed day so that the recorded requests come again).
// A read whose CPU time alone exceeds the ideal is reported but not counted (the CPU bounds it, not latency).
import { catalogOf, connectorConfig, discover, PASSWORD_CREDENTIALS, read, writeJson } from './connector.mjs';
import { withMachine } from './processes.mjs';
import { startPageServer, startSimulator } from './servers.mjs';

const STREAMS = ['expense_entries', 'reports_detail', 'travel_itineraries'];

export async function latencyPhase(ctx) {
  const { size } = ctx;
  const args = ['--seed', size.seed, '--users', String(size.users), '--reports', String(size.latencyReports), '--entries-per-report', '2', '--trips-per-user', String(size.latencyTrips), '--from', size.from, '--to', size.to];
  const sim = await startSimulator(args);
  const pages = await startPageServer(sim.url);
  try {
    const endDate = new Date(Date.parse(size.to) + 86_400_000).toISOString().slice(0, 10);
    const config = writeJson(ctx.scratch, 'latency-config', connectorConfig(pages.url, PASSWORD_CREDENTIALS, { max_concurrency: ctx.concurrency, end_date: endDate }));
    const discovered = await discover(config);
    const catalogs = new Map(STREAMS.map((stream) => [stream, writeJson(ctx.scratch, `latency-${stream}-catalog`, catalogOf(discovered, [stream]))]));
    for (const catalog of catalogs.values()) await read(config, catalog);
    await pages.serve(size.latencyMs);
    await sim.stop();
    ctx.sections.latency = [];
    for (const stream of STREAMS) {
      const catalog = catalogs.get(stream);
      await pages.resetStats();
      const run = await withMachine(() => read(config, catalog));
      const served = await pages.stats();
      if (served.misses > 0) throw new Error(`latency ${stream}: ${served.misses} requests were not recorded: ${JSON.stringify(await pages.misses())}`);
      const requests = served.requests;
      const ideal = (requests * size.latencyMs) / 1000 / ctx.concurrency;
      const ratio = run.seconds / ideal;
      const label = `connector ${stream}, ${size.latencyMs} ms latency`;
      ctx.runs.push({
        label,
        kind: 'connector',
        stream,
        records: run.records,
        seconds: run.seconds,
        recordsPerSecond: run.records / run.seconds,
        cpuSeconds: run.cpuSeconds,
        cpuPerRecordUs: run.cpuSeconds === undefined || run.records === 0 ? undefined : (1e6 * run.cpuSeconds) / run.records,
        peakRssMb: run.peakRssMb,
        requests,
        connectorRequests: run.connectorRequests,
        idealSeconds: ideal,
        stealPercent: run.stealPercent,
        machineBusyPercent: run.machineBusyPercent,
      });
      ctx.sections.latency.push({ stream, seconds: run.seconds, cpuSeconds: run.cpuSeconds, requests, idealSeconds: ideal, ratio });
      ctx.log(`${label}: ${run.seconds.toFixed(1)} s for ${requests} requests (ideal ${ideal.toFixed(1)} s, ${ratio.toFixed(2)}×)`);
      const cpuBound = run.cpuSeconds !== undefined && run.cpuSeconds > ideal;
      ctx.target(
        `${stream}, ${size.latencyMs} ms latency: time ÷ ideal (${requests} requests × ${size.latencyMs} ms ÷ ${ctx.concurrency})`,
        `${run.seconds.toFixed(1)} s ÷ ${ideal.toFixed(1)} s = ${ratio.toFixed(2)}×`,
        '≤ 1.30×',
        cpuBound ? undefined : ratio <= 1.3,
        cpuBound ? `not counted, CPU-bound: ${run.cpuSeconds.toFixed(2)} s of CPU exceed the ${ideal.toFixed(2)} s ideal` : undefined,
      );
    }
  } finally {
    await pages.stop();
    await sim.stop();
  }
}
