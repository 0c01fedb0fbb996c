import { randomUUID } from 'node:crypto';
import { formatServerTime } from './format.js';

/** An error answered with the v3 JSON error body (docs/concur-api.md#error-bodies). */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

/** `{"Error":{"Message","Server-Time","Id"}}`; Server-Time has no offset, Id is a GUID. */
export interface V3ErrorBody {
  readonly Error: {
    readonly Message: string;
    readonly 'Server-Time': string;
    readonly Id: string;
  };
}

export function v3ErrorBody(message: string, nowMs: number): V3ErrorBody {
  return { Error: { Message: message, 'Server-Time': formatServerTime(nowMs), Id: randomUUID().toUpperCase() } };
}

/** Token endpoint error body (docs/concur-api.md#token-endpoint-errors). `geolocation` only for code 16. */
export interface TokenErrorBody {
  readonly code: number;
  readonly error: string;
  readonly error_description: string;
  readonly geolocation?: string;
}

/** Token endpoint errors: status and body. Descriptions are fixed text, never echoing input. */
export class TokenError extends Error {
  override readonly name = 'TokenError';

  constructor(
    readonly status: number,
    readonly body: TokenErrorBody,
  ) {
    super(body.error_description);
  }
}

export const TOKEN_ERRORS = {
  badCredentials: (): TokenError =>
    new TokenError(400, { code: 5, error: 'invalid_grant', error_description: 'Incorrect Credentials. Please Retry' }),
  livesElsewhere: (geolocation: string): TokenError =>
    new TokenError(400, { code: 16, error: 'invalid_request', error_description: 'user lives elsewhere', geolocation }),
  usernameMissing: (): TokenError =>
    new TokenError(400, { code: 51, error: 'invalid_request', error_description: 'username is missing' }),
  passwordMissing: (): TokenError =>
    new TokenError(400, { code: 52, error: 'invalid_request', error_description: 'password is missing' }),
  clientNotFound: (): TokenError =>
    new TokenError(401, { code: 61, error: 'invalid_client', error_description: 'client not found' }),
  clientIdMissing: (): TokenError =>
    new TokenError(400, { code: 62, error: 'invalid_request', error_description: 'client_id is missing' }),
  clientSecretMissing: (): TokenError =>
    new TokenError(400, { code: 63, error: 'invalid_request', error_description: 'client_secret is missing' }),
  badClientSecret: (): TokenError =>
    new TokenError(401, { code: 64, error: 'invalid_client', error_description: 'invalid client secret' }),
  grantTypeMissing: (): TokenError =>
    new TokenError(400, { code: 65, error: 'invalid_request', error_description: 'grant_type is missing' }),
  // docs/concur-api.md#token-endpoint-errors; 65 with RFC 6749's error name.
  unsupportedGrant: (): TokenError =>
    new TokenError(400, { code: 65, error: 'unsupported_grant_type', error_description: 'grant_type is not supported' }),
  refreshTokenMissing: (): TokenError =>
    new TokenError(400, { code: 106, error: 'invalid_request', error_description: 'refresh_token is missing' }),
  badRefreshToken: (): TokenError =>
    new TokenError(400, { code: 108, error: 'invalid_grant', error_description: 'invalid or expired refresh token' }),
  badCredtype: (): TokenError =>
    new TokenError(400, { code: 120, error: 'invalid_request', error_description: 'credtype is invalid' }),
  unsupportedFormat: (): TokenError =>
    new TokenError(400, { code: 135, error: 'invalid_request', error_description: 'unsupported request format; send application/x-www-form-urlencoded' }),
} as const;

/**
 * The legacy XML error body (docs/concur-api.md#error-bodies): `<Error><Message/><Server-Time/><Id/></Error>`, no namespace,
 * Server-Time without an offset.
 */
export function xmlErrorBody(message: string, nowMs: number): string {
  const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return (
    `<Error>\n  <Message>${escape(message)}</Message>\n  <Server-Time>${formatServerTime(nowMs)}</Server-Time>\n` +
    `  <Id>${randomUUID().toUpperCase()}</Id>\n</Error>`
  );
}

/** SCIM error (RFC 7644 §3.12) as Identity v4.1 answers: status is a STRING. */
export interface ScimErrorBody {
  readonly schemas: readonly string[];
  readonly status: string;
  readonly scimType?: string;
  readonly detail: string;
}

export function scimErrorBody(status: number, detail: string, scimType?: string): ScimErrorBody {
  return {
    schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
    status: String(status),
    ...(scimType === undefined ? {} : { scimType }),
    detail,
  };
}

/** The v4 ErrorMessage (List v4, List Item v4 and Attendee Types v4): httpStatus is "<code> - <reason>". */
export interface V4ErrorBody {
  readonly timestamp: string;
  readonly httpStatus: string;
  readonly error: { readonly id: string; readonly message: string };
  readonly path: string;
}

const V4_REASONS: Readonly<Record<number, [string, string]>> = {
  400: ['Bad Request', 'bad.request'],
  401: ['Unauthorized', 'access.denied'],
  403: ['Forbidden', 'forbidden'],
  404: ['Not Found', 'not.found'],
  405: ['Method Not Allowed', 'method.not.allowed'],
  410: ['Gone', 'gone'],
  429: ['Too Many Requests', 'too.many.requests'],
  500: ['Internal Server Error', 'internal.error'],
  503: ['Service Unavailable', 'service.unavailable'],
};

export function v4ErrorBody(status: number, message: string, nowMs: number, path: string): V4ErrorBody {
  const [reason, id] = V4_REASONS[status] ?? ['Error', 'error'];
  return { timestamp: new Date(nowMs).toISOString().replace('Z', '+00:00'), httpStatus: `${status} - ${reason}`, error: { id, message }, path };
}

/**
 * The ErrorMessage of Attendees v4 and Expense Configuration v4: errorId, errorMessage, httpStatus ("<code>
 * <reason>"), path, timestamp, and validationErrors when a parameter failed validation.
 */
export interface V4MessageBody {
  readonly errorId: string;
  readonly errorMessage: string;
  readonly httpStatus: string;
  readonly path: string;
  readonly timestamp: string;
  readonly validationErrors?: readonly { readonly id: string; readonly source: string; readonly message: string }[];
}

export function v4MessageBody(status: number, message: string, nowMs: number, path: string, source?: string): V4MessageBody {
  const [reason] = V4_REASONS[status] ?? ['Error'];
  return {
    errorId: randomUUID(),
    errorMessage: message,
    httpStatus: `${status} ${reason}`,
    path,
    timestamp: new Date(nowMs).toISOString(),
    ...(source === undefined ? {} : { validationErrors: [{ id: randomUUID(), source, message }] }),
  };
}

/** An error a v4 route raises, with the parameter that failed validation when there is one. */
export class V4Refusal extends ApiError {
  constructor(
    status: number,
    message: string,
    readonly source?: string,
  ) {
    super(status, message);
  }
}
