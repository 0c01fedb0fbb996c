import { randomUUID } from 'node:crypto';
import { headerValue, type AccessToken, type TokenProvider } from './auth.js';
import { ConcurError, describeRequest } from './errors.js';
import type { HttpResponse, HttpTransport } from './http.js';
import type { AdaptiveLimiter } from './limiter.js';
import type { XmlDocument, XmlParser } from './xml-parser.js';
import { DEFAULT_RETRY_POLICY, retrying, type Attempt, type RetryPolicy, type RetryReason } from './retry.js';

export type Query = Record<string, string | number | boolean | undefined>;

export interface ClientLog {
  /** False when debug messages are dropped: their text (a redacted URL per request) is then not even built. */
  readonly debugging?: boolean;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
}

export interface ConcurClientOptions {
  tokens: TokenProvider;
  /** Parses XML answers (off the main thread where it can). */
  xml: XmlParser;
  transport: HttpTransport;
  limiter: AdaptiveLimiter;
  /** Used instead of the token's geolocation when set (config base_url). */
  baseUrlOverride?: string | undefined;
  timeoutMs: number;
  retry?: RetryPolicy;
  now: () => number;
  random: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  log: ClientLog;
  describeUrl: (url: string) => string;
  /** Called before waiting on a 429, with the epoch ms at which the wait ends. */
  onRateLimited?: (resumeAt: number | undefined) => void;
  userAgent: string;
}

export interface RequestStats {
  requests: number;
  retries: number;
  throttled: number;
}

type Parse<T> = (text: string) => T | Promise<T>;
/** One request as the streams ask it: a GET, or a POST whose JSON body is a search (read-only, so retried like a GET). */
type Call = { method: 'GET' | 'POST'; target: string; query: Query; json?: unknown; accept: string };
type RequestDetails = { status: number; method: string; url: string; correlationId: string };
/** The access token a request is sent with, and how often it was renewed for this request. */
type Session = { token: AccessToken; renewals: number };
/** A request that got an answer, or a transport failure worth another try. */
type Sent = { response: HttpResponse; correlationId: string; started: number; debugging: boolean } | { failure: ConcurError };

const RETRYABLE_STATUS = new Set([500, 502, 503, 504]);
/** Token renewals one request may trigger before a 401 is taken as refused credentials. */
const MAX_RENEWALS = 3;

/**
 * Concur's HTTP API as seen by the streams: GET a path (routed to the token's data center) or an absolute
 * page URL, get back a parsed body. Handles the token (refresh on 401 or an expired-token 403), the shared
 * concurrency limit, retries with backoff, and Concur's deprecation headers.
 */
export class ConcurClient {
  private readonly warnedEndpoints = new Set<string>();
  private readonly rebasedOrigins = new Set<string>();
  readonly stats: RequestStats = { requests: 0, retries: 0, throttled: 0 };

  constructor(private readonly options: ConcurClientOptions) {}

  /** GET returning parsed JSON (v3 APIs). */
  async getJson(target: string, query: Query = {}, signal?: AbortSignal): Promise<unknown> {
    return this.request({ method: 'GET', target, query, accept: 'application/json' }, parseJsonBody, signal);
  }

  /** POST of a JSON search body, returning parsed JSON (Identity v4.1's /Users/.search). */
  async searchJson(target: string, body: unknown, signal?: AbortSignal): Promise<unknown> {
    return this.request({ method: 'POST', target, query: {}, json: body, accept: 'application/json' }, parseJsonBody, signal);
  }

  /** GET returning a parsed XML document (v1.1, v2, Extract, Itinerary, User v1), parsed off the main thread. */
  async getXml(target: string, query: Query, signal?: AbortSignal): Promise<XmlDocument> {
    return this.request({ method: 'GET', target, query, accept: 'application/xml' }, (text) => this.options.xml.parse(text), signal);
  }

  /** Lets go of the connections and the XML parser's threads. */
  async close(): Promise<void> {
    this.options.transport.close();
    await this.options.xml.close();
  }

  /** Obtains a token now, so that `check` fails fast on bad credentials. */
  async authenticate(signal?: AbortSignal): Promise<AccessToken> {
    return this.options.tokens.get(signal);
  }

  private async request<T>(call: Call, parse: Parse<T>, signal?: AbortSignal): Promise<T> {
    const { options } = this;
    const session: Session = { token: await options.tokens.get(signal), renewals: 0 };
    return retrying(options, {
      policy: options.retry ?? DEFAULT_RETRY_POLICY,
      signal,
      attempt: () => this.attempt(session, call, parse, signal),
      onRetry: (retry) => this.beforeRetry(retry),
    });
  }

  /** One try, which a refused access token does not use up: the token is renewed and the request sent again. */
  private async attempt<T>(session: Session, call: Call, parse: Parse<T>, signal?: AbortSignal): Promise<Attempt<T>> {
    for (;;) {
      const url = this.resolve(call.target, call.query, session.token);
      const sent = await this.send(call, url, session.token, signal);
      if ('failure' in sent) return { failure: sent.failure, retryAfter: undefined };
      const { response } = sent;
      const served = headerValue(response.headers['concur-correlationid']) ?? sent.correlationId;
      // Only a failure needs these (and the redacted URL costs a URL parse): built when one happens.
      const details = (): RequestDetails => ({ status: response.status, method: call.method, url: this.options.describeUrl(url), correlationId: served });
      if (sent.debugging) this.options.log.debug(`${call.method} ${this.options.describeUrl(url)} -> ${response.status} in ${this.options.now() - sent.started} ms (concur-correlationid ${served})`);
      this.warnDeprecation(url, response);
      if (response.status === 200) return this.parsed(response, parse, details);
      if (session.renewals < MAX_RENEWALS && isExpiredToken(response)) {
        await this.renew(session, response.status, signal);
        continue;
      }
      if (response.status === 429 || RETRYABLE_STATUS.has(response.status)) return retryable(httpError(response, details()), response);
      throw httpError(response, details());
    }
  }

  /** Sends one request within the shared concurrency limit; a transport failure worth retrying comes back, others are thrown. */
  private async send(call: Call, url: string, token: AccessToken, signal?: AbortSignal): Promise<Sent> {
    const { options } = this;
    const correlationId = randomUUID();
    const started = options.now();
    const release = await options.limiter.acquire(signal);
    const debugging = options.log.debugging !== false;
    try {
      if (debugging) options.log.debug(`${call.method} ${options.describeUrl(url)} (concur-correlationid ${correlationId})`);
      this.stats.requests++;
      const response = await options.transport.send({
        method: call.method,
        url,
        ...(call.json !== undefined ? { json: call.json } : {}),
        headers: {
          authorization: `Bearer ${token.value}`,
          accept: call.accept,
          'concur-correlationid': correlationId,
          'user-agent': options.userAgent,
        },
        timeoutMs: options.timeoutMs,
        signal,
      });
      return { response, correlationId, started, debugging };
    } catch (error) {
      if (!(error instanceof ConcurError) || !error.retryable) throw error;
      return { failure: error };
    } finally {
      release();
    }
  }

  private async parsed<T>(response: HttpResponse, parse: Parse<T>, details: () => RequestDetails): Promise<Attempt<T>> {
    try {
      const value = await parse(response.body);
      this.options.limiter.onSuccess();
      return { value };
    } catch (error) {
      // A garbled body is most often a broken proxy or a cut connection: worth another try.
      return retryable(
        new ConcurError('payload', `Concur sent an unreadable answer for ${describeRequest(details())}: ${(error as Error).message}`, { ...details(), cause: error }),
        response,
      );
    }
  }

  // docs/concur-api.md#expired-tokens-401-or-403: refresh on 401, or on a 403 that says the token expired, then retry. Concurrent requests
  // share the token, so the fresh one may already be spent when this request gets its turn: a few
  // renewals are allowed before a refused token counts as refused credentials.
  private async renew(session: Session, status: number, signal?: AbortSignal): Promise<void> {
    session.renewals++;
    this.options.log.info(`Concur refused the access token (HTTP ${status}); refreshing it.`);
    session.token = await this.options.tokens.renew(session.token, signal);
  }

  private beforeRetry({ failure, attempt, delay, reason }: { failure: ConcurError; attempt: number; delay: number; reason: RetryReason }): void {
    const { options } = this;
    if (reason === 'rate_limited') {
      this.stats.throttled++;
      options.limiter.onThrottled();
      options.onRateLimited?.(options.now() + delay);
    }
    this.stats.retries++;
    options.log.warn(`${failure.message} Attempt ${attempt} failed; retrying in ${(delay / 1000).toFixed(1)} s.`);
  }

  /** Relative paths go to the data center; absolute URLs (NextPage) are followed as given, on the same origin. */
  private resolve(target: string, query: Query, token: AccessToken): string {
    const base = this.options.baseUrlOverride ?? token.geolocation;
    let url: URL;
    if (/^https?:\/\//i.test(target)) {
      url = new URL(target);
      const origin = new URL(base).origin;
      if (url.origin !== origin && !url.toString().startsWith(base)) {
        // The bearer token only ever goes to the data center it was issued for (or the configured base URL).
        if (!this.rebasedOrigins.has(url.origin)) {
          this.rebasedOrigins.add(url.origin);
          this.options.log.warn(`Concur returned a page link on ${url.origin}; requesting it from ${origin} instead, where the token belongs.`);
        }
        url = new URL(base.replace(/\/+$/, '') + url.pathname + url.search);
      }
    } else if (!target.includes('?')) {
      // The common case (a path and its parameters), built without parsing a URL: one per request adds up.
      const search = new URLSearchParams();
      for (const key in query) {
        const value = query[key];
        if (value !== undefined) search.append(key, String(value));
      }
      const tail = search.size > 0 ? `?${search.toString()}` : '';
      return `${base.replace(/\/+$/, '')}${target.startsWith('/') ? target : `/${target}`}${tail}`;
    } else {
      url = new URL(base.replace(/\/+$/, '') + (target.startsWith('/') ? target : `/${target}`));
    }
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url.toString();
  }

  // docs/concur-api.md#deprecation-headers: since 2026-03 deprecated endpoints answer with x-api-warn and sunset headers.
  private warnDeprecation(url: string, response: HttpResponse): void {
    const warn = headerValue(response.headers['x-api-warn']);
    const sunset = headerValue(response.headers['sunset']);
    if (!warn && !sunset) return;
    const endpoint = endpointKey(url);
    if (this.warnedEndpoints.has(endpoint)) return;
    this.warnedEndpoints.add(endpoint);
    const parts = [warn ? `Concur warns: ${warn}` : undefined, sunset ? `planned shutdown (sunset): ${sunset}` : undefined].filter(Boolean);
    this.options.log.warn(`${endpoint} is deprecated by SAP Concur. ${parts.join('; ')}.`);
  }
}

function retryable<T>(failure: ConcurError, response: HttpResponse): Attempt<T> {
  return { failure, retryAfter: headerValue(response.headers['retry-after']) };
}

function parseJsonBody(text: string): unknown {
  return JSON.parse(text) as unknown;
}

/**
 * /api/v3.0/expense/reports/gWq$..: ids removed, so one endpoint warns once however many ids it is called with.
 * An id has a `$` or an escape, is a number, or is long with a digit or mixed case; a long lower-case word
 * (expensegroupconfigurations) is part of the path.
 */
function endpointKey(url: string): string {
  return new URL(url).pathname
    .split('/')
    .map((segment) => (isIdSegment(segment) ? '{id}' : segment))
    .join('/');
}

function isIdSegment(segment: string): boolean {
  if (/[$%]/.test(segment) || /^\d+$/.test(segment)) return true;
  if (segment.length >= 8 && /\d/.test(segment)) return true;
  return segment.length >= 16 && /[a-z]/.test(segment) && /[A-Z]/.test(segment);
}

function isExpiredToken(response: HttpResponse): boolean {
  if (response.status === 401) return true;
  if (response.status !== 403) return false;
  // The legacy gateway answers 403 for an expired or revoked token (docs/concur-api.md#expired-tokens-401-or-403); a missing role is also 403.
  return /expired|revoked|invalid[ _-]?(access[ _-]?)?token|token[^.]{0,20}invalid|not authenticated|authentication failed/i.test(concurMessage(response.body) ?? '');
}

/**
 * Concur's own error text: v3 JSON {"Error":{"Message"}}, XML <Error><Message>, or a SCIM error's `detail`
 * (Identity v4.1, RFC 7644 §3.12). Never the whole body.
 */
export function concurMessage(body: string): string | undefined {
  const text = body.slice(0, 64 * 1024);
  try {
    const parsed = JSON.parse(text) as {
      Error?: { Message?: unknown };
      Message?: unknown;
      message?: unknown;
      error?: unknown;
      errorMessage?: unknown;
      error_description?: unknown;
      detail?: unknown;
    };
    // v4 bodies: List v4 and Attendee Types v4 {"error": {"id", "message"}} (the token endpoint's `error` is a
    // string), Attendees v4 {"errorId", "errorMessage", "httpStatus", …}.
    const v4 = typeof parsed.error === 'object' && parsed.error !== null ? (parsed.error as { message?: unknown }).message : undefined;
    const message = parsed.Error?.Message ?? parsed.Message ?? parsed.message ?? v4 ?? parsed.errorMessage ?? parsed.error_description ?? parsed.detail;
    if (typeof message === 'string') return message.slice(0, 500);
  } catch {
    const match = /<Message>([\s\S]{0,500}?)<\/Message>/i.exec(text);
    if (match?.[1]) return match[1].trim();
  }
  return undefined;
}

function httpError(response: HttpResponse, details: RequestDetails): ConcurError {
  const message = concurMessage(response.body);
  const said = message ? `: "${message}"` : '';
  const where = describeRequest(details);
  const withMessage = { ...details, ...(message ? { concurMessage: message } : {}) };
  switch (response.status) {
    case 429:
      return new ConcurError('rate_limited', `Concur is throttling requests (HTTP 429)${said}: ${where}.`, withMessage);
    case 401:
      return new ConcurError('auth', `Concur rejected the access token even after refreshing it${said}: ${where}. Re-authenticate and update the credentials.`, withMessage);
    case 403:
      return new ConcurError('permission', `Concur refused access${said}: ${where}. ${permissionHint(details.url)}`, withMessage);
    case 404:
      return new ConcurError('not_found', `Concur answered 404 Not Found${said}: ${where}.`, withMessage);
    case 410:
      return new ConcurError('gone', `Concur says this API is gone (HTTP 410)${said}: ${where}.`, withMessage);
    default:
      if (response.status >= 500) return new ConcurError('server', `Concur had a server error (HTTP ${response.status})${said}: ${where}.`, withMessage);
      if (response.status >= 300 && response.status < 400) {
        return new ConcurError('unsafe', `Concur redirected the request (HTTP ${response.status}); redirects are not followed so the token never leaves the data center: ${where}.`, withMessage);
      }
      return new ConcurError('bad_request', `Concur rejected the request (HTTP ${response.status})${said}: ${where}.`, withMessage);
  }
}

// docs/concur-api.md#the-user-parameter: who may read what.
function permissionHint(url: string): string {
  if (/[?&](user|userid_value)=/i.test(url)) {
    return 'Reading other users\' data (user = ALL or a login id) needs the Web Services Administrator role (Professional) or Can Administer (Standard) for the Concur user behind the token.';
  }
  return 'The Concur user behind the token lacks a role this API needs (Web Services Administrator, or Company Administrator for extracts), or your app lacks the scope.';
}
