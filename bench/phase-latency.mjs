// Latency: the simulator (not the page server) delays every data response by `latencyMs`; a read should take
// little more than its requests × latency ÷ max_concurrency, the time the requests in flight allow at best.
// As before this rebuild: the whole history is read (no start_date, so the empty years from 2000 are probed),
// and a read whose CPU time alone exceeds the ideal is reported but not counted (the CPU bounds it, not latency).
import { catalogOf, connectorConfig, discover, PASSWORD_CREDENTIALS, read, writeJson } from './connector.mjs';
import { withMachine } from './processes.mjs';
import { startSimulator } from './servers.mjs';

const STREAMS = ['expense_entries', 'reports_detail', 'travel_itineraries'];

export async function latencyPhase(ctx) {
  const { size } = ctx;
  const args = ['--seed', size.seed, '--users', String(size.users), '--reports', String(size.latencyReports), '--entries-per-report', '2', '--trips-per-user', String(size.latencyTrips), '--from', size.from, '--to', size.to, '--fault', `latency:ms=${size.latencyMs}`];
  const sim = await startSimulator(args);
  try {
    const config = writeJson(ctx.scratch, 'latency-config', connectorConfig(sim.url, PASSWORD_CREDENTIALS, { max_concurrency: ctx.concurrency }));
    const discovered = await discover(config);
    ctx.sections.latency = [];
    for (const stream of STREAMS) {
      const catalog = writeJson(ctx.scratch, `latency-${stream}-catalog`, catalogOf(discovered, [stream]));
      await sim.resetStats();
      const run = await withMachine(() => read(config, catalog));
      const requests = (await sim.stats()).requests;
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
    await sim.stop();
  }
}
