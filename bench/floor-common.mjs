// What both floors share: the connector's recorded request list replayed on bare node:http (no got, no undici, no
// connector code), and record lines written to stdout with back-pressure. The floor is what the same requests,
// parsed and written as records, cost with nothing else on top.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { parseArgs } from 'node:util';

/**
 * --url: the page server; --urls: a file of request targets (path and query), one a line, in the order the
 * connector sent them; --concurrency: requests in flight (the connector's max_concurrency); --records-path: the
 * path whose pages hold the stream's records (the other pages are parsed, as the connector parses them, but
 * yield no record); --stream: the stream name written in each RECORD line.
 */
export function floorArgs() {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      urls: { type: 'string' },
      concurrency: { type: 'string', default: '8' },
      'records-path': { type: 'string' },
      stream: { type: 'string' },
    },
  });
  for (const flag of ['url', 'urls', 'records-path', 'stream']) if (!values[flag]) throw new Error(`--${flag} is required`);
  return {
    url: values.url,
    targets: readFileSync(values.urls, 'utf8').split('\n').filter(Boolean),
    concurrency: Number(values.concurrency),
    recordsPath: values['records-path'],
    stream: values.stream,
  };
}

/** Keep-alive GETs on one http.Agent of `sockets` connections, as many as the connector may hold open. */
export function createClient(base, sockets) {
  const origin = new URL(base);
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  let authorization = '';
  const send = (method, path, headers, body) =>
    new Promise((resolve, reject) => {
      const req = http.request({ host: origin.hostname, port: origin.port, method, path, agent, headers }, (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200) reject(new Error(`${method} ${path}: HTTP ${res.statusCode} ${text.slice(0, 200)}`));
          else resolve(text);
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  return {
    /** One token request, as the connector makes one (the page server answers any form). */
    async authenticate() {
      const form = new URLSearchParams({ grant_type: 'password', client_id: 'bench', client_secret: 'bench', username: 'bench', password: 'bench' }).toString();
      const token = JSON.parse(await send('POST', '/oauth2/v0/token', { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(form) }, form));
      authorization = `Bearer ${token.access_token}`;
    },
    /** GET a request target; the body as text. */
    get(target, accept) {
      return send('GET', target, { authorization, accept });
    },
    close() {
      agent.destroy();
    },
  };
}

/** Record lines, one string per page, written with back-pressure (a full pipe pauses the producer). */
export function createOutput(stream) {
  const prefix = `{"type":"RECORD","record":{"stream":${JSON.stringify(stream)},"data":`;
  let draining;
  return {
    async write(records) {
      if (records.length === 0) return;
      const emittedAt = Date.now();
      let text = '';
      for (const data of records) text += `${prefix}${JSON.stringify(data)},"emitted_at":${emittedAt}}}\n`;
      if (draining) await draining;
      if (!process.stdout.write(text)) draining ??= new Promise((resolve) => process.stdout.once('drain', () => ((draining = undefined), resolve())));
    },
    async end() {
      if (draining) await draining;
    },
  };
}

/** Runs `worker` over `items` in their order with at most `concurrency` at once (completion in any order). */
export async function pool(items, concurrency, worker) {
  let next = 0;
  const run = async () => {
    while (next < items.length) await worker(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, run));
}

/** Whether a request target is on `path` (its path part, without the query; case and trailing slash ignored). */
export function onPath(target, path) {
  const mark = target.indexOf('?');
  const own = (mark === -1 ? target : target.slice(0, mark)).toLowerCase().replace(/\/$/, '');
  return own === path.toLowerCase().replace(/\/$/, '');
}
