import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { authenticate, type AuthSettings } from './auth/authenticate.js';
import type { Principal } from './auth/principals.js';
import type { TokenStore } from './auth/tokens.js';
import { ApiError, scimErrorBody, V4Refusal, v3ErrorBody, v4ErrorBody, v4MessageBody, xmlErrorBody } from './errors.js';
import type { FaultEngine, FaultName, RequestPlan, RetryAfter } from './faults.js';
import { APIS, decommissionedMessage, type ApiName } from './lifecycle.js';
import { loggableQuery, type RequestLog, type Stats } from './request-log.js';
import {
  Query,
  type ErrorStyle,
  type ListenerInfo,
  type ListenerName,
  type RequestContext,
  type Route,
  type RouteKind,
  type RouteResult,
  type StreamSink,
} from './route.js';
import type { Router, RouteMatch } from './router.js';

export interface ServerDeps {
  readonly router: Router;
  readonly tokens: TokenStore;
  readonly faults: FaultEngine;
  readonly log: RequestLog;
  readonly stats: Stats;
  readonly auth: AuthSettings;
  /** API families switched off with --decommissioned: they answer 410 Gone. */
  readonly decommissioned: ReadonlySet<ApiName>;
  /** Diagnostics sink (stderr with --verbose), or null. */
  readonly diagnostics: ((line: string) => void) | null;
}

const NO_PLAN: RequestPlan = { fired: [], delayMs: 0, status: null, corrupt: null };
const MAX_BODY = 1024 * 1024;

/**
 * The request pipeline shared by every route family:
 * correlation id → route match → (data) faults → auth → handler → send (with corruption
 * faults) → request log + stats. /_sim admin routes skip faults, auth and the log.
 */
export function createRequestHandler(deps: ServerDeps, listener: ListenerInfo): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handleRequest(deps, listener, req, res).catch((error: unknown) => {
      deps.diagnostics?.(`internal error: ${describe(error)}`);
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(v3ErrorBody('An internal simulator error occurred.', Date.now())));
      } else {
        res.destroy();
      }
    });
  };
}

/** The request line resolved against the router, as every later step needs it. */
interface Incoming {
  readonly nowMs: number;
  readonly method: string;
  readonly url: URL;
  /** scheme://host the client used (RequestContext.requestBase). */
  readonly requestBase: string;
  readonly match: RouteMatch;
  readonly route: Route | null;
  readonly kind: RouteKind;
}

/** What the pipeline learns while answering one request; the request log is written from it. */
interface Exchange {
  readonly fired: FaultName[];
  readonly identity: { user: string | null; grant: string | null };
  principal: Principal | null;
  bodyRead: boolean;
}

async function handleRequest(deps: ServerDeps, listener: ListenerInfo, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const nowMs = Date.now();
  echoCorrelationId(req, res);
  const incoming = resolveIncoming(deps, listener, req, nowMs);
  const exchange: Exchange = { fired: [], identity: { user: null, grant: null }, principal: null, bodyRead: false };
  if (incoming.kind === 'admin') await handleAdmin(deps, listener, incoming, exchange, req, res);
  else await handleApi(deps, listener, incoming, exchange, req, res);
}

function echoCorrelationId(req: IncomingMessage, res: ServerResponse): void {
  const correlation = req.headers['concur-correlationid'];
  res.setHeader('concur-correlationid', typeof correlation === 'string' && correlation !== '' ? correlation : randomUUID());
}

function resolveIncoming(deps: ServerDeps, listener: ListenerInfo, req: IncomingMessage, nowMs: number): Incoming {
  const listenerHost = new URL(listener.baseUrl).host;
  const host = req.headers.host !== undefined && /^[\w.:[\]-]+$/.test(req.headers.host) ? req.headers.host : listenerHost;
  const requestBase = `http://${host}`;
  const url = new URL(req.url ?? '/', requestBase);
  const method = (req.method ?? 'GET').toUpperCase();
  const match = deps.router.match(method, url.pathname);
  const route = match.kind === 'found' ? match.route : null;
  // Unmatched paths under /_sim stay in the admin namespace: no faults, never logged.
  const kind = route?.kind ?? (/^\/_sim(\/|$)/i.test(url.pathname) ? 'admin' : 'data');
  return { nowMs, method, url, requestBase, match, route, kind };
}

function noteFault(deps: ServerDeps, exchange: Exchange, name: FaultName): void {
  exchange.fired.push(name);
  deps.faults.noteInjected(name);
  deps.stats.fault(name);
}

/** The handler's view of the request; `principal` is read when the handler runs, after authentication. */
function contextFor(deps: ServerDeps, listener: ListenerInfo, incoming: Incoming, exchange: Exchange, req: IncomingMessage): RequestContext {
  const { method, url, match, requestBase, nowMs } = incoming;
  return {
    method,
    url,
    path: url.pathname,
    params: match.kind === 'found' ? match.params : {},
    query: new Query(url.searchParams),
    headers: req.headers,
    listener,
    requestBase,
    nowMs,
    principal: exchange.principal,
    readBody: () => {
      exchange.bodyRead = true;
      return readBody(req);
    },
    noteFault: (name) => noteFault(deps, exchange, name),
    noteIdentity: (user, grant) => {
      exchange.identity.user = user;
      exchange.identity.grant = grant;
    },
  };
}

/** /_sim routes: no faults, no auth, not logged. */
async function handleAdmin(deps: ServerDeps, listener: ListenerInfo, incoming: Incoming, exchange: Exchange, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { route, match, method, url, nowMs } = incoming;
  const result = await runHandler(() => {
    if (route === null) throw new ApiError(match.kind === 'method-not-allowed' ? 405 : 404, `No simulator endpoint ${method} ${url.pathname}.`);
    return route.handle(contextFor(deps, listener, incoming, exchange, req));
  }, 'v3', nowMs, deps, url.pathname);
  await send(res, result, null);
  if (!exchange.bodyRead) req.resume();
}

/** Concur's own routes (data and token): faults, auth, handler, send, then the request log and stats. */
async function handleApi(deps: ServerDeps, listener: ListenerInfo, incoming: Incoming, exchange: Exchange, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { route, url, kind } = incoming;
  const seq = deps.log.nextSeq();
  deps.stats.request(route === null ? '(unmatched)' : route.pattern);
  const plan = kind === 'data' ? deps.faults.planRequest(url.pathname, route?.format ?? 'json') : NO_PLAN;
  for (const name of plan.fired) {
    exchange.fired.push(name);
    deps.stats.fault(name);
  }
  if (plan.delayMs > 0) await delay(plan.delayMs, res);

  const handled = await answerApi(deps, listener, incoming, exchange, req, plan);
  const result = route?.api === undefined ? handled : withDeprecation(handled, route.api);

  const outcome = res.destroyed ? { bytes: 0, delivered: false, status: 0 } : await send(res, result, plan.corrupt);
  if (!exchange.bodyRead) req.resume();
  if (outcome.delivered && result.kind !== 'stream' && result.items !== undefined) {
    deps.stats.served(result.items.collection, result.items.count);
  }
  logRequest(deps, listener, incoming, exchange, seq, outcome);
}

/** The route's answer, or the error that comes first: a status fault, no such route, a decommissioned API, a bad token. */
function answerApi(deps: ServerDeps, listener: ListenerInfo, incoming: Incoming, exchange: Exchange, req: IncomingMessage, plan: RequestPlan): Promise<RouteResult> {
  const { route, match, method, url, kind, nowMs } = incoming;
  const style = route === null ? 'v3' : errorStyleOf(route);
  return runHandler(async () => {
    if (plan.status !== null) return statusFault(plan.status.status, plan.status.retryAfter, style, nowMs, url.pathname);
    if (match.kind === 'not-found') {
      throw new ApiError(404, `No HTTP resource was found that matches the request URI '${url.origin}${url.pathname}'.`);
    }
    if (match.kind === 'method-not-allowed') {
      throw new ApiError(405, `The requested resource does not support http method '${method}'.`, { allow: match.allowed.join(', ') });
    }
    // A decommissioned API is gone for everyone, before any token check (docs/concur-api.md#missing-records-404).
    if (match.route.api !== undefined && deps.decommissioned.has(match.route.api)) {
      throw new ApiError(410, decommissionedMessage(match.route.api));
    }
    if (kind === 'data') {
      exchange.principal = authenticate(req.headers, deps.tokens, deps.faults, deps.auth, url.pathname, nowMs, (name) => noteFault(deps, exchange, name));
      exchange.identity.user = exchange.principal.logLabel;
    }
    return match.route.handle(contextFor(deps, listener, incoming, exchange, req));
  }, style, nowMs, deps, url.pathname);
}

function logRequest(deps: ServerDeps, listener: ListenerInfo, incoming: Incoming, exchange: Exchange, seq: number, outcome: SendOutcome): void {
  const { nowMs, method, url, kind } = incoming;
  const { fired, identity } = exchange;
  deps.log.add({
    seq,
    at: new Date(nowMs).toISOString(),
    listener: listener.name,
    method,
    path: url.pathname,
    // The token route's query is never logged verbatim: secrets must not reach the log.
    query: loggableQuery(url.searchParams, kind === 'token'),
    status: outcome.status,
    fault: fired.length === 0 ? null : fired.join('+'),
    user: identity.user,
    grant: identity.grant,
    bytes: outcome.bytes,
  });
  deps.diagnostics?.(`${listener.name} ${method} ${url.pathname} -> ${outcome.status}${fired.length > 0 ? ` [${fired.join('+')}]` : ''} ${Date.now() - nowMs}ms`);
}

async function runHandler(
  run: () => RouteResult | Promise<RouteResult>,
  style: ErrorStyle,
  nowMs: number,
  deps: ServerDeps,
  path: string,
): Promise<RouteResult> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ApiError) return errorResult(style, error.status, error.message, nowMs, error.headers, path, error instanceof V4Refusal ? error.source : undefined);
    deps.diagnostics?.(`handler error: ${describe(error)}`);
    return errorResult(style, 500, 'An internal simulator error occurred.', nowMs, {}, path);
  }
}

function errorStyleOf(route: Route): ErrorStyle {
  return route.errors ?? (route.format === 'xml' ? 'xml' : 'v3');
}

/**
 * An error in the route family's own body shape (docs/concur-api.md#error-bodies; SCIM for Identity v4.1; the two
 * v4 ErrorMessage shapes, which name the request path; `source` is the parameter a v4 validation error names).
 */
export function errorResult(
  style: ErrorStyle,
  status: number,
  message: string,
  nowMs: number,
  headers: Readonly<Record<string, string>>,
  path = '/',
  source?: string,
): RouteResult {
  if (style === 'v4') return { kind: 'json', status, body: v4ErrorBody(status, message, nowMs, path), headers };
  if (style === 'v4-message') return { kind: 'json', status, body: v4MessageBody(status, message, nowMs, path, source), headers };
  if (style === 'xml') {
    return { kind: 'text', status, contentType: 'application/xml; charset=utf-8', body: xmlErrorBody(message, nowMs), headers };
  }
  if (style === 'scim') {
    return { kind: 'json', status, body: scimErrorBody(status, message), headers: { 'content-type': 'application/scim+json; charset=utf-8', ...headers } };
  }
  return { kind: 'json', status, body: v3ErrorBody(message, nowMs), headers };
}

/** docs/concur-api.md#deprecation-headers: since 2026-03 every answer of a deprecated API carries x-api-warn and sunset. */
function withDeprecation(result: RouteResult, api: ApiName): RouteResult {
  const deprecation = APIS[api].deprecation;
  if (deprecation === null || result.kind === 'stream') return result;
  return { ...result, headers: { ...result.headers, 'x-api-warn': deprecation.warn, sunset: deprecation.sunset } };
}

function statusFault(status: number, retryAfter: RetryAfter | null, style: ErrorStyle, nowMs: number, path: string): RouteResult {
  const messages: Record<number, string> = {
    429: 'Too many requests. Slow the rate of requests and retry later.',
    500: 'An internal server error occurred. Retry the request.',
    503: 'The service is temporarily unavailable for maintenance. Retry later.',
  };
  const headers: Record<string, string> = {};
  if (retryAfter?.kind === 'seconds') headers['retry-after'] = String(retryAfter.seconds);
  // An HTTP-date about a second ahead (whole seconds, so it is never in the past when read).
  if (retryAfter?.kind === 'date') headers['retry-after'] = new Date(Math.ceil((nowMs + 1000) / 1000) * 1000).toUTCString();
  return errorResult(style, status, messages[status] ?? 'Error', nowMs, headers, path);
}

interface SendOutcome {
  readonly status: number;
  readonly bytes: number;
  /** The whole, well-formed body reached the socket. */
  readonly delivered: boolean;
}

async function send(res: ServerResponse, result: RouteResult, corrupt: RequestPlan['corrupt']): Promise<SendOutcome> {
  if (result.kind === 'stream') return sendStream(res, result);
  const text = result.kind === 'json' ? JSON.stringify(result.body) : result.body;
  const contentType = result.kind === 'json' ? 'application/json; charset=utf-8' : result.contentType;
  const headers: Record<string, string> = { 'content-type': contentType, ...result.headers };
  // A Buffer, not the string: with a string body Node prepends the header and re-encodes
  // one large concatenated string on every response (measured ~20% of serving CPU).
  const body = Buffer.from(text, 'utf8');
  if (corrupt === null) {
    res.writeHead(result.status, { ...headers, 'content-length': String(body.length) });
    const finished = await endAndWait(res, body);
    return { status: result.status, bytes: body.length, delivered: finished };
  }
  const half = body.subarray(0, Math.floor(body.length / 2));
  if (corrupt === 'malformed-json' || corrupt === 'malformed-xml') {
    // A complete HTTP response whose body is cut in half: never valid JSON/XML. The status stays the handler's
    // (a throttled answer with a garbled body is still a 429).
    res.writeHead(result.status, { ...headers, 'content-length': String(half.length) });
    await endAndWait(res, half);
    return { status: result.status, bytes: half.length, delivered: false };
  }
  // truncate / reset: status, headers with the FULL Content-Length, then only part of the body.
  res.writeHead(result.status, { ...headers, 'content-length': String(body.length) });
  await new Promise<void>((resolve) => res.write(half, () => resolve()));
  const socket = res.socket;
  if (corrupt === 'truncate') {
    socket?.end(); // graceful FIN: the client sees a premature end of body
  } else {
    // Give the client a moment to read the headers, then abort with a TCP RST.
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (socket !== null && !socket.destroyed) socket.resetAndDestroy();
  }
  return { status: result.status, bytes: half.length, delivered: false };
}

async function sendStream(res: ServerResponse, result: Extract<RouteResult, { kind: 'stream' }>): Promise<SendOutcome> {
  res.writeHead(result.status, { 'content-type': result.contentType });
  let bytes = 0;
  const sink: StreamSink = {
    write: async (chunk) => {
      if (res.destroyed) throw new Error('client went away');
      bytes += Buffer.byteLength(chunk);
      if (!res.write(chunk)) {
        await new Promise<void>((resolve) => {
          const done = (): void => {
            res.off('drain', done);
            res.off('close', done);
            resolve();
          };
          res.on('drain', done);
          res.on('close', done);
        });
      }
    },
  };
  try {
    await result.write(sink);
  } catch {
    res.destroy();
    return { status: result.status, bytes, delivered: false };
  }
  const finished = await endAndWait(res, undefined);
  return { status: result.status, bytes, delivered: finished };
}

/** End the response and resolve true on 'finish' (all data handed off), false on early close. */
function endAndWait(res: ServerResponse, body: Buffer | string | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    const onFinish = (): void => {
      res.off('close', onClose);
      resolve(true);
    };
    const onClose = (): void => {
      res.off('finish', onFinish);
      resolve(res.writableFinished);
    };
    res.once('finish', onFinish);
    res.once('close', onClose);
    if (body === undefined) res.end();
    else res.end(body);
  });
}

/** Wait ms, or less if the client disconnects meanwhile. */
function delay(ms: number, res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    }
    res.once('close', done);
  });
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new ApiError(413, 'The request body is too large.'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

export interface RunningListener {
  readonly info: ListenerInfo;
  readonly server: Server;
}

/**
 * Bind a listener. Its base URL comes from the bound address (not hard-coded), so token
 * `geolocation` and record URIs send clients back to this process. A wildcard bind address
 * is reported as 127.0.0.1.
 */
export async function startListener(
  name: ListenerName,
  host: string,
  port: number,
  handlerFor: (info: ListenerInfo) => (req: IncomingMessage, res: ServerResponse) => void,
): Promise<RunningListener> {
  const server = createServer();
  // Longer than any client keeps an idle connection (undici: 4 s, Node agents: 5 s by default), so the server
  // never closes a socket at the moment a client reuses it.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const wildcard = address.address === '0.0.0.0' || address.address === '::';
  const hostPart = wildcard ? '127.0.0.1' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const info: ListenerInfo = { name, baseUrl: `http://${hostPart}:${address.port}` };
  server.on('request', handlerFor(info));
  return { info, server };
}

export async function closeListener(listener: RunningListener): Promise<void> {
  await new Promise<void>((resolve) => {
    listener.server.close(() => resolve());
    listener.server.closeAllConnections();
  });
}
