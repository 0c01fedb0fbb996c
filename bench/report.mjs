// The benchmark's figures as a table (stdout) and as JSON, each target with PASS or FAIL.

const fixed = (value, digits = 1) => (value === undefined || value === null || Number.isNaN(value) ? '–' : value.toFixed(digits));
const count = (value) => (value === undefined ? '–' : Math.round(value).toLocaleString('en-US'));

/** Rows of the figures table: one per measured run. */
export function figureRows(runs) {
  return runs.map((run) => [
    run.label,
    count(run.records),
    fixed(run.seconds),
    count(run.recordsPerSecond),
    fixed(run.cpuSeconds),
    fixed(run.peakRssMb, 0),
    run.requests === undefined ? '–' : count(run.requests),
    run.stealPercent === undefined ? '–' : `${fixed(run.stealPercent, 0)}%`,
  ]);
}

/** Rows of the targets table. */
export function targetRows(targets) {
  return targets.map((t) => [t.name, t.measured, t.target, t.pass === undefined ? `– (${t.note})` : t.pass ? 'PASS' : 'FAIL']);
}

export function table(header, rows) {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((row) => String(row[i]).length)));
  const line = (row) => row.map((cell, i) => (i === 0 ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The same tables as Markdown, for the README. */
export function markdown(header, rows) {
  const escape = (cell) => String(cell).replaceAll('|', '\\|');
  return [`| ${header.map(escape).join(' | ')} |`, `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`, ...rows.map((row) => `| ${row.map(escape).join(' | ')} |`)].join('\n');
}

export const FIGURE_HEADER = ['run', 'records', 'seconds', 'records/s', 'CPU s', 'peak RSS MB', 'requests', 'CPU steal'];
export const TARGET_HEADER = ['target', 'measured', 'required', 'result'];

export function render(result) {
  const lines = [
    `source-concur benchmark, ${result.size} size (${result.tenant.description}); node ${result.node}; ${result.cpus} CPUs; 1-min load ${result.loadBefore} before the run`,
    '',
    table(FIGURE_HEADER, figureRows(result.runs)),
    '',
    table(TARGET_HEADER, targetRows(result.targets)),
  ];
  if (result.slowReader) {
    lines.push('', `slow reader (${result.slowReader.bytesPerSecond / 1e6} MB/s): RSS MB every second: ${result.slowReader.samples.map((s) => s.rssMb.toFixed(0)).join(' ')}`);
  }
  return lines.join('\n');
}

export function renderMarkdown(result) {
  return [markdown(FIGURE_HEADER, figureRows(result.runs)), '', markdown(TARGET_HEADER, targetRows(result.targets))].join('\n');
}
