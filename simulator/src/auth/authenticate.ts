import type { IncomingHttpHeaders } from 'node:http';
import { ApiError } from '../errors.js';
import type { FaultEngine, FaultName } from '../faults.js';
import type { Principal } from './principals.js';
import type { TokenStore } from './tokens.js';

export interface AuthSettings {
  /** Status for an unknown or expired token: 401 (modern gateway) or 403 (legacy doc), docs/concur-api.md#expired-tokens-401-or-403. */
  readonly badTokenStatus: 401 | 403;
}

/**
 * Resolve the access token of a data request. Accepts `Bearer` and the legacy `OAuth`
 * scheme (docs/concur-api.md#calling-the-data-apis). A missing header is always 401; an unknown, expired or
 * token-expiry-faulted token gets the configured status.
 */
export function authenticate(
  headers: IncomingHttpHeaders,
  tokens: TokenStore,
  faults: FaultEngine,
  settings: AuthSettings,
  path: string,
  nowMs: number,
  noteFault: (name: FaultName) => void,
): Principal {
  const challenge = { 'www-authenticate': 'Bearer realm="concur-simulator", error="invalid_token"' };
  const header = headers.authorization;
  if (header === undefined || header.trim() === '') {
    throw new ApiError(401, 'The Authorization header is missing. Send "Authorization: Bearer <access token>".', challenge);
  }
  const m = /^(?:Bearer|OAuth)\s+(\S+)\s*$/i.exec(header);
  const token = m?.[1];
  if (token === undefined) {
    throw new ApiError(401, 'The Authorization header must use the Bearer scheme: "Authorization: Bearer <access token>".', challenge);
  }
  const grant = tokens.lookupAccess(token);
  if (grant === undefined) {
    throw new ApiError(settings.badTokenStatus, 'The access token is invalid or has expired. Request a new token.', challenge);
  }
  if (grant.expiresMs <= nowMs) {
    throw new ApiError(settings.badTokenStatus, 'The access token has expired. Refresh the token and retry.', challenge);
  }
  if (faults.expireToken(path, grant.uses)) {
    noteFault('token-expiry');
    throw new ApiError(settings.badTokenStatus, 'The access token has expired. Refresh the token and retry.', challenge);
  }
  grant.uses++;
  return grant.principal;
}
