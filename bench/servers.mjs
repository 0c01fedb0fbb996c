// Handles on the two servers the benchmark starts as child processes: the simulator (the data, its faults and its
// ground truth) and the pre-rendered page server (bench/page-server.mjs) that records from it and then serves.
import { fileURLToPath } from 'node:url';
import { startServer } from './processes.mjs';

const SIMULATOR = fileURLToPath(new URL('../simulator/bin/concur-simulator.js', import.meta.url));
const PAGE_SERVER = fileURLToPath(new URL('./page-server.mjs', import.meta.url));

async function call(url, method = 'GET', body) {
  const response = await fetch(url, body === undefined ? { method } : { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url}: HTTP ${response.status} ${text.slice(0, 300)}`);
  return text === '' ? undefined : JSON.parse(text);
}

/** The simulator on a free port with the given flags. */
export async function startSimulator(args) {
  const server = await startServer(SIMULATOR, ['--port', '0', ...args]);
  const sim = (path) => `${server.url}/_sim/${path}`;
  return {
    ...server,
    /** Data requests since the last reset (the token endpoint not counted). */
    async stats() {
      const stats = await call(sim('stats'));
      const token = stats.byPath['/oauth2/v0/token'] ?? 0;
      return { requests: stats.requests - token, byPath: stats.byPath, faultsInjected: stats.faultsInjected };
    },
    async resetStats() {
      await call(sim('stats'), 'DELETE');
      await call(sim('requests'), 'DELETE');
    },
    /** The active faults with their eligible/injected counters. */
    async faults() {
      return (await call(sim('faults'))).faults;
    },
    /** Ground truth: every record of a collection as the API serves it. */
    async data(collection, params = {}) {
      const search = new URLSearchParams(params).toString();
      const response = await fetch(sim(`data/${collection}${search === '' ? '' : `?${search}`}`));
      if (!response.ok) throw new Error(`GET /_sim/data/${collection}: HTTP ${response.status}`);
      const text = await response.text();
      return text === '' ? [] : text.trimEnd().split('\n').map((line) => JSON.parse(line));
    },
  };
}

/** The page server, recording from `upstream` until serve() is called. */
export async function startPageServer(upstream) {
  const server = await startServer(PAGE_SERVER, ['--upstream', upstream]);
  const bench = (path) => `${server.url}/_bench/${path}`;
  return {
    ...server,
    /** Counters since the last reset, and the server's own CPU seconds since it started. */
    stats: () => call(bench('stats')),
    resetStats: () => call(bench('stats'), 'DELETE'),
    /** The data requests recorded since the last clearLog(), in arrival order: [{method, url, status}]. */
    log: () => call(bench('log')),
    clearLog: () => call(bench('log'), 'DELETE'),
    misses: () => call(bench('misses')),
    /** Stops recording: from now on every answer comes from memory. */
    serve: (latencyMs = 0) => call(bench(`serve${latencyMs > 0 ? `?latencyMs=${latencyMs}` : ''}`), 'POST'),
  };
}
