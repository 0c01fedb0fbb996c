#!/usr/bin/env node
// Benchmark: the connector reading a large simulated tenant, as a separate process, to a pipe that is drained
// and counted (nothing is kept). Prints a table of records/s, CPU seconds and peak RSS, and writes it as JSON.
//
//   npm run bench                      reduced size (CI)
//   npm run bench -- --reports 100000  full size (about 1,000,000 entries)
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    reports: { type: 'string', default: '5000' },
    'entries-per-report': { type: 'string', default: '10' },
    streams: { type: 'string', default: 'expense_reports,expense_entries' },
    out: { type: 'string', default: 'bench/results/latest.json' },
  },
});

async function startSimulator(args) {
  const child = spawn(process.execPath, ['simulator/bin/concur-simulator.js', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`simulator exited ${code}`)));
  });
  return { url: JSON.parse(line).url, stop: () => child.kill('SIGTERM') };
}

/** Runs the connector; counts records per stream from its stdout and reads its own end-of-sync usage line. */
function runConnector(args) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, ['bin/source-concur.js', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    const records = {};
    let usage;
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith('{"type":"RECORD"')) {
        const stream = /"stream":"([^"]+)"/.exec(line)[1];
        records[stream] = (records[stream] ?? 0) + 1;
      } else if (line.includes('Sync summary')) {
        const m = /process: ([\d.]+) s CPU, peak RSS (\d+) MB/.exec(JSON.parse(line).log.message);
        if (m) usage = { cpuSeconds: Number(m[1]), peakRssMb: Number(m[2]) };
      }
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, seconds: Number(process.hrtime.bigint() - started) / 1e9, records, usage }));
  });
}

const streams = values.streams.split(',');
const sim = await startSimulator(['--seed', '1', '--reports', values.reports, '--users', '200', '--entries-per-report', values['entries-per-report']]);
const dir = `bench/results/run-${process.pid}`;
mkdirSync(dir, { recursive: true });
const config = {
  credentials: { auth_type: 'password', client_id: 'sim-client-id', client_secret: 'sim-client-secret', username: 'admin@example.com', password: 'sim-admin-password' },
  token_url: `${sim.url}/oauth2/v0/token`,
};
writeFileSync(`${dir}/config.json`, JSON.stringify(config));
const discovered = await new Promise((resolve) => {
  const child = spawn(process.execPath, ['bin/source-concur.js', 'discover', '--config', `${dir}/config.json`], { stdio: ['ignore', 'pipe', 'inherit'] });
  let text = '';
  child.stdout.on('data', (d) => (text += d));
  child.once('close', () => resolve(JSON.parse(text.split('\n').find((l) => l.includes('"CATALOG"'))).catalog.streams));
});

const rows = [];
try {
  for (const name of streams) {
    const stream = discovered.find((s) => s.name === name);
    writeFileSync(`${dir}/catalog.json`, JSON.stringify({ streams: [{ stream, sync_mode: 'full_refresh', destination_sync_mode: 'overwrite' }] }));
    const run = await runConnector(['read', '--config', `${dir}/config.json`, '--catalog', `${dir}/catalog.json`]);
    if (run.code !== 0) throw new Error(`connector exited ${run.code} reading ${name}`);
    const count = run.records[name] ?? 0;
    rows.push({ stream: name, records: count, seconds: run.seconds, recordsPerSecond: count / run.seconds, cpuSeconds: run.usage?.cpuSeconds, peakRssMb: run.usage?.peakRssMb });
  }
} finally {
  sim.stop();
}

const table = [
  ['stream', 'records', 'seconds', 'records/s', 'CPU s', 'peak RSS MB'],
  ...rows.map((r) => [r.stream, String(r.records), r.seconds.toFixed(1), r.recordsPerSecond.toFixed(0), r.cpuSeconds?.toFixed(1) ?? '?', String(r.peakRssMb ?? '?')]),
];
const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
for (const row of table) console.log(row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '));
const result = { date: new Date().toISOString(), node: process.version, tenant: { reports: Number(values.reports), entriesPerReport: Number(values['entries-per-report']) }, rows };
writeFileSync(values.out, JSON.stringify(result, null, 2) + '\n');
console.log(`\nwritten to ${values.out}`);
