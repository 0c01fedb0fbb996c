#!/usr/bin/env node
// Start-up time, memory and serving throughput of the built simulator at 1M entries.
//   node simulator/scripts/bench.mjs [--seconds 10] [--reports 100000] [--entries-per-report 10] [--stream-data]
// Paging uses one sequential client (the way a connector pages) with keep-alive and a
// cheap NextPage extraction, and reports both wall-clock entries/s and entries per
// second of simulator CPU time (read from /proc, Linux only), i.e. what one core sustains.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    reports: { type: 'string', default: '100000' },
    'entries-per-report': { type: 'string', default: '10' },
    'stream-data': { type: 'boolean', default: false },
  },
});
const bin = fileURLToPath(new URL('../bin/concur-simulator.js', import.meta.url));
const started = performance.now();
const child = spawn(process.execPath, [bin, '--port', '0', '--reports', values.reports, '--entries-per-report', values['entries-per-report']], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const line = await new Promise((resolve) => child.stdout.once('data', (d) => resolve(String(d))));
const startupMs = performance.now() - started;
const { url, pid } = JSON.parse(line);
const proc = (field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;
const cpuSeconds = () => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};
console.log(`start-up: ${startupMs.toFixed(0)} ms to the listening line; RSS ${proc('VmRSS').toFixed(0)} MB`);

const agent = new http.Agent({ keepAlive: true });
const request = (target, headers = {}) =>
  new Promise((resolve, reject) => {
    http.get(target, { agent, headers }, (res) => {
      const chunks = [];
      res.on('data', (d) => chunks.push(d));
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    }).on('error', reject);
  });
const tokenBody = await fetch(`${url}/oauth2/v0/token`, {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: 'grant_type=password&client_id=sim-client-id&client_secret=sim-client-secret&username=admin@example.com&password=sim-admin-password',
}).then((r) => r.json());
const auth = { authorization: `Bearer ${tokenBody.access_token}` };

let next = `${url}/api/v3.0/expense/entries?user=ALL&limit=100`;
let served = 0;
const cpu0 = cpuSeconds();
const t0 = performance.now();
while (next !== null && performance.now() - t0 < Number(values.seconds) * 1000) {
  const text = await request(next, auth);
  next = /"NextPage":(?:null|"([^"]*)")}$/.exec(text)?.[1] ?? null;
  served += 100;
}
const wall = (performance.now() - t0) / 1000;
const cpu = cpuSeconds() - cpu0;
console.log(
  `paging entries (limit=100): ${served} in ${wall.toFixed(1)} s = ${(served / wall).toFixed(0)} entries/s wall, ` +
    `${(served / cpu).toFixed(0)} entries per simulator CPU-second; RSS ${proc('VmRSS').toFixed(0)} MB, peak ${proc('VmHWM').toFixed(0)} MB`,
);

if (values['stream-data']) {
  const t1 = performance.now();
  let lines = 0;
  await new Promise((resolve, reject) => {
    http.get(`${url}/_sim/data/entries`, (res) => {
      res.on('data', (d) => {
        for (let i = d.indexOf(10); i !== -1; i = d.indexOf(10, i + 1)) lines++;
      });
      res.on('end', resolve);
    }).on('error', reject);
  });
  console.log(`/_sim/data/entries: ${lines} lines in ${((performance.now() - t1) / 1000).toFixed(1)} s; peak RSS ${proc('VmHWM').toFixed(0)} MB`);
}
child.kill('SIGTERM');
await new Promise((resolve) => child.once('exit', resolve));
agent.destroy();
