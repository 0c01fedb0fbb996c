// What both raw floors share: a token, keep-alive GETs (got, as the connector, or bare node:http), and record lines written to stdout with
// back-pressure. Nothing of the connector is imported: the floor is what the same I/O costs without it.
import got from 'got';
import http from 'node:http';
import https from 'node:https';
import { parseArgs } from 'node:util';

export function floorArgs() {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      concurrency: { type: 'string', default: '8' },
      'page-size': { type: 'string', default: '100' },
      'slice-days': { type: 'string', default: '30' },
      client: { type: 'string', default: 'got' },
    },
  });
  if (!values.url) throw new Error('--url (the simulator) is required');
  if (values.client !== 'got' && values.client !== 'http') throw new Error('--client is got or http');
  return {
    url: values.url,
    concurrency: Number(values.concurrency),
    pageSize: Number(values['page-size']),
    sliceDays: Number(values['slice-days']),
    client: values.client,
  };
}

/**
 * GETs with the connector's agent settings (keep-alive, at most `sockets` connections). `got` is the connector's
 * own HTTP client with its transport options (src/concur/http.ts), so the floor pays what the connector pays for
 * HTTP and the ratio measures the connector's own layers; `http` is bare node:http, to show what got costs.
 */
export function createClient(base, sockets, client = 'got') {
  const secure = base.startsWith('https:');
  const agent = new (secure ? https : http).Agent({ keepAlive: true, maxSockets: sockets });
  const request = secure ? https.request : http.request;
  let authorization = '';
  const viaGot = got.extend({
    retry: { limit: 0 },
    throwHttpErrors: false,
    followRedirect: false,
    decompress: true,
    agent: { [secure ? 'https' : 'http']: agent },
    https: { rejectUnauthorized: true },
  });
  const sendGot = async (method, target, headers, body) => {
    const response = await viaGot(target, { method, headers, ...(body === undefined ? {} : { body }), responseType: 'text', timeout: { request: 120_000 } });
    if (response.statusCode !== 200) throw new Error(`${method} ${target}: HTTP ${response.statusCode} ${response.body.slice(0, 200)}`);
    return response.body;
  };
  const sendHttp = (method, target, headers, body) =>
    new Promise((resolve, reject) => {
      const req = request(target, { method, agent, headers }, (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200) reject(new Error(`${method} ${target}: HTTP ${res.statusCode} ${text.slice(0, 200)}`));
          else resolve(text);
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  const send = client === 'got' ? sendGot : sendHttp;
  return {
    async authenticate() {
      const form = new URLSearchParams({
        grant_type: 'password',
        client_id: 'sim-client-id',
        client_secret: 'sim-client-secret',
        username: 'admin@example.com',
        password: 'sim-admin-password',
      }).toString();
      const token = JSON.parse(await send('POST', `${base}/oauth2/v0/token`, { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(form) }, form));
      authorization = `Bearer ${token.access_token}`;
    },
    /** GET a path (or absolute URL) with a query; the body as text. */
    get(path, query = {}, accept = 'application/json') {
      const url = new URL(path.startsWith('http') ? path : base + path);
      for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, String(value));
      return send('GET', url.toString(), { authorization, accept });
    },
    close() {
      agent.destroy();
    },
  };
}

/** Record lines, one string per batch, written with back-pressure (a full pipe pauses the producer). */
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

/** Runs `worker` over `source` with at most `concurrency` at once (no output order: the floor needs none). */
export async function pool(source, concurrency, worker) {
  const iterator = source[Symbol.asyncIterator]();
  let done = false;
  const next = async () => {
    for (;;) {
      if (done) return;
      const item = await iterator.next();
      if (item.done) {
        done = true;
        return;
      }
      await worker(item.value);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, next));
}

/** Last line on stderr: CPU seconds and peak RSS of this process, read by bench/run.mjs. */
export function reportUsage() {
  const usage = process.resourceUsage();
  process.stderr.write(`${JSON.stringify({ usage: { cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6, peakRssMb: usage.maxRSS / 1024 } })}\n`);
}

/**
 * The connector's date windows (src/engine/read-stream.ts), so the floor issues the same list requests: slices of
 * `sliceDays` from 2000-01-01 to now; after a window with nothing new the next is doubled (up to 3660 days) and only
 * probed with its first page, then read a slice at a time if it holds anything. `listPages(window)` yields pages
 * (arrays) of the window's list; yields the records not seen in an earlier window.
 */
export async function* windowed(sliceDays, listPages, keyOf) {
  const DAY = 86_400_000;
  const end = Date.now();
  const seen = new Set();
  let days = sliceDays;
  for (let from = Date.UTC(2000, 0, 1); from < end; ) {
    const window = { start: from, end: Math.min(end, from + days * DAY) };
    if (days > sliceDays) {
      const pages = listPages(window);
      const first = await pages.next();
      await pages.return();
      if (!first.done && first.value.length > 0) {
        days = sliceDays;
        continue;
      }
      days = Math.min(days * 2, 3660);
      from = window.end;
      continue;
    }
    let fresh = 0;
    for await (const page of listPages(window)) {
      for (const record of page) {
        const key = keyOf(record);
        if (seen.has(key)) continue;
        seen.add(key);
        fresh++;
        yield { record, window };
      }
    }
    days = fresh > 0 ? sliceDays : Math.min(days * 2, 3660);
    from = window.end;
  }
}
