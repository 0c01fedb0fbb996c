#!/usr/bin/env node
// Page server capacity: a bare node:http client asks the recorded pages (the list of a stream, over and over)
// with many requests in flight for a fixed time, alone on the machine with the server, and prints how many
// answers and bytes it got: {"requests","bytes","seconds"}. Measured before the runs, so the figures printed
// beside the results say how far the server was from being the bottleneck.
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { url: { type: 'string' }, urls: { type: 'string' }, concurrency: { type: 'string', default: '64' }, seconds: { type: 'string', default: '5' } } });
const origin = new URL(values.url);
const targets = readFileSync(values.urls, 'utf8').split('\n').filter(Boolean);
const concurrency = Number(values.concurrency);
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const headers = { authorization: 'Bearer capacity', accept: '*/*' };
const deadline = performance.now() + Number(values.seconds) * 1000;
let next = 0;
let requests = 0;
let bytes = 0;

const get = (path) =>
  new Promise((resolve, reject) => {
    const req = http.request({ host: origin.hostname, port: origin.port, path, agent, headers }, (res) => {
      res.on('data', (chunk) => (bytes += chunk.length));
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`GET ${path}: HTTP ${res.statusCode}`))));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });

const started = performance.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (performance.now() < deadline) {
      await get(targets[next++ % targets.length]);
      requests++;
    }
  }),
);
const seconds = (performance.now() - started) / 1000;
agent.destroy();
process.stdout.write(`${JSON.stringify({ requests, bytes, seconds })}\n`);
