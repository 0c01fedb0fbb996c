// The fault matrix under latency: a small company with `faultYears` years of history, every data response delayed
// by `faultLatencyMs`, every stream read with a company token once without faults and once per scenario of
// bench/fault-scenarios.mjs (each scenario's faults aimed at every stream family). Each read is compared with the
// simulator's ground truth: nothing may be lost. Each scenario's wall time is printed beside the fault-free one.
// Scenarios run concurrently (each against a simulator of its own): the reads mostly wait on the latency.
import { catalogOf, COMPANY_CREDENTIALS, connectorConfig, discover, read, writeJson } from './connector.mjs';
import { SCENARIOS, specsOf } from './fault-scenarios.mjs';
import { differences, groundTruth } from './ground-truth.mjs';
import { startSimulator } from './servers.mjs';

const DAY_MS = 86_400_000;
const FAULT_FREE = { name: 'no fault', perFamily: () => [] };

function tenantArgs(ctx) {
  const { size } = ctx;
  const from = `${Number(size.to.slice(0, 4)) - size.faultYears}${size.to.slice(4)}`;
  return { from, args: ['--seed', size.faultSeed, ...size.faultTenant, '--from', from, '--to', size.to] };
}

/** The scenarios to run: all by default; `--fault-scenarios` names some (comma list) or takes the first N. */
function selected(ctx) {
  const pick = ctx.size.faultScenarios;
  if (pick === undefined || pick === 'all') return SCENARIOS;
  if (/^\d+$/.test(pick)) return SCENARIOS.slice(0, Number(pick));
  const names = pick.split(',');
  const chosen = SCENARIOS.filter((s) => names.includes(s.name));
  if (chosen.length !== names.length) throw new Error(`--fault-scenarios: unknown scenario among ${names.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join('; ')}`);
  return chosen;
}

async function runScenario(ctx, scenario, tenant, catalogStreams, index) {
  const specs = [`latency:ms=${ctx.size.faultLatencyMs}`, ...specsOf(scenario)];
  const sim = await startSimulator([...tenant.args, ...(scenario.flags ?? []), ...specs.flatMap((s) => ['--fault', s])]);
  try {
    // A quarter of a year before the first record: trips are created up to 60 days before they start.
    const start = new Date(Date.parse(`${tenant.from}T00:00:00Z`) - 92 * DAY_MS).toISOString().slice(0, 10);
    const config = writeJson(ctx.scratch, `faults-${index}-config`, connectorConfig(sim.url, COMPANY_CREDENTIALS, { start_date: start, end_date: ctx.size.to, max_concurrency: ctx.concurrency, ...(scenario.config ?? {}) }));
    const catalog = writeJson(ctx.scratch, `faults-${index}-catalog`, catalogOf(catalogStreams, catalogStreams.map((s) => s.name)));
    const run = await read(config, catalog, { keepRecords: true, allowFailure: true, timeoutMs: ctx.size.faultTimeoutSeconds * 1000 });
    const faults = await sim.faults();
    const truth = await groundTruth(sim);
    // A stream read without a ground truth would count as nothing lost: refuse it instead.
    const unchecked = catalogStreams.map((s) => s.name).filter((name) => !truth.has(name));
    if (unchecked.length > 0) throw new Error(`bench/ground-truth.mjs has no ground truth for ${unchecked.join(', ')}: add it before reading them`);
    const emitted = new Map();
    for (const line of run.recordLines) {
      const { record } = JSON.parse(line);
      if (!emitted.has(record.stream)) emitted.set(record.stream, []);
      emitted.get(record.stream).push(record.data);
    }
    const byStream = {};
    let lost = 0;
    let expected = 0;
    let duplicated = 0;
    let unexpected = 0;
    for (const [stream, expectation] of truth) {
      const d = differences(emitted.get(stream) ?? [], expectation);
      byStream[stream] = { emitted: d.emitted, expected: d.expected, lost: d.lost.length, lostKeys: d.lost.slice(0, 3) };
      lost += d.lost.length;
      expected += d.expected;
      duplicated += d.duplicated;
      unexpected += d.unexpected;
    }
    const aimed = faults.filter((f) => f.name !== 'latency' && f.name !== 'rotate-refresh');
    const result = {
      scenario: scenario.name,
      seconds: run.seconds,
      code: run.code,
      requests: run.connectorRequests,
      records: run.records,
      expected,
      lost,
      duplicated,
      unexpected,
      faultsFired: aimed.filter((f) => f.injected > 0).length,
      faultsAimed: aimed.length,
      byStream,
    };
    ctx.log(`faults: ${scenario.name}: ${run.seconds.toFixed(0)} s, exit ${run.code}, ${lost} of ${expected} records lost, ${result.faultsFired}/${result.faultsAimed} faults fired`);
    return result;
  } finally {
    await sim.stop();
  }
}

export async function faultsPhase(ctx) {
  const { size } = ctx;
  const tenant = tenantArgs(ctx);
  const scenarios = [FAULT_FREE, ...selected(ctx)];
  ctx.log(`faults: ${scenarios.length} reads of every stream (${size.faultYears} years, ${size.faultLatencyMs} ms per response), ${Math.min(size.faultParallel, scenarios.length)} at a time`);
  // The catalog, from a fault-free simulator of the same company (discover needs only the token endpoint).
  const probe = await startSimulator(tenant.args);
  let streams;
  try {
    streams = await discover(writeJson(ctx.scratch, 'faults-discover-config', connectorConfig(probe.url, COMPANY_CREDENTIALS)));
  } finally {
    await probe.stop();
  }
  const started = Date.now();
  const results = new Array(scenarios.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(size.faultParallel, scenarios.length) }, async () => {
      while (next < scenarios.length) {
        const index = next++;
        results[index] = await runScenario(ctx, scenarios[index], tenant, streams, index);
      }
    }),
  );
  const [clean, ...faulted] = results;
  ctx.sections.faults = { company: tenant.args.join(' '), latencyMs: size.faultLatencyMs, parallel: Math.min(size.faultParallel, scenarios.length), wallSeconds: (Date.now() - started) / 1000, results };
  const lostText = (r) => `${r.lost} of ${r.expected} lost; ${r.seconds.toFixed(0)} s`;
  ctx.target(`fault matrix: ${clean.scenario} (${streams.length} streams)`, `${lostText(clean)}, exit ${clean.code}`, 'nothing lost', clean.lost === 0);
  for (const r of faulted) {
    ctx.target(`fault matrix: ${r.scenario}`, `${lostText(r)} (fault-free ${clean.seconds.toFixed(0)} s, ${(r.seconds / clean.seconds).toFixed(2)}×)`, 'nothing lost', r.lost === 0);
  }
  const silent = faulted.filter((r) => r.faultsFired < r.faultsAimed);
  ctx.check('fault matrix: every aimed fault fired', silent.length === 0, silent.length === 0 ? `${faulted.length} scenarios` : silent.map((r) => `${r.scenario}: ${r.faultsFired}/${r.faultsAimed}`).join('; '));
}
