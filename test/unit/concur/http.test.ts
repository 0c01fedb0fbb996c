import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { ConcurError } from '../../../src/concur/errors.js';
import { createTransport, type HttpRequest, type HttpTransport } from '../../../src/concur/http.js';
import { sendJson, startServer, type Handler, type Loopback } from './loopback.js';

const SECRET = 'Bearer super-secret-token-value';
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((close) => close()));
});

async function setup(handler: Handler): Promise<{ server: Loopback; transport: HttpTransport }> {
  const server = await startServer(handler);
  // describeUrl stands in for the redactor: errors must carry its output, never the raw URL.
  const transport = createTransport({ maxSockets: 2, describeUrl: (url) => url.replace(/secret=[^&]*/, 'secret=***') });
  cleanups.push(server.close, () => transport.close());
  return { server, transport };
}

const get = (url: string, extra: Partial<HttpRequest> = {}): HttpRequest => ({ method: 'GET', url, headers: { authorization: SECRET }, timeoutMs: 2000, ...extra });

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
}

describe('createTransport', () => {
  it('returns status, headers and text body; sends the given headers', async () => {
    const { server, transport } = await setup((_req, res) => sendJson(res, 201, { a: 1 }, { 'concur-correlationid': 'c-1' }));
    const response = await transport.send(get(`${server.url}/x?y=1`));
    expect(response).toMatchObject({ status: 201, body: '{"a":1}', url: `${server.url}/x?y=1` });
    expect(response.headers['concur-correlationid']).toBe('c-1');
    expect(server.requests[0]?.headers.authorization).toBe(SECRET);
  });

  it('hands back error statuses instead of throwing, and never retries them', async () => {
    const { server, transport } = await setup((_req, res) => sendJson(res, 503, { Error: { Message: 'down' } }));
    expect((await transport.send(get(server.url))).status).toBe(503);
    expect(server.requests).toHaveLength(1);
  });

  it('does not follow redirects', async () => {
    const other = await startServer((_req, res) => sendJson(res, 200, {}));
    cleanups.push(other.close);
    const { server, transport } = await setup((_req, res) => {
      res.writeHead(302, { location: `${other.url}/stolen` });
      res.end();
    });
    const response = await transport.send(get(server.url));
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe(`${other.url}/stolen`);
    expect(other.requests).toHaveLength(0);
  });

  it('decompresses a gzip body', async () => {
    const { server, transport } = await setup((_req, res) => {
      const body = gzipSync('{"Items":[]}');
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': String(body.length) });
      res.end(body);
    });
    expect((await transport.send(get(server.url))).body).toBe('{"Items":[]}');
  });

  it('POSTs a form as application/x-www-form-urlencoded', async () => {
    const { server, transport } = await setup((_req, res) => sendJson(res, 200, {}));
    await transport.send({ method: 'POST', url: `${server.url}/oauth2/v0/token`, headers: {}, form: { grant_type: 'password', password: 'a&b=c' }, timeoutMs: 2000 });
    expect(server.requests[0]?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(server.requests[0]?.body).toBe('grant_type=password&password=a%26b%3Dc');
  });

  it('a connection cut mid-body is a network ConcurError that carries no request header', async () => {
    const { server, transport } = await setup((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"Items": [', () => res.socket?.destroy());
    });
    const error = await rejection(transport.send(get(`${server.url}/r?secret=abc`)));
    expect(error).toBeInstanceOf(ConcurError);
    expect((error as ConcurError).kind).toBe('network');
    expect((error as ConcurError).url).toBe(`${server.url}/r?secret=***`);
    const everything = inspect(error, { depth: 10 }) + JSON.stringify(error);
    expect(everything).not.toContain('super-secret-token-value');
    expect(everything).not.toContain('secret=abc');
  });

  it('a refused connection is a network ConcurError', async () => {
    const closed = await startServer(() => undefined);
    await closed.close();
    const transport = createTransport({ maxSockets: 1, describeUrl: (url) => url });
    cleanups.push(() => transport.close());
    const error = await rejection(transport.send(get(closed.url)));
    expect(error).toBeInstanceOf(ConcurError);
    expect((error as ConcurError).kind).toBe('network');
    expect((error as ConcurError).message).toMatch(/ECONNREFUSED/);
    expect(inspect(error, { depth: 10 })).not.toContain('super-secret-token-value');
  });

  it('no answer within timeoutMs is a timeout ConcurError', async () => {
    const { server, transport } = await setup(() => undefined);
    const started = Date.now();
    const error = await rejection(transport.send(get(server.url, { timeoutMs: 150 })));
    expect(Date.now() - started).toBeLessThan(1500);
    expect(error).toBeInstanceOf(ConcurError);
    expect((error as ConcurError).kind).toBe('timeout');
    expect((error as ConcurError).message).toMatch(/did not answer/);
    expect(inspect(error, { depth: 10 })).not.toContain('super-secret-token-value');
  });

  it('an abort rejects with the signal reason, not as a retryable error', async () => {
    const { server, transport } = await setup(() => undefined);
    const controller = new AbortController();
    const reason = new Error('sync cancelled');
    setTimeout(() => controller.abort(reason), 50);
    const error = await rejection(transport.send(get(server.url, { signal: controller.signal, timeoutMs: 5000 })));
    expect(error).toBe(reason);
  });
});

describe('TLS', () => {
  // A self-signed certificate for 127.0.0.1, made once for these tests (openssl req -x509 … -days 36500): a
  // server that cannot prove who it is must never receive the Authorization header's token.
  const tls = { cert: readFileSync(new URL('../../fixtures/tls/cert.pem', import.meta.url)), key: readFileSync(new URL('../../fixtures/tls/key.pem', import.meta.url)) };

  it('refuses a server whose certificate does not verify, before any request header is sent', async () => {
    const seen: string[] = [];
    const server = createHttpsServer(tls, (req, res) => {
      seen.push(String(req.headers.authorization));
      res.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const transport = createTransport({ maxSockets: 1, describeUrl: (url) => url });
    cleanups.push(() => transport.close());
    const { port } = server.address() as AddressInfo;
    // Even where someone switched verification off for the whole process, it stays on here.
    const previous = process.env['NODE_TLS_REJECT_UNAUTHORIZED'];
    process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = '0';
    const error = await rejection(transport.send(get(`https://127.0.0.1:${port}/api/v3.0/expense/reports`))).finally(() => {
      if (previous === undefined) delete process.env['NODE_TLS_REJECT_UNAUTHORIZED'];
      else process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = previous;
    });
    expect(error).toBeInstanceOf(ConcurError);
    expect((error as ConcurError).kind).toBe('network');
    expect(String((error as ConcurError).cause)).toMatch(/SELF_SIGNED|certificate/i);
    expect(inspect(error, { depth: 5 })).not.toContain(SECRET);
    expect(seen).toEqual([]);
  });
});
