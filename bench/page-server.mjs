#!/usr/bin/env node
// The pre-rendered page server: bare node:http, so that the server is never what the benchmark measures.
//
// It starts as a recording proxy in front of the simulator (--upstream): the connector reads through it once, and
// every answer (status, headers, body bytes) is kept in memory under its method, path and sorted query. After
// POST /_bench/serve it answers from memory only: no rendering, no JSON, no XML, one Map lookup and one write per
// request. The token endpoint answers any form with the recorded token, carrying a fixed access token and this
// server as its geolocation; any Bearer token is accepted.
//
// Control routes (no auth): GET/DELETE /_bench/stats (counters and this process's own CPU), GET/DELETE
// /_bench/log (the data requests recorded since the last DELETE, in arrival order), POST /_bench/serve,
// GET /_bench/misses. It prints one JSON line {"url"} on stdout when it listens. POST /_bench/serve?latencyMs=N
// holds every data answer back N ms (a slow Concur without a slow server).
import http from 'node:http';
import { parseArgs } from 'node:util';
import { pageKey } from './page-key.mjs';

/** The access token the page server hands out; any Bearer token is accepted anyway. */
const BENCH_ACCESS_TOKEN = 'bench-access-token';
const TOKEN_PATH = '/oauth2/v0/token';
// Headers that describe one connection or one moment, not the page: dropped when recording.
const DROPPED = new Set(['connection', 'keep-alive', 'transfer-encoding', 'date', 'content-length']);

const { values } = parseArgs({ options: { upstream: { type: 'string' }, port: { type: 'string', default: '0' } } });
if (!values.upstream) throw new Error('--upstream (the simulator URL to record from) is required');
const upstream = new URL(values.upstream);
const upstreamOrigin = Buffer.from(upstream.origin);
const upstreamAgent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** @typedef {{ status: number, headers: string[], body: Buffer }} Page */
/** @type {Map<string, Page>} pages by pageKey */
const pages = new Map();
/** @type {Map<string, Page>} the same pages by the exact request line seen, so a repeated request skips sorting */
const byTarget = new Map();
/** @type {Page | undefined} */
let token;
let serving = false;
let ownOrigin = '';
let log = [];
const missed = [];
const counters = () => ({ requests: 0, tokenRequests: 0, misses: 0, bytesServed: 0 });
/** Every data answer waits this long before it is written (set with POST /_bench/serve?latencyMs=N). */
let latencyMs = 0;
let stats = counters();
let unstable = 0;
let bytesStored = 0;

const server = http.createServer((req, res) => {
  const url = req.url ?? '/';
  if (url.startsWith('/_bench/')) return control(req, res, url);
  if (serving) return serve(req, res, url);
  record(req, res, url);
});
// Keep-alive connections outlive the pauses between runs, as they would against Concur between pages.
server.keepAliveTimeout = 120_000;
server.headersTimeout = 125_000;

function serve(req, res, url) {
  if (req.method === 'POST' && url.split('?')[0] === TOKEN_PATH) {
    stats.tokenRequests++;
    req.resume();
    return send(res, /** @type {Page} */ (token));
  }
  const auth = req.headers.authorization;
  if (auth === undefined || !/^(Bearer|OAuth) \S/.test(auth)) {
    return sendJson(res, 401, { Error: { Message: 'page server: no Bearer token' } });
  }
  stats.requests++;
  const line = `${req.method} ${url}`;
  let page = byTarget.get(line);
  if (page === undefined) {
    page = pages.get(pageKey(req.method ?? 'GET', url));
    if (page !== undefined) byTarget.set(line, page);
  }
  if (page === undefined) {
    stats.misses++;
    if (missed.length < 20) missed.push(line);
    return sendJson(res, 404, { Error: { Message: `page server: not recorded: ${line}` } });
  }
  stats.bytesServed += page.body.length;
  if (latencyMs > 0) setTimeout(send, latencyMs, res, page);
  else send(res, page);
}

function send(res, page) {
  res.writeHead(page.status, page.headers);
  res.end(page.body);
}

function sendJson(res, status, value) {
  const body = Buffer.from(JSON.stringify(value));
  res.writeHead(status, ['content-type', 'application/json', 'content-length', String(body.length)]);
  res.end(body);
}

/** Forwards a request to the simulator, keeps the answer, and answers with it. */
function record(req, res, url) {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const headers = { ...req.headers };
    // The simulator builds NextPage and record URIs from Host: they must point here, not at the simulator.
    delete headers['accept-encoding'];
    delete headers.connection;
    const forward = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: url, headers, agent: upstreamAgent },
      (answer) => {
        const parts = [];
        answer.on('data', (chunk) => parts.push(chunk));
        answer.on('end', () => {
          const page = keep(answer, Buffer.concat(parts));
          const isToken = req.method === 'POST' && url.split('?')[0] === TOKEN_PATH;
          if (isToken) token = page;
          else {
            const key = pageKey(req.method ?? 'GET', url);
            const before = pages.get(key);
            if (before && !before.body.equals(page.body)) unstable++;
            if (!before) bytesStored += page.body.length;
            pages.set(key, page);
            log.push({ method: req.method, url, status: page.status });
          }
          send(res, page);
        });
        answer.on('error', (error) => fail(res, error));
      },
    );
    forward.on('error', (error) => fail(res, error));
    forward.end(Buffer.concat(chunks));
  });
}

/** A recorded answer: the simulator's origin (the token's geolocation) replaced by this server's own. */
function keep(answer, raw) {
  let body = raw;
  if (raw.includes(upstreamOrigin)) body = Buffer.from(raw.toString('utf8').replaceAll(upstream.origin, ownOrigin));
  const headers = [];
  for (let i = 0; i < answer.rawHeaders.length; i += 2) {
    const name = answer.rawHeaders[i];
    if (!DROPPED.has(name.toLowerCase())) headers.push(name, answer.rawHeaders[i + 1].replaceAll(upstream.origin, ownOrigin));
  }
  headers.push('content-length', String(body.length));
  return { status: answer.statusCode ?? 502, headers, body };
}

function fail(res, error) {
  if (!res.headersSent) sendJson(res, 502, { Error: { Message: `page server: upstream failed: ${error.message}` } });
  else res.destroy(error);
}

/** From recording to serving: the token gets the fixed access token, and the simulator is no longer asked. */
function freeze() {
  if (!token) throw new Error('nothing recorded at the token endpoint');
  const issued = JSON.parse(token.body.toString('utf8'));
  issued.access_token = BENCH_ACCESS_TOKEN;
  const body = Buffer.from(JSON.stringify(issued));
  const headers = token.headers.slice(0, -2).concat('content-length', String(body.length));
  token = { status: token.status, headers, body };
  serving = true;
  upstreamAgent.destroy();
}

function control(req, res, url) {
  req.resume();
  const route = `${req.method} ${url.split('?')[0]}`;
  switch (route) {
    case 'GET /_bench/stats': {
      const cpu = process.cpuUsage();
      const memory = process.memoryUsage();
      return sendJson(res, 200, { serving, pages: pages.size, bytesStored, unstable, ...stats, cpuSeconds: (cpu.user + cpu.system) / 1e6, rssMb: memory.rss / 2 ** 20 });
    }
    case 'DELETE /_bench/stats':
      stats = counters();
      return sendJson(res, 200, { ok: true });
    case 'GET /_bench/log':
      return sendJson(res, 200, log);
    case 'DELETE /_bench/log':
      log = [];
      return sendJson(res, 200, { ok: true });
    case 'GET /_bench/misses':
      return sendJson(res, 200, missed);
    case 'POST /_bench/serve':
      try {
        latencyMs = Number(new URLSearchParams(url.split('?')[1] ?? '').get('latencyMs') ?? 0) || 0;
        freeze();
      } catch (error) {
        return sendJson(res, 409, { error: error.message });
      }
      return sendJson(res, 200, { pages: pages.size, bytesStored });
    default:
      return sendJson(res, 404, { error: `no control route ${route}` });
  }
}

server.listen(Number(values.port), '127.0.0.1', () => {
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  ownOrigin = `http://127.0.0.1:${address.port}`;
  process.stdout.write(`${JSON.stringify({ event: 'listening', url: ownOrigin, pid: process.pid })}\n`);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(0));
