import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import got, { type Got, RequestError } from 'got';
import { ConcurError } from './errors.js';

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  /** application/x-www-form-urlencoded body (token requests only). */
  form?: Record<string, string>;
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

/**
 * The one place that uses got. Retries, auth and redirects are the client's business, so got does none of
 * them: no automatic retry, no redirect following (a redirect must never carry the Authorization header to
 * another host), TLS verification left on. got errors are turned into ConcurError right here, so no got error
 * object (which holds the request headers) travels further.
 */
export function createTransport(options: { maxSockets: number; describeUrl: (url: string) => string }): HttpTransport {
  const agent = {
    http: new HttpAgent({ keepAlive: true, maxSockets: options.maxSockets }),
    https: new HttpsAgent({ keepAlive: true, maxSockets: options.maxSockets }),
  };
  const client: Got = got.extend({
    retry: { limit: 0 },
    throwHttpErrors: false,
    followRedirect: false,
    decompress: true,
    agent,
    https: { rejectUnauthorized: true },
  });

  return {
    async send(request) {
      let tooLarge = false;
      try {
        const pending = client(request.url, {
          method: request.method,
          headers: request.headers,
          ...(request.form ? { form: request.form } : {}),
          timeout: { request: request.timeoutMs },
          responseType: 'text',
          ...(request.signal ? { signal: request.signal } : {}),
        });
        // Refuse an oversized body while it streams in, instead of after it has filled memory.
        pending.on('downloadProgress', (progress: { transferred: number }) => {
          if (progress.transferred > MAX_RESPONSE_BYTES && !tooLarge) {
            tooLarge = true;
            pending.cancel();
          }
        });
        const response = await pending;
        return {
          status: response.statusCode,
          headers: response.headers,
          body: response.body,
          url: request.url,
        };
      } catch (error) {
        if (tooLarge) {
          throw new ConcurError('payload', `Concur sent more than ${MAX_RESPONSE_BYTES} bytes for ${request.method} ${options.describeUrl(request.url)}; refused.`, {
            method: request.method,
            url: options.describeUrl(request.url),
          });
        }
        throw toConcurError(error, request, options.describeUrl);
      }
    },
    close() {
      agent.http.destroy();
      agent.https.destroy();
    },
  };
}

function toConcurError(error: unknown, request: HttpRequest, describeUrl: (url: string) => string): Error {
  const where = `${request.method} ${describeUrl(request.url)}`;
  if (request.signal?.aborted) return request.signal.reason instanceof Error ? request.signal.reason : new Error('aborted');
  if (error instanceof RequestError) {
    const code = error.code;
    if (error.name === 'TimeoutError' || code === 'ETIMEDOUT') {
      return new ConcurError('timeout', `Concur did not answer within ${Math.round(request.timeoutMs / 1000)} s: ${where}.`, {
        method: request.method,
        url: describeUrl(request.url),
      });
    }
    // Only the code and got's own message travel on: got errors carry the request options (headers, body).
    return new ConcurError('network', `Network error talking to Concur (${code || error.name}): ${where}.`, {
      method: request.method,
      url: describeUrl(request.url),
      ...(code ? { networkCode: code } : {}),
      cause: new Error(`${error.name} ${code}: ${error.message}`),
    });
  }
  return new ConcurError('network', `Request to Concur failed: ${where}.`, {
    method: request.method,
    url: describeUrl(request.url),
    cause: new Error(error instanceof Error ? `${error.name}: ${error.message}` : String(error)),
  });
}
