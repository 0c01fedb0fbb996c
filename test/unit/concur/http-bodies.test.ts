import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { ConcurError } from '../../../src/concur/errors.js';
import { createTransport, MAX_RESPONSE_BYTES, type HttpTransport } from '../../../src/concur/http.js';
import { startServer, type Handler, type Loopback } from './loopback.js';

// How the transport reads bodies: every encoding Concur or a proxy may use, cuts, and the size limit
// applied to what the body decompresses to.

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((close) => close()));
});

async function setup(handler: Handler): Promise<{ server: Loopback; transport: HttpTransport }> {
  const server = await startServer(handler);
  const transport = createTransport({ maxSockets: 2, describeUrl: (url) => url });
  cleanups.push(server.close, () => transport.close());
  return { server, transport };
}

const get = (url: string) => ({ method: 'GET' as const, url, headers: {}, timeoutMs: 5000 });
const BODY = JSON.stringify({ Items: [{ ID: 'a', Name: 'Zürich & Genève' }], NextPage: null });

describe('createTransport bodies', () => {
  it.each([
    ['gzip', gzipSync],
    // zlib-wrapped deflate, as RFC 9110 defines it (got does not take the raw-deflate variant some old servers send)
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
  ] as const)('decodes content-encoding %s', async (encoding, compress) => {
    const { server, transport } = await setup((_req, res) => {
      const body = compress(Buffer.from(BODY));
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': encoding, 'content-length': String(body.length) });
      res.end(body);
    });
    expect((await transport.send(get(server.url))).body).toBe(BODY);
    expect(server.requests[0]?.headers['accept-encoding']).toBe('gzip, deflate, br');
  });

  it('an empty body is empty, whatever its content-encoding says', async () => {
    const { server, transport } = await setup((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': '0' });
      res.end();
    });
    expect((await transport.send(get(server.url))).body).toBe('');
  });

  it('reads a chunked body and keeps the connection for the next request', async () => {
    const { server, transport } = await setup((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(BODY.slice(0, 10));
      setTimeout(() => res.end(BODY.slice(10)), 5);
    });
    expect((await transport.send(get(server.url))).body).toBe(BODY);
    expect((await transport.send(get(server.url))).body).toBe(BODY);
  });

  it('a body shorter than its content-length is a network error, not an answer', async () => {
    const { server, transport } = await setup((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(BODY.length) });
      res.write(BODY.slice(0, 20), () => res.socket?.end());
    });
    const error = await transport.send(get(server.url)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConcurError);
    expect((error as ConcurError).kind).toBe('network');
  });

  it('a corrupt compressed body is a network error', async () => {
    const { server, transport } = await setup((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(Buffer.from('not gzip at all'));
    });
    const error = await transport.send(get(server.url)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConcurError);
    expect((error as ConcurError).kind).toBe('network');
  });

  it('the size limit applies to what a compressed body expands to', async () => {
    const bomb = gzipSync(Buffer.alloc(MAX_RESPONSE_BYTES + 1024 * 1024, 0x20));
    const { server, transport } = await setup((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': String(bomb.length) });
      res.end(bomb);
    });
    const error = await transport.send(get(server.url)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConcurError);
    expect((error as ConcurError).kind).toBe('payload');
    expect((error as ConcurError).message).toMatch(new RegExp(`more than ${MAX_RESPONSE_BYTES} bytes`));
  });

  it('an already aborted signal sends nothing', async () => {
    const { server, transport } = await setup((_req, res) => {
      res.end('{}');
    });
    const controller = new AbortController();
    const reason = new Error('cancelled before the start');
    controller.abort(reason);
    await expect(transport.send({ ...get(server.url), signal: controller.signal })).rejects.toBe(reason);
    expect(server.requests).toHaveLength(0);
  });
});
