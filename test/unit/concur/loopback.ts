// Real node:http servers on 127.0.0.1 and the real client objects wired to them, for the concur/ unit tests.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TokenProvider, type Grant } from '../../../src/concur/auth.js';
import { XmlParser } from '../../../src/concur/xml-parser.js';
import { ConcurClient } from '../../../src/concur/client.js';
import { createTransport, type HttpTransport } from '../../../src/concur/http.js';
import { AdaptiveLimiter } from '../../../src/concur/limiter.js';
import type { RetryPolicy } from '../../../src/concur/retry.js';
import { isSafeUrl } from '../../../src/config/urls.js';

export interface Recorded {
  method: string;
  /** Path and query as received. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** 0-based arrival index on this server. */
  index: number;
}

export type Handler = (req: Recorded, res: ServerResponse) => void | Promise<void>;

export interface Loopback {
  /** http://127.0.0.1:<port> */
  url: string;
  requests: Recorded[];
  close(): Promise<void>;
}

/** A real HTTP server on a free loopback port that records every request (body included) before handling it. */
export async function startServer(handler: Handler): Promise<Loopback> {
  const requests: Recorded[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded: Recorded = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        index: requests.length,
      };
      requests.push(recorded);
      Promise.resolve(handler(recorded, res)).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(599, { 'content-type': 'text/plain' });
        res.end(`test handler failed: ${String(error)}`);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

export function concurError(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { Error: { Message: message, 'Server-Time': '2026-01-15T04:00:00', Id: 'E-1' } }, headers);
}

/** A token endpoint answer in docs/concur-api.md#token-response-fields shape. */
export function tokenBody(accessToken: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { access_token: accessToken, token_type: 'Bearer', expires_in: '3600', scope: 'EXPRPT', ...extra };
}

export const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);

export interface LogLine {
  level: 'debug' | 'info' | 'warn';
  message: string;
}

export interface Clock {
  now: number;
}

/** The injected effects every real object takes: a settable clock, a recording sleep, a log, secret sinks. */
export function effects(random = 0.5) {
  const clock: Clock = { now: T0 };
  const sleeps: number[] = [];
  const logs: LogLine[] = [];
  const secrets: string[] = [];
  const refreshTokens: string[] = [];
  return {
    clock,
    sleeps,
    logs,
    secrets,
    refreshTokens,
    now: () => clock.now,
    random: () => random,
    sleep: (ms: number) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    log: {
      debug: (message: string) => void logs.push({ level: 'debug', message }),
      info: (message: string) => void logs.push({ level: 'info', message }),
      warn: (message: string) => void logs.push({ level: 'warn', message }),
    },
    onSecret: (value: string) => void secrets.push(value),
    onRefreshToken: (value: string) => void refreshTokens.push(value),
    /** The same rule the connector applies (source.ts): https anywhere, http only to loopback. */
    assertSafeUrl: (url: string, what: string) => {
      if (!isSafeUrl(new URL(url))) throw new Error(`Refusing to send credentials to ${new URL(url).origin} (${what})`);
    },
    describeUrl: (url: string) => url,
  };
}

export type Effects = ReturnType<typeof effects>;

export const PASSWORD_GRANT: Grant = { kind: 'password', clientId: 'cid-1', clientSecret: 'csecret-1', username: 'ada@example.com', password: 'pw-S3cret!' };

export function buildTokens(fx: Effects, transport: HttpTransport, options: { tokenUrl: string; grant?: Grant; tokenUrlExplicit?: boolean; timeoutMs?: number }): TokenProvider {
  return new TokenProvider({
    grant: options.grant ?? PASSWORD_GRANT,
    tokenUrl: options.tokenUrl,
    tokenUrlExplicit: options.tokenUrlExplicit ?? false,
    transport,
    timeoutMs: options.timeoutMs ?? 2000,
    now: fx.now,
    random: fx.random,
    sleep: fx.sleep,
    onSecret: fx.onSecret,
    onRefreshToken: fx.onRefreshToken,
    assertSafeUrl: fx.assertSafeUrl,
    describeUrl: fx.describeUrl,
    log: fx.log,
  });
}

export interface ClientHarness {
  fx: Effects;
  transport: HttpTransport;
  tokens: TokenProvider;
  limiter: AdaptiveLimiter;
  client: ConcurClient;
}

/** The real transport, token provider, limiter and client, as source.ts wires them, with injected effects. */
export function buildClient(options: {
  tokenUrl: string;
  grant?: Grant;
  baseUrlOverride?: string;
  timeoutMs?: number;
  retry?: RetryPolicy;
  maxConcurrency?: number;
  random?: number;
}): ClientHarness {
  const fx = effects(options.random ?? 0.5);
  const maxConcurrency = options.maxConcurrency ?? 4;
  const transport = createTransport({ maxSockets: maxConcurrency, describeUrl: fx.describeUrl });
  const tokens = buildTokens(fx, transport, { tokenUrl: options.tokenUrl, ...(options.grant ? { grant: options.grant } : {}) });
  const limiter = new AdaptiveLimiter(maxConcurrency);
  const client = new ConcurClient({
    tokens,
    xml: new XmlParser(),
    transport,
    limiter,
    baseUrlOverride: options.baseUrlOverride,
    timeoutMs: options.timeoutMs ?? 2000,
    ...(options.retry ? { retry: options.retry } : {}),
    now: fx.now,
    random: fx.random,
    sleep: fx.sleep,
    log: fx.log,
    describeUrl: fx.describeUrl,
    userAgent: 'source-concur/test',
  });
  return { fx, transport, tokens, limiter, client };
}

export interface ConcurFixture extends ClientHarness {
  /** The data center: the token's geolocation. */
  data: Loopback;
  /** The token endpoint; issues tok-1, tok-2, … with geolocation = data.url. */
  token: Loopback;
  close(): Promise<void>;
}

/** A token server and a data server on loopback, and a client built against them. */
export async function startConcur(
  dataHandler: Handler,
  options: Omit<Parameters<typeof buildClient>[0], 'tokenUrl'> & { idClaims?: Record<string, unknown> } = {},
): Promise<ConcurFixture> {
  const data = await startServer(dataHandler);
  const { idClaims, ...clientOptions } = options;
  // The id_token as Concur shapes it (an unsigned stand-in: the connector reads its claims, never verifies them).
  const idToken = idClaims === undefined ? {} : { id_token: `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify(idClaims)).toString('base64url')}.` };
  const token = await startServer((req, res) => sendJson(res, 200, tokenBody(`tok-${req.index + 1}`, { geolocation: data.url, ...idToken })));
  const harness = buildClient({ ...clientOptions, tokenUrl: `${token.url}/oauth2/v0/token` });
  return {
    ...harness,
    data,
    token,
    close: async () => {
      harness.transport.close();
      await Promise.all([data.close(), token.close()]);
    },
  };
}
