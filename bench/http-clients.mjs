#!/usr/bin/env node
// Why the connector speaks HTTP through undici: CPU per request of three clients reading one pre-rendered page
// (a v3 list page of 100 records, ~40 KB) from a bare node:http server in another process, 8 requests in flight,
// each client in a process of its own, interleaved over rounds. Prints µs of the client's CPU per request
// (user + system, JSON.parse of every body included) and requests/s.
//
//   npm i --no-save got@14 && node bench/http-clients.mjs [--requests 20000] [--rounds 3]
// got is no longer a dependency; without it installed, its row is left out.
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '20000' }, rounds: { type: 'string', default: '3' }, client: { type: 'string' }, url: { type: 'string' }, server: { type: 'boolean' } } });
const IN_FLIGHT = 8;

if (values.server) {
  const page = JSON.stringify({
    Items: Array.from({ length: 100 }, (_, i) => ({ ID: `gWq$${i}`, Name: `Report ${i} — Zürich`, Total: i * 12.5, Comment: 'x'.repeat(300), LastModifiedDate: '2026-01-01T00:00:00' })),
    NextPage: null,
  });
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(page) });
    res.end(page);
  });
  server.listen(0, '127.0.0.1', () => process.send?.(`http://127.0.0.1:${server.address().port}/api/v3.0/expense/reports?user=ALL&limit=100`));
} else if (values.client) {
  const send = await clientOf(values.client, values.url);
  const total = Number(values.requests);
  for (let i = 0; i < 500; i++) JSON.parse(await send());
  const before = process.cpuUsage();
  const started = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
    while (next++ < total) JSON.parse(await send());
  }));
  const used = process.cpuUsage(before);
  process.send?.({ micros: (used.user + used.system) / total, perSecond: total / ((performance.now() - started) / 1000) });
  process.exit(0);
} else {
  const server = fork(new URL(import.meta.url).pathname, ['--server']);
  const url = await new Promise((resolve) => server.once('message', resolve));
  const clients = ['node:http', 'undici', 'got'];
  const results = new Map(clients.map((c) => [c, []]));
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const client of round % 2 === 0 ? clients : [...clients].reverse()) {
      const child = fork(new URL(import.meta.url).pathname, ['--client', client, '--url', url, '--requests', values.requests], { stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
      let stderr = '';
      child.stderr.on('data', (chunk) => (stderr += chunk));
      const result = await new Promise((resolve) => {
        child.once('message', resolve);
        child.once('exit', () => resolve(undefined));
      });
      if (result) results.get(client).push(result);
      else if (client !== 'got' || !/got/.test(stderr)) process.stderr.write(`${client} failed:\n${stderr}\n`);
    }
  }
  server.kill();
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`client       CPU µs/request  requests/s  (median of ${values.rounds} rounds, ${values.requests} requests each, ${IN_FLIGHT} in flight)`);
  for (const [client, runs] of results) {
    if (runs.length === 0) console.log(`${client.padEnd(12)} not installed`);
    else console.log(`${client.padEnd(12)} ${median(runs.map((r) => r.micros)).toFixed(0).padStart(14)}  ${median(runs.map((r) => r.perSecond)).toFixed(0).padStart(10)}`);
  }
}

async function clientOf(name, url) {
  const headers = { authorization: 'Bearer x', accept: 'application/json' };
  if (name === 'node:http') {
    const http = await import('node:http');
    const agent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
    return () =>
      new Promise((resolve, reject) => {
        http.get(url, { agent, headers }, (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => resolve(Buffer.concat(chunks).toString()));
        }).on('error', reject);
      });
  }
  if (name === 'undici') {
    // The connector's own transport, as the connector uses it.
    const { createTransport } = await import('../dist/concur/http.js');
    const transport = createTransport({ maxSockets: IN_FLIGHT, describeUrl: (u) => u });
    return async () => (await transport.send({ method: 'GET', url, headers, timeoutMs: 120_000 })).body;
  }
  // got as the connector used it until 0.1.0: no retries, no redirects, keep-alive agent.
  const { default: got } = await import('got');
  const http = await import('node:http');
  const client = got.extend({ retry: { limit: 0 }, throwHttpErrors: false, followRedirect: false, decompress: true, agent: { http: new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT }) } });
  return async () => (await client(url, { headers, timeout: { request: 120_000 }, responseType: 'text' })).body;
}
