#!/usr/bin/env node
// npm run test:faults [-- --no-build] [-- extra vitest arguments]
//
// Runs the hostile-conditions suite and prints what it measured: the fault matrix and the six-stream fault runs it
// leaves out (records expected from the simulator's ground truth against records read, faults that fired), the
// secret scans (planted secrets and issued tokens found in any output) and the hostile inputs (how many were checked
// and handled as documented). The figures come from the tests themselves: with FAULT_REPORT_FILE set,
// test/helpers/fault-report.ts appends one JSON line per measurement. Exit code 1 when a test failed, a record was
// lost, a secret leaked, a hostile input was not handled or a suite measured nothing.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Test file → the suite name its measurements use (test/helpers/fault-report.ts callers). */
const SUITES = {
  'test/integration/fault-matrix.test.ts': 'fault matrix',
  'test/integration/faults.test.ts': 'faults (six report streams)',
  'test/integration/secrets.test.ts': 'secrets',
  'test/integration/hostile-input.test.ts': 'hostile input (CLI)',
  'test/unit/hostile/inputs.property.test.ts': 'hostile input (property)',
  'test/unit/hostile/payloads.test.ts': 'hostile payloads',
  'test/unit/hostile/oversized-records.test.ts': 'oversized records',
};
const FILES = ['test/integration/fault-matrix.test.ts', 'test/integration/faults.test.ts', 'test/integration/secrets.test.ts', 'test/integration/hostile-input.test.ts', 'test/unit/hostile/'];

const args = process.argv.slice(2);
const build = !args.includes('--no-build');
const vitestArgs = args.filter((a) => a !== '--no-build');

const seconds = (ms) => (ms / 1000).toFixed(1);
const n = (v) => (v === undefined ? '–' : Number(v).toLocaleString('en-US'));
const sum = (list, f) => list.reduce((total, x) => total + (f(x) ?? 0), 0);

// The integration tests spawn bin/source-concur.js (dist/) and simulator/bin (simulator/dist/): build them.
let buildMs = 0;
if (build) {
  const started = Date.now();
  const built = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  buildMs = Date.now() - started;
  if (built.status !== 0) {
    console.error('test:faults: npm run build failed');
    process.exit(1);
  }
} else if (!existsSync(join(ROOT, 'dist', 'cli.js')) || !existsSync(join(ROOT, 'simulator', 'dist'))) {
  console.error('test:faults: --no-build, but dist/ or simulator/dist/ is missing (npm run build)');
  process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), 'source-concur-faults-'));
const measurementsFile = join(dir, 'measurements.jsonl');
const resultsFile = join(dir, 'vitest.json');
const started = Date.now();
const vitest = spawn(
  process.execPath,
  [join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...FILES, '--reporter=default', '--reporter=json', `--outputFile.json=${resultsFile}`, ...vitestArgs],
  { cwd: ROOT, stdio: 'inherit', env: { ...process.env, FAULT_REPORT_FILE: measurementsFile } },
);
const vitestCode = await new Promise((resolve) => vitest.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1))));
const runMs = Date.now() - started;

const results = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')) : { testResults: [] };
const measurements = existsSync(measurementsFile)
  ? readFileSync(measurementsFile, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line))
  : [];

/** Markdown table, numbers right-aligned, padded for the terminal. */
function table(headers, rows) {
  const cells = [headers, ...rows].map((row) => row.map((c) => String(c)));
  const right = headers.map((_, i) => rows.length > 0 && rows.every((row) => /^[\d,.–%+-]+( MB| s)?$|^–$/.test(String(row[i]))));
  const width = headers.map((_, i) => Math.max(3, ...cells.map((row) => row[i].length)));
  const line = (row) => `| ${row.map((c, i) => (right[i] ? c.padStart(width[i]) : c.padEnd(width[i]))).join(' | ')} |`;
  return [line(cells[0]), `|${width.map((w, i) => (right[i] ? `${'-'.repeat(w + 1)}:` : `${'-'.repeat(w + 2)}`)).join('|')}|`, ...cells.slice(1).map(line)].join('\n');
}

const groupBy = (list, key) => {
  const groups = new Map();
  for (const item of list) {
    const k = key(item);
    groups.set(k, [...(groups.get(k) ?? []), item]);
  }
  return groups;
};

const problems = [];

// 1. Tests, per suite (file).
const suiteRows = [];
let tests = 0;
let passed = 0;
let failed = 0;
const ran = new Set();
for (const file of results.testResults) {
  const path = relative(ROOT, file.name);
  const suite = SUITES[path] ?? path;
  ran.add(suite);
  const count = (status) => file.assertionResults.filter((t) => t.status === status).length;
  const fileError = file.status === 'failed' && count('failed') === 0;
  tests += file.assertionResults.length;
  passed += count('passed');
  failed += count('failed') + (fileError ? 1 : 0);
  if (fileError) problems.push(`${path}: ${file.message || 'failed outside a test (a hook or the import)'}`);
  suiteRows.push([suite, path, n(file.assertionResults.length), n(count('passed')), n(count('failed') + (fileError ? 1 : 0)), n(file.assertionResults.length - count('passed') - count('failed')), seconds(file.endTime - file.startTime)]);
}
if (failed > 0) problems.push(`${failed} test(s) failed`);
if (results.testResults.length === 0) problems.push('vitest wrote no results');
if (vitestCode !== 0) problems.push(`vitest exited with code ${vitestCode}`);

// 2. Faults: records against the ground truth and faults fired, per suite and family; a cell is one scenario
// of one family: it passes when every fault aimed at the family fired and every record matched.
const faultEntries = measurements.filter((m) => m.kind === 'records' || m.kind === 'fault');
const faultRows = [];
const totals = { expected: 0, read: 0, lost: 0, other: 0 };
for (const [, list] of groupBy(faultEntries, (m) => `${m.suite}\u0000${m.family}`)) {
  const cells = [...groupBy(list, (m) => m.scenario).values()];
  const recordsOf = list.filter((m) => m.kind === 'records');
  const faultsOf = list.filter((m) => m.kind === 'fault');
  const other = (m) => m.duplicated + m.unexpected + m.different;
  const good = (cell) =>
    cell.every((m) => (m.kind === 'records' ? m.lost === 0 && other(m) === 0 && m.read === m.expected : m.fired === m.specs));
  const expected = sum(recordsOf, (m) => m.expected);
  const read = sum(recordsOf, (m) => m.read);
  const lost = sum(recordsOf, (m) => m.lost);
  const others = sum(recordsOf, other);
  Object.assign(totals, { expected: totals.expected + expected, read: totals.read + read, lost: totals.lost + lost, other: totals.other + others });
  faultRows.push([
    list[0].suite,
    list[0].family,
    n(cells.length),
    n(new Set(faultsOf.map((m) => m.scenario)).size),
    n(new Set(faultsOf.filter((m) => m.fired === m.specs).map((m) => m.scenario)).size),
    n(expected),
    n(read),
    n(lost),
    n(others),
    n(cells.filter(good).length),
    n(cells.filter((c) => !good(c)).length),
  ]);
}
const notFired = faultEntries.filter((m) => m.kind === 'fault' && m.fired < m.specs);
if (totals.lost > 0) problems.push(`${totals.lost} record(s) lost`);
if (totals.other > 0) problems.push(`${totals.other} record(s) duplicated, unexpected or different`);
if (notFired.length > 0) problems.push(`${notFired.length} fault(s) aimed at a family never fired`);

// 3. Secrets: planted secrets, issued refresh tokens and JWT-shaped tokens found in outputs.
const secretEntries = measurements.filter((m) => m.kind === 'secrets');
const secretRows = [...groupBy(secretEntries, (m) => `${m.suite}\u0000${m.family}\u0000${m.scenario}`).values()].map((list) => [
  list[0].suite,
  list[0].family,
  list[0].scenario.length > 70 ? `${list[0].scenario.slice(0, 67)}...` : list[0].scenario,
  n(sum(list, (m) => m.outputs)),
  `${(sum(list, (m) => m.chars) / 1e6).toFixed(2)} MB`,
  n(Math.max(...list.map((m) => m.searched))),
  n(sum(list, (m) => m.hits)),
]);
const leaked = sum(secretEntries, (m) => m.hits);
if (leaked > 0) problems.push(`${leaked} secret occurrence(s) in outputs`);

// 4. Hostile inputs: checked, handled as documented (the test's assertions held), refused with the error.
const hostileEntries = measurements.filter((m) => m.kind === 'hostile');
const hostileRows = [...groupBy(hostileEntries, (m) => `${m.suite}\u0000${m.family}`).values()].map((list) => {
  const known = list.filter((m) => m.refused !== undefined);
  const refused = known.length === 0 ? undefined : sum(known, (m) => m.refused);
  const handled = sum(list, (m) => m.handled);
  return [
    list[0].suite,
    list[0].family,
    n(list.length),
    n(sum(list, (m) => m.checked)),
    n(handled),
    n(refused),
    known.length === list.length ? n(handled - refused) : '–',
    n(sum(list, (m) => m.checked - m.handled)),
  ];
});
const checked = sum(hostileEntries, (m) => m.checked);
const handled = sum(hostileEntries, (m) => m.handled);
const refused = sum(hostileEntries, (m) => m.refused);
if (handled < checked) problems.push(`${checked - handled} hostile input(s) not handled as documented`);

// Every suite that ran must have measured something (else FAULT_REPORT_FILE did not reach it).
for (const suite of ran) {
  if (!measurements.some((m) => m.suite === suite)) problems.push(`${suite}: no measurements (FAULT_REPORT_FILE not reaching the tests?)`);
}

const matrix = faultEntries.filter((m) => m.kind === 'fault' && m.suite === 'fault matrix');
const matrixCells = new Set(matrix.map((m) => `${m.family}\u0000${m.scenario}`));
const matrixFired = new Set(matrix.filter((m) => m.fired === m.specs).map((m) => `${m.family}\u0000${m.scenario}`));
const matrixFaults = new Set(matrix.map((m) => m.scenario.replace(/ \((odd|even) families\)$/, '')));
const matrixFamilies = new Set(matrix.map((m) => m.family));
const sixStream = new Set(faultEntries.filter((m) => m.kind === 'fault' && m.suite !== 'fault matrix').map((m) => m.scenario));

const out = [];
out.push('', '# Hostile conditions (npm run test:faults)', '');
out.push(table(['suite', 'file', 'tests', 'passed', 'failed', 'skipped', 'seconds'], suiteRows), '');
out.push('Faults: records read against the simulator\'s ground truth. A scenario passes when every fault aimed at the family fired and its records equal the ground truth (other = duplicated, unexpected or different).', '');
out.push(table(['suite', 'family', 'scenarios', 'faults aimed', 'fired', 'records expected', 'records read', 'lost', 'other', 'passed', 'failed'], faultRows), '');
out.push('Secrets: occurrences of the planted secrets (raw, URL- and JSON-encoded), issued refresh tokens and JWT-shaped tokens.', '');
out.push(table(['suite', 'output', 'scenario', 'outputs', 'scanned', 'values searched', 'found'], secretRows), '');
out.push('Hostile inputs: handled = the documented outcome held; refused = the documented error, accepted = read as valid.', '');
out.push(table(['suite', 'input', 'tests', 'inputs checked', 'handled', 'refused', 'accepted', 'not handled'], hostileRows), '');
out.push('Figures:');
out.push(
  `- scenarios: ${n(matrixCells.size)} fault-matrix cells (${n(matrixFaults.size)} faults, exhausted retries included, × ${n(matrixFamilies.size)} stream families, where they apply; ${n(matrixFired.size)} fired), ${n(sixStream.size)} six-stream fault runs; ${n(tests)} tests, ${n(passed)} passed, ${n(failed)} failed`,
);
out.push(`- records lost: ${n(totals.lost)} (${n(totals.expected)} expected from the ground truth, ${n(totals.read)} read, ${n(totals.other)} other differences)`);
out.push(`- secrets leaked: ${n(leaked)} (${n(sum(secretEntries, (m) => m.outputs))} outputs, ${(sum(secretEntries, (m) => m.chars) / 1e6).toFixed(1)} MB scanned)`);
out.push(`- hostile inputs handled: ${n(handled)} of ${n(checked)} (${n(refused)} refused with the documented error)`);
out.push(`- time: ${build ? `build ${seconds(buildMs)} s, ` : ''}tests ${seconds(runMs)} s; measurements in ${measurementsFile}`);
out.push('', problems.length === 0 ? 'PASS' : `FAIL:\n${problems.map((p) => `- ${p}`).join('\n')}`, '');
console.log(out.join('\n'));
process.exit(problems.length === 0 ? 0 : 1);
