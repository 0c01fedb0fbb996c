// The benchmark's figures as text tables (stdout) or Markdown, each target and each validity check with PASS or
// FAIL. Nothing here measures; it only lays out what bench/run.mjs collected.

const fixed = (value, digits = 1) => (value === undefined || value === null || Number.isNaN(value) || !Number.isFinite(value) ? '–' : value.toFixed(digits));
const count = (value) => (value === undefined || value === null ? '–' : Math.round(value).toLocaleString('en-US'));
const percent = (value) => (value === undefined ? '–' : `${fixed(value, 0)}%`);

// server CPU: the page server's own CPU time over the run's wall time (share of one core); CPUs busy: how busy
// all of the machine's CPUs were meanwhile, the measured process, the server and the bench included; steal: CPU
// time the hypervisor gave to other guests.
export const RUN_HEADER = ['run', 'records', 'seconds', 'records/s', 'CPU s', 'CPU µs/record', 'peak RSS MB', 'requests', 'server CPU', 'CPUs busy', 'steal'];

/** One row per measured run. */
export function runRows(runs) {
  return runs.map((run) => [
    run.label,
    count(run.records),
    fixed(run.seconds),
    count(run.recordsPerSecond),
    fixed(run.cpuSeconds, 2),
    fixed(run.cpuPerRecordUs, 0),
    fixed(run.peakRssMb, 0),
    count(run.requests),
    percent(run.serverCpuPercent),
    percent(run.machineBusyPercent),
    percent(run.stealPercent),
  ]);
}

export const TARGET_HEADER = ['target', 'measured', 'required', 'result'];
export const targetRows = (targets) => targets.map((t) => [t.name, t.measured, t.target, t.pass === undefined ? `– (${t.note})` : t.pass ? 'PASS' : 'FAIL']);

export const CHECK_HEADER = ['bench validity check', 'detail', 'result'];
export const checkRows = (checks) => checks.map((c) => [c.name, c.detail, c.pass ? 'PASS' : 'FAIL']);

export const REQUESTS_HEADER = ['stream', 'requests, long start', 'requests, start at first record', 'records, long', 'records, short'];
export function requestRows(requests) {
  const names = Object.keys(requests.short.streams);
  const rows = names.map((name) => [name, count(requests.long.streams[name]?.requests), count(requests.short.streams[name]?.requests), count(requests.long.streams[name]?.records), count(requests.short.streams[name]?.records)]);
  rows.push(['all streams (the connector\'s own count)', count(requests.long.requests), count(requests.short.requests), count(requests.long.records), count(requests.short.records)]);
  rows.push(['all streams (counted by the simulator)', count(requests.long.simulatorRequests), count(requests.short.simulatorRequests), '', '']);
  return rows;
}

export const FAULT_HEADER = ['scenario', 'seconds', '÷ fault-free', 'exit', 'requests', 'records', 'lost', 'duplicated', 'unexpected', 'faults fired'];
export function faultRows(faults) {
  const clean = faults.results[0];
  return faults.results.map((r) => [r.scenario, fixed(r.seconds, 0), r === clean ? '–' : `${fixed(r.seconds / clean.seconds, 2)}×`, String(r.code), count(r.requests), count(r.records), count(r.lost), count(r.duplicated), count(r.unexpected), r === clean ? '–' : `${r.faultsFired}/${r.faultsAimed}`]);
}

export function table(header, rows) {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((row) => String(row[i]).length)));
  const line = (row) => row.map((cell, i) => (i === 0 ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function markdown(header, rows) {
  const escape = (cell) => String(cell).replaceAll('|', '\\|');
  return [`| ${header.map(escape).join(' | ')} |`, `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`, ...rows.map((row) => `| ${row.map(escape).join(' | ')} |`)].join('\n');
}

/** The page server's capacity as one line, printed beside the results. */
export function capacityLine(pageServer) {
  const { stored, capacity: c } = pageServer;
  return (
    `page server (bare node:http, ${count(stored.pages)} pages, ${fixed(stored.bytesStored / 1e6, 0)} MB pre-rendered in memory): capacity ${count(c.requestsPerSecond)} requests/s, ` +
    `${fixed(c.mbPerSecond, 0)} MB/s to a bare node:http client with ${c.concurrency} requests in flight for ${fixed(c.seconds, 0)} s ` +
    `(server CPU ${percent(c.serverCpuPercent)} of a core, client CPU ${percent(c.clientCpuPercent)}); per server CPU-second: ${count(c.requestsPerServerCpuSecond)} requests, ${fixed(c.mbPerServerCpuSecond, 0)} MB`
  );
}

function sections(result, format) {
  const out = [];
  const t = (header, rows) => (format === 'markdown' ? markdown(header, rows) : table(header, rows));
  if (result.sections.pageServer) out.push(capacityLine(result.sections.pageServer), '');
  if (result.runs.length > 0) out.push(t(RUN_HEADER, runRows(result.runs)), '');
  if (result.sections.requests) {
    const r = result.sections.requests;
    out.push(`requests: the standard company (${r.company}), ${r.streams} streams, start_date ${r.longStart} vs ${r.shortStart}; ${r.windowedListings.count} windowed listings (6 of the report family + ${r.windowedListings.buckets} v2 status buckets)`);
    out.push(t(REQUESTS_HEADER, requestRows(r)), '');
  }
  if (result.sections.faults) {
    const f = result.sections.faults;
    out.push(`fault matrix: ${f.company}, ${f.latencyMs} ms per response, ${f.parallel} reads at a time, ${fixed(f.wallSeconds, 0)} s in all`);
    out.push(t(FAULT_HEADER, faultRows(f)), '');
  }
  out.push(t(TARGET_HEADER, targetRows(result.targets)));
  if (result.checks.length > 0) out.push('', t(CHECK_HEADER, checkRows(result.checks)));
  return out;
}

export function render(result) {
  const lines = [
    `source-concur benchmark, ${result.size} size; node ${result.node}; ${result.cpus} CPUs; load average ${result.loadBefore?.join(' ') ?? '?'} before the run (1, 5, 15 min)`,
    `main tenant: ${result.tenant.description}; max_concurrency ${result.concurrency}; ${result.repeat} connector/floor pairs per comparison (ABBA order, median ratio)`,
    '',
    ...sections(result, 'text'),
  ];
  if (result.sections.slowReader) {
    const s = result.sections.slowReader;
    lines.push('', `slow reader (${s.bytesPerSecond / 1e6} MB/s): RSS MB every second: ${s.samples.map((x) => x.rssMb.toFixed(0)).join(' ')}`);
  }
  lines.push('', `load average ${result.loadAfter?.join(' ') ?? '?'} after the run; ${fixed(result.wallSeconds / 60, 1)} minutes in all`);
  return lines.join('\n');
}

export function renderMarkdown(result) {
  return sections(result, 'markdown').join('\n');
}
