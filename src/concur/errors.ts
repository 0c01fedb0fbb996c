/**
 * What went wrong talking to Concur, as a kind the caller can act on. Messages hold no secrets: URLs are
 * redacted before they get here and response bodies are reduced to Concur's own error message.
 */
export type ConcurErrorKind =
  | 'auth' // credentials or token refused
  | 'permission' // authenticated, but the user lacks a role or the app lacks access
  | 'not_found' // unknown id, or an endpoint that does not exist (any more) in this data center
  | 'gone' // the API was decommissioned
  | 'bad_request' // Concur rejected the request itself
  | 'rate_limited'
  | 'server' // 5xx
  | 'network' // connection refused/reset, truncated body, DNS
  | 'timeout'
  | 'payload' // an answer we cannot parse
  | 'unsafe' // a request we refuse to make (token to a foreign host, http to a remote host)
  | 'token_endpoint'; // the token URL is not a Concur token endpoint (not found, redirected, another kind of page)

export interface ConcurErrorDetails {
  status?: number;
  method?: string;
  url?: string;
  correlationId?: string;
  concurMessage?: string;
  code?: number;
  /** The system error code of a failed connection (ENOTFOUND, ECONNREFUSED…). */
  networkCode?: string;
  cause?: unknown;
}

export class ConcurError extends Error {
  override readonly name: string = 'ConcurError';
  readonly kind: ConcurErrorKind;
  readonly status: number | undefined;
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly correlationId: string | undefined;
  readonly concurMessage: string | undefined;
  readonly code: number | undefined;
  readonly networkCode: string | undefined;

  constructor(kind: ConcurErrorKind, message: string, details: ConcurErrorDetails = {}) {
    super(message, details.cause !== undefined ? { cause: details.cause } : undefined);
    this.kind = kind;
    this.status = details.status;
    this.method = details.method;
    this.url = details.url;
    this.correlationId = details.correlationId;
    this.concurMessage = details.concurMessage;
    this.code = details.code;
    this.networkCode = details.networkCode;
  }

  get retryable(): boolean {
    return this.kind === 'rate_limited' || this.kind === 'server' || this.kind === 'network' || this.kind === 'timeout';
  }
}

/** The credential a refused token request presented. */
export type RefusedCredential = 'password' | 'company_request_token' | 'refresh_token';

/** The token endpoint refused the grant (Concur's token error codes). */
export class ConcurAuthError extends ConcurError {
  override readonly name = 'ConcurAuthError';
  readonly oauthError: string | undefined;
  readonly credential: RefusedCredential | undefined;
  constructor(message: string, details: ConcurErrorDetails & { oauthError?: string; credential?: RefusedCredential } = {}) {
    super('auth', message, details);
    this.oauthError = details.oauthError;
    this.credential = details.credential;
  }
}

/**
 * The token URL answered as no Concur token endpoint does: its host does not exist, the page is not there, it
 * redirects, or it serves something other than a token. `configured` says whether that URL is the one the caller
 * was given (rather than a data center Concur pointed to), which makes it the thing to fix.
 */
export class ConcurTokenEndpointError extends ConcurError {
  override readonly name = 'ConcurTokenEndpointError';
  readonly configured: boolean;
  constructor(message: string, details: ConcurErrorDetails & { configured: boolean }) {
    super('token_endpoint', message, details);
    this.configured = details.configured;
  }
}

/** "GET https://…/reports (status 503, correlation id …)": what support needs, nothing secret. */
export function describeRequest(details: ConcurErrorDetails): string {
  const parts = [details.method && details.url ? `${details.method} ${details.url}` : details.url ?? ''];
  const extra: string[] = [];
  if (details.status !== undefined) extra.push(`HTTP ${details.status}`);
  if (details.correlationId) extra.push(`concur-correlationid ${details.correlationId}`);
  return extra.length ? `${parts.join('')} (${extra.join(', ')})` : parts.join('');
}
