import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { brotliDecompressSync, gunzipSync, inflateSync, type ZlibOptions } from 'node:zlib';
import { Agent } from 'undici';
import { ConcurError } from './errors.js';

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  /** application/x-www-form-urlencoded body (token requests). */
  form?: Record<string, string>;
  /** A JSON body (searches that take their filter in the body, such as Identity's /Users/.search). */
  json?: unknown;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  url: string;
}

export interface HttpTransport {
  send(request: HttpRequest): Promise<HttpResponse>;
  close(): void;
}

/** Largest response body accepted; a bigger one is refused before it fills memory. */
// A v3 page of 100 records is a few hundred KB and a large v2 report a few MB; 64 MiB leaves room for odd
// answers while a runaway body (or a 50 MB field) cannot take the process's memory with it.
export const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

const DECODERS: Record<string, (buffer: Buffer, options: ZlibOptions) => Buffer> = {
  gzip: gunzipSync,
  'x-gzip': gunzipSync,
  deflate: inflateSync,
  br: brotliDecompressSync,
};

class TooLarge extends Error {}
const TIMEOUTS = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * The one place that speaks HTTP, through undici (the Node.js project's client; `fetch` is built on it), because
 * it costs a fraction of got's CPU per request, which bounds a sync of many small pages (README, Performance).
 * It follows no redirect (a redirect must never carry the Authorization header elsewhere), always verifies TLS
 * (whatever NODE_TLS_REJECT_UNAUTHORIZED says), enforces the size limit while the body arrives (and on what a
 * compressed body expands to), ends a request that gets no answer (or whose body stalls) within its timeout, and
 * stops on the caller's signal. Errors leave
 * here as ConcurError built from the error's name, code and message only: nothing of the request travels on.
 */
export function createTransport(options: { maxSockets: number; describeUrl: (url: string) => string }): HttpTransport {
  const agent = new Agent({
    connections: options.maxSockets,
    keepAliveTimeout: 30_000,
    connect: { rejectUnauthorized: true },
  });

  return {
    async send(request) {
      const { signal } = request;
      if (signal?.aborted) throw reasonOf(signal);
      try {
        const { origin, path } = split(request.url);
        const body = request.form ? new URLSearchParams(request.form).toString() : request.json !== undefined ? JSON.stringify(request.json) : undefined;
        const response = await agent.request({
          origin,
          path,
          method: request.method,
          headers: {
            ...request.headers,
            'accept-encoding': 'gzip, deflate, br',
            ...(body !== undefined ? { 'content-type': request.form ? 'application/x-www-form-urlencoded' : 'application/json' } : {}),
          },
          ...(body !== undefined ? { body } : {}),
          // undici's own timers (one per connection, not per request): no answer, or a body that stalls, for
          // timeoutMs ends the request.
          headersTimeout: request.timeoutMs,
          bodyTimeout: request.timeoutMs,
          ...(signal ? { signal } : {}),
        });
        const encoding = decoderFor(response.headers['content-encoding']);
        return {
          status: response.statusCode,
          headers: response.headers,
          body: encoding === undefined ? await readText(response.body, MAX_RESPONSE_BYTES) : decode(await readBody(response.body, MAX_RESPONSE_BYTES), encoding).toString('utf8'),
          url: request.url,
        };
      } catch (error) {
        if (signal?.aborted) throw reasonOf(signal);
        throw toConcurError(error, request, options.describeUrl);
      }
    },
    close() {
      void agent.destroy().catch(() => undefined);
    },
  };
}

/** An absolute URL's origin and the rest, without a URL parse (the client built or checked it already). */
function split(url: string): { origin: string; path: string } {
  const slash = url.indexOf('/', url.indexOf('//') + 2);
  return slash < 0 ? { origin: url, path: '/' } : { origin: url.slice(0, slash), path: url.slice(slash) };
}

/**
 * The whole body as text, refused as soon as it passes `limit` bytes. Each chunk is decoded as it arrives and let
 * go: joining the chunks into one buffer first would leave a body-sized buffer per request for the garbage
 * collector, which it collects late (tens of MB of them at a time, measured).
 */
function readText(body: Readable, limit: number): Promise<string> {
  const decoder = new StringDecoder('utf8');
  let text = '';
  return readLimited(body, limit, (chunk) => void (text += decoder.write(chunk)), () => text + decoder.end());
}

/** The whole (compressed) body, refused as soon as it passes `limit` bytes. */
function readBody(body: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  return readLimited(
    body,
    limit,
    (chunk) => {
      chunks.push(chunk);
      size += chunk.length;
    },
    () => (chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size)),
  );
}

/** Streams a body into `take` chunk by chunk, destroying it and failing as soon as it passes `limit` bytes. */
function readLimited<T>(body: Readable, limit: number, take: (chunk: Buffer) => void, done: () => T): Promise<T> {
  return new Promise((resolve, reject) => {
    let size = 0;
    body.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        body.destroy();
        reject(new TooLarge());
        return;
      }
      take(chunk);
    });
    body.once('end', () => resolve(done()));
    body.once('error', reject);
  });
}

/** The decompressor for a content-encoding, or undefined when the body is sent as it is. */
function decoderFor(encoding: string | string[] | undefined): ((buffer: Buffer, options: ZlibOptions) => Buffer) | undefined {
  const name = (Array.isArray(encoding) ? encoding[0] : encoding)?.trim().toLowerCase();
  return name === undefined || name === '' || name === 'identity' ? undefined : DECODERS[name];
}

/** The body decompressed; never larger than the size limit. */
function decode(raw: Buffer, decoder: (buffer: Buffer, options: ZlibOptions) => Buffer): Buffer {
  if (raw.length === 0) return raw;
  try {
    return decoder(raw, { maxOutputLength: MAX_RESPONSE_BYTES });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new TooLarge();
    throw error;
  }
}

function reasonOf(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('aborted');
}

function toConcurError(error: unknown, request: HttpRequest, describeUrl: (url: string) => string): Error {
  const where = `${request.method} ${describeUrl(request.url)}`;
  const details = { method: request.method, url: describeUrl(request.url) };
  if (error instanceof TooLarge) {
    return new ConcurError('payload', `Concur sent more than ${MAX_RESPONSE_BYTES} bytes for ${where}; refused.`, details);
  }
  if (TIMEOUTS.has(codeOf(error) ?? '')) {
    return new ConcurError('timeout', `Concur did not answer within ${Math.round(request.timeoutMs / 1000)} s: ${where}.`, details);
  }
  const name = error instanceof Error ? error.name : 'Error';
  const code = codeOf(error);
  const message = error instanceof Error ? error.message : String(error);
  // A TLS failure arrives as the cause of a socket error: its code (SELF_SIGNED_CERT…) is what tells the user.
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : undefined;
  const causeCode = codeOf(cause);
  return new ConcurError('network', `Network error talking to Concur (${causeCode ?? code ?? name}): ${where}.`, {
    ...details,
    ...((code ?? causeCode) ? { networkCode: (causeCode ?? code) as string } : {}),
    cause: new Error(`${name}${code ? ` ${code}` : ''}: ${message}${cause ? ` <- ${cause.name}${causeCode ? ` ${causeCode}` : ''}: ${cause.message}` : ''}`),
  });
}

function codeOf(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}
