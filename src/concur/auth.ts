import { ConcurAuthError, ConcurError, ConcurTokenEndpointError, type RefusedCredential } from './errors.js';
import type { HttpResponse, HttpTransport } from './http.js';
import { DEFAULT_RETRY_POLICY, retrying, type RetryPolicy } from './retry.js';

export type Grant =
  | { kind: 'password'; clientId: string; clientSecret: string; username: string; password: string }
  | { kind: 'company'; clientId: string; clientSecret: string; companyId: string; requestToken: string; refreshToken?: string }
  | { kind: 'refresh_token'; clientId: string; clientSecret: string; refreshToken: string };

export interface AccessToken {
  value: string;
  /** Epoch ms after which Concur will refuse it. */
  expiresAt: number;
  /** Base URL of the data center that holds the user or company (docs/concur-api.md#token-hosts-and-code-16: every later call goes there). */
  geolocation: string;
  /** The refresh token that came with it, and when that one lapses (epoch ms), where Concur said. */
  refreshToken: string | undefined;
  refreshExpiresAt: number | undefined;
  /** Whom the token acts for, from the id_token's `concur.type` claim; undefined when Concur did not say. */
  principal: Principal | undefined;
  /** The id_token's `sub`: the user's UUID for a user token, the company's UUID for a company token. */
  subject: string | undefined;
}

/** A user-level token reads as one Concur user; a company-level token reads for the company and owns no data. */
export type Principal = 'user' | 'company';

export interface TokenProviderOptions {
  grant: Grant;
  tokenUrl: string;
  /** The user named a token URL: refreshes go there too, instead of to the token's geolocation. */
  tokenUrlExplicit: boolean;
  transport: HttpTransport;
  timeoutMs: number;
  now: () => number;
  random: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Every token value Concur issues, so it can be masked in all output. */
  onSecret: (value: string) => void;
  /** Concur issued a refresh token different from the one in the config (persist it). */
  onRefreshToken?: (refreshToken: string) => void;
  /** The whole run's cancellation; a token request shared by many callers is not tied to any one of them. */
  signal?: AbortSignal;
  /** Throws when a URL may not receive credentials (non-https remote host). */
  assertSafeUrl: (url: string, what: string) => void;
  describeUrl: (url: string) => string;
  log: { debug(message: string): void; info(message: string): void; warn(message: string): void };
}

const TOKEN_PATH = '/oauth2/v0/token';
/** Refresh this long before expiry (docs/concur-api.md#token-lifetimes-and-refresh recommends refreshing proactively). */
const EARLY_REFRESH_MS = 5 * 60_000;
/** Token requests give up sooner than data requests, throttled or not. */
const TOKEN_RETRY_POLICY: RetryPolicy = { ...DEFAULT_RETRY_POLICY, maxAttempts: 4, maxAttemptsRateLimited: 4 };

/**
 * Obtains and renews the Concur access token. Concurrent callers share one token request (single flight), so a
 * burst of 401s triggers one refresh, not fifty. The latest refresh token is kept in memory and reported through
 * onRefreshToken when Concur rotates it.
 */
export class TokenProvider {
  private token: AccessToken | undefined;
  private pending: Promise<AccessToken> | undefined;
  private refreshToken: string | undefined;
  private readonly configuredRefreshToken: string | undefined;

  constructor(private readonly options: TokenProviderOptions) {
    const grant = options.grant;
    this.refreshToken = grant.kind === 'password' ? undefined : grant.refreshToken || undefined;
    this.configuredRefreshToken = this.refreshToken;
  }

  /** A token valid for at least a few more minutes. */
  async get(signal?: AbortSignal): Promise<AccessToken> {
    const token = this.token;
    if (token && token.expiresAt - EARLY_REFRESH_MS > this.options.now()) return token;
    return this.obtain(signal);
  }

  /** Concur refused `stale` (401, or 403 "token expired"): get a new one, unless someone already did. */
  async renew(stale: AccessToken, signal?: AbortSignal): Promise<AccessToken> {
    if (this.token && this.token.value !== stale.value) return this.token;
    this.token = undefined;
    return this.obtain(signal);
  }

  private obtain(signal?: AbortSignal): Promise<AccessToken> {
    if (!this.pending) {
      this.pending = this.fetchToken(this.options.signal).finally(() => {
        this.pending = undefined;
      });
    }
    return untilAborted(this.pending, signal);
  }

  private async fetchToken(signal?: AbortSignal): Promise<AccessToken> {
    const { grant } = this.options;
    const previous = this.token;
    // With a refresh token in hand, use it (it is also how a company connection outlives its 24-hour request
    // token); fall back to the primary credentials only when it is refused.
    if (this.refreshToken) {
      try {
        return await this.request(this.refreshUrl(previous), this.refreshForm(this.refreshToken), signal);
      } catch (error) {
        if (!(error instanceof ConcurAuthError) || grant.kind === 'refresh_token') throw error;
        this.options.log.warn(
          `The stored refresh token was refused (${error.concurMessage ?? error.message}); requesting a new token with the ${grant.kind === 'company' ? 'company request token' : 'password'}.`,
        );
        this.refreshToken = undefined;
      }
    }
    if (grant.kind === 'password') {
      return this.request(this.options.tokenUrl, {
        grant_type: 'password',
        client_id: grant.clientId,
        client_secret: grant.clientSecret,
        username: grant.username,
        password: grant.password,
        credtype: 'password',
      }, signal);
    }
    if (grant.kind === 'company') {
      return this.request(this.options.tokenUrl, {
        grant_type: 'password',
        client_id: grant.clientId,
        client_secret: grant.clientSecret,
        username: grant.companyId,
        password: grant.requestToken,
        credtype: 'authtoken',
      }, signal);
    }
    throw new ConcurAuthError('No refresh token available.');
  }

  private refreshForm(refreshToken: string): Record<string, string> {
    const { grant } = this.options;
    return { grant_type: 'refresh_token', client_id: grant.clientId, client_secret: grant.clientSecret, refresh_token: refreshToken };
  }

  /** docs/concur-api.md#token-hosts-and-code-16: refreshes go to the token's geolocation, unless the user pinned a token URL. */
  private refreshUrl(previous: AccessToken | undefined): string {
    if (this.options.tokenUrlExplicit || !previous) return this.options.tokenUrl;
    return new URL(TOKEN_PATH, previous.geolocation).toString();
  }

  private async request(url: string, form: Record<string, string>, signal?: AbortSignal, redirected = false): Promise<AccessToken> {
    const { options } = this;
    options.assertSafeUrl(url, 'token URL');
    const response = await this.post(url, form, signal);
    const body = parseJson(response.body);
    const where = { status: response.status, method: 'POST', url: options.describeUrl(url) };
    if (response.status >= 300 && response.status < 400) {
      const location = headerValue(response.headers['location']);
      const target = location ? options.describeUrl(new URL(location, url).toString()) : 'nowhere (no Location header)';
      // Never followed: the form carries the client secret and the password or token.
      throw this.endpointError(url, `it redirects (HTTP ${response.status}) to ${target}`, where);
    }
    if (response.status !== 200 && !isConcurTokenError(body)) {
      const found = response.status === 404 ? 'there is no page there (HTTP 404 Not Found)' : `it answered HTTP ${response.status} ${describeBody(response)}, not a Concur token error`;
      throw this.endpointError(url, found, where);
    }
    if (response.status === 200 && (typeof body?.['access_token'] !== 'string' || body['access_token'] === '')) {
      throw this.endpointError(url, `it answered HTTP 200 ${describeBody(response)} without an access_token: not a Concur token endpoint`, where);
    }
    if (response.status !== 200) {
      const code = typeof body?.['code'] === 'number' ? body['code'] : Number(body?.['code']);
      const geolocation = typeof body?.['geolocation'] === 'string' ? body['geolocation'] : undefined;
      // docs/concur-api.md#token-hosts-and-code-16: code 16 = the user or company lives in another data center; ask that one.
      if (code === 16 && geolocation && !redirected) {
        options.log.info(`Concur says this login lives in another data center; requesting the token from ${geolocation}.`);
        return this.request(new URL(TOKEN_PATH, geolocation).toString(), form, signal, true);
      }
      throw tokenError(response.status, body, this.options.grant.kind, credentialOf(form));
    }
    return this.accept(body, url);
  }

  /** POSTs the form, retrying what a later try may fix: 5xx, 429, timeouts and connections that fail. */
  private post(url: string, form: Record<string, string>, signal: AbortSignal | undefined): Promise<HttpResponse> {
    const { options } = this;
    // The last answer's Retry-After still stands when the next try does not get through.
    let last: HttpResponse | undefined;
    return retrying(options, {
      policy: TOKEN_RETRY_POLICY,
      signal,
      attempt: async () => {
        try {
          last = await options.transport.send({ method: 'POST', url, headers: { accept: 'application/json' }, form, timeoutMs: options.timeoutMs, signal });
        } catch (error) {
          // A host that does not exist will not appear on a retry: say so now (an unreachable one may come back).
          if (error instanceof ConcurError && error.networkCode === 'ENOTFOUND') {
            throw this.endpointError(url, `its host ${new URL(url).host} was not found (DNS)`, { method: 'POST', url: options.describeUrl(url), cause: error });
          }
          if (!(error instanceof ConcurError) || !error.retryable) throw error;
          return { failure: error, retryAfter: headerValue(last?.headers['retry-after']) };
        }
        if (last.status < 500 && last.status !== 429) return { value: last };
        const kind = last.status === 429 ? 'rate_limited' : 'server';
        const failure = new ConcurError(kind, `The Concur token endpoint answered HTTP ${last.status}.`, { status: last.status, method: 'POST', url: options.describeUrl(url) });
        return { failure, retryAfter: headerValue(last.headers['retry-after']) };
      },
      onRetry: ({ failure, delay }) => options.log.warn(`${failure.message} Retrying in ${Math.round(delay / 1000)} s.`),
    });
  }

  private endpointError(url: string, found: string, details: { status?: number; method: string; url: string; cause?: unknown }): ConcurTokenEndpointError {
    return new ConcurTokenEndpointError(`The token URL ${this.options.describeUrl(url)} is not a Concur token endpoint: ${found}.`, {
      ...details,
      configured: url === this.options.tokenUrl,
    });
  }

  private accept(body: Record<string, unknown> | undefined, url: string): AccessToken {
    const { options } = this;
    const value = String(body?.['access_token']);
    options.onSecret(value);
    const refresh = body?.['refresh_token'];
    const idToken = body?.['id_token'];
    if (typeof idToken === 'string') options.onSecret(idToken);
    // docs/concur-api.md#token-response-fields: expires_in is a string in the reference samples and a number in the TMC guide.
    const expiresIn = Number(body?.['expires_in']);
    const lifetimeMs = Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn * 1000 : 3600_000;
    const geolocationRaw = body?.['geolocation'];
    const geolocation = typeof geolocationRaw === 'string' && geolocationRaw !== '' ? geolocationRaw : new URL(url).origin;
    options.assertSafeUrl(geolocation, 'geolocation returned by the token endpoint');
    if (typeof refresh === 'string' && refresh !== '') {
      options.onSecret(refresh);
      const changed = refresh !== (this.refreshToken ?? this.configuredRefreshToken);
      this.refreshToken = refresh;
      // A password grant can always log in again, so only refresh-token and company connections persist it.
      if (changed && this.options.grant.kind !== 'password') options.onRefreshToken?.(refresh);
    }
    const now = options.now();
    this.token = {
      value,
      expiresAt: now + lifetimeMs,
      geolocation: geolocation.replace(/\/+$/, ''),
      principal: typeof idToken === 'string' ? principalOf(idToken) : undefined,
      subject: typeof idToken === 'string' ? subjectOf(idToken) : undefined,
      refreshToken: this.refreshToken,
      // Epoch seconds, not a duration (SAP's enterprise app guide: "This is Epoch time format").
      refreshExpiresAt: Number.isFinite(Number(body?.['refresh_expires_in'])) && body?.['refresh_expires_in'] !== undefined ? Number(body['refresh_expires_in']) * 1000 : undefined,
    };
    options.log.debug(`Obtained a Concur access token valid for ${Math.round(lifetimeMs / 60000)} min; data center ${this.token.geolocation}.`);
    return this.token;
  }
}

/** Which credential a token request presented, so that a refusal can name the one to replace. */
function credentialOf(form: Record<string, string>): RefusedCredential {
  if (form['grant_type'] === 'refresh_token') return 'refresh_token';
  return form['credtype'] === 'authtoken' ? 'company_request_token' : 'password';
}

function tokenError(status: number, body: Record<string, unknown> | undefined, grant: Grant['kind'], credential: RefusedCredential): ConcurAuthError {
  const wasRefresh = credential === 'refresh_token';
  const code = Number(body?.['code']);
  const oauthError = typeof body?.['error'] === 'string' ? body['error'] : undefined;
  const description = typeof body?.['error_description'] === 'string' ? body['error_description'] : undefined;
  const said = [Number.isFinite(code) ? `code ${code}` : undefined, oauthError, description].filter(Boolean).join(', ');
  const hint = tokenHint(code, grant, wasRefresh);
  return new ConcurAuthError(`Concur refused the token request (HTTP ${status}${said ? `: ${said}` : ''}). ${hint}`, {
    status,
    ...(Number.isFinite(code) ? { code } : {}),
    ...(oauthError ? { oauthError } : {}),
    ...(description ? { concurMessage: description } : {}),
    credential,
  });
}

// docs/concur-api.md#token-endpoint-errors: what each code means for the person fixing the config.
function tokenHint(code: number, grant: Grant['kind'], wasRefresh: boolean): string {
  switch (code) {
    case 5:
    case 19:
      return grant === 'company'
        ? 'The company id or company request token is wrong or expired (request tokens last 24 hours): generate a new one on Concur\'s Company Request Token page.'
        : 'Check the username and password.';
    case 64:
    case 63:
      return 'Check the client secret of your Concur app.';
    case 61:
    case 62:
      return 'Check the client id: Concur does not know this app.';
    case 53:
      return 'This company has not enabled your Concur app: ask a Concur administrator to connect it in App Center.';
    case 59:
      return 'Your Concur app is disabled: contact SAP Concur.';
    case 10:
    case 11:
    case 123:
      return 'The Concur account is disabled.';
    case 14:
      return 'The Concur account is locked: unlock it in Concur, then retry.';
    case 12:
    case 13:
    case 20:
      return 'Concur denied the logon (often an IP restriction on the account).';
    case 21:
      return 'This user signs in with SSO only: use a company request token or a refresh token instead of a password.';
    case 139:
      return 'The password must be changed in Concur first.';
    case 108:
      return grant === 'refresh_token'
        ? 'The refresh token is invalid or expired (they last six months): obtain a new one and update the config.'
        : 'The stored refresh token is invalid or expired.';
    case 107:
      return 'Your Concur app is not allowed to refresh tokens.';
    case 136:
      return 'This company request token was generated for another app: generate one for this client id.';
    default:
      return wasRefresh ? 'Re-authenticate and update the refresh token in the config.' : 'Check the credentials in the config.';
  }
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** `promise`, or a rejection as soon as `signal` aborts (the shared work itself goes on for the others). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
  return new Promise<T>((resolve, reject) => {
    const abort = (): void => reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    signal.addEventListener('abort', abort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', abort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(error);
      },
    );
  });
}

export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Concur's token errors are JSON with a numeric `code` or an OAuth `error` (RFC 6749 §5.2); pages that are not, are not. */
function isConcurTokenError(body: Record<string, unknown> | undefined): boolean {
  return body !== undefined && (Number.isFinite(Number(body['code'])) || typeof body['error'] === 'string');
}

/** "with text/html" / "with an empty body": enough to recognise a web page or a proxy, nothing of its content. */
function describeBody(response: HttpResponse): string {
  if (response.body.trim() === '') return 'with an empty body';
  const type = headerValue(response.headers['content-type'])?.split(';')[0]?.trim();
  return type ? `with ${type}` : 'with a body that is not JSON';
}

/**
 * The claims of the id_token Concur returns with every token (an OIDC JWT; see
 * https://developer.concur.com/api-reference/authentication/apidoc.html#id_token). Read, not verified: they
 * only decide which streams are worth offering and whose configuration to ask for, and Concur still enforces
 * what the token may read.
 */
function claimsOf(idToken: string): Record<string, unknown> | undefined {
  const payload = idToken.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return typeof claims === 'object' && claims !== null && !Array.isArray(claims) ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** `concur.type` ("user" or "company"). */
export function principalOf(idToken: string): Principal | undefined {
  const type = claimsOf(idToken)?.['concur.type'];
  return type === 'user' || type === 'company' ? type : undefined;
}

/** `sub`: the UUID of the user or company the token acts for (the `userID` / `companyId` of the v4 APIs). */
export function subjectOf(idToken: string): string | undefined {
  const sub = claimsOf(idToken)?.['sub'];
  return typeof sub === 'string' && sub !== '' ? sub : undefined;
}
