import { randomBytes, randomUUID } from 'node:crypto';
import { DAY_MS } from '../format.js';
import type { Principal } from './principals.js';

/** Access token lifetime is --token-ttl; refresh tokens live 6 months (docs/concur-api.md#token-lifetimes-and-refresh). */
export const REFRESH_LIFETIME_MS = 180 * DAY_MS;

/** Scopes granted to the simulated app (space-separated in the token response). */
export const GRANTED_SCOPES = [
  'openid', 'EXPRPT', 'ITINER', 'EXTRCT', 'LIST', 'IMAGE', 'CONFIG', 'ATTEND', 'CCARD', 'USER',
  'expense.report.read', 'expense.report.readwrite', 'travel.itinerary.read', 'identity.user.core.read',
];

export interface AccessGrant {
  readonly principal: Principal;
  readonly expiresMs: number;
  /** Data requests this token has been accepted for (token-expiry fault). */
  uses: number;
}

export interface RefreshGrant {
  readonly principal: Principal;
  readonly expiresMs: number;
}

export interface IssuedAccess {
  readonly token: string;
  readonly idToken: string;
  readonly expiresMs: number;
}

/** Issued tokens live in memory for the life of the process. */
export class TokenStore {
  private readonly access = new Map<string, AccessGrant>();
  private readonly refresh = new Map<string, RefreshGrant>();

  constructor(
    private readonly ttlSeconds: number,
    private readonly companyId: string,
  ) {}

  issueAccess(principal: Principal, nowMs: number, issuer: string): IssuedAccess {
    if (this.access.size > 50_000) this.pruneAccess(nowMs);
    const expiresMs = nowMs + this.ttlSeconds * 1000;
    const claims = {
      'concur.version': 3,
      'concur.type': principal.kind,
      'concur.company': this.companyId,
      'concur.scopes': GRANTED_SCOPES,
      sub: principal.subject,
      iss: issuer,
      aud: '*',
      iat: Math.floor(nowMs / 1000),
      nbf: Math.floor(nowMs / 1000),
      exp: Math.floor(expiresMs / 1000),
      jti: randomUUID(), // unique per issue
    };
    const token = jwtLike(claims, 64);
    this.access.set(token, { principal, expiresMs, uses: 0 });
    const idToken = jwtLike({ sub: principal.subject, 'concur.type': principal.kind, iss: issuer, aud: '*', iat: claims.iat, exp: claims.exp, nonce: randomUUID() }, 32);
    return { token, idToken, expiresMs };
  }

  lookupAccess(token: string): AccessGrant | undefined {
    return this.access.get(token);
  }

  /** A new opaque refresh token (UUID-like, docs/concur-api.md#token-response-fields). */
  issueRefresh(principal: Principal, nowMs: number): string {
    const token = randomUUID();
    this.refresh.set(token, { principal, expiresMs: nowMs + REFRESH_LIFETIME_MS });
    return token;
  }

  /** Register a refresh token chosen by the operator (--refresh-token). */
  registerRefresh(token: string, principal: Principal, nowMs: number): void {
    this.refresh.set(token, { principal, expiresMs: nowMs + REFRESH_LIFETIME_MS });
  }

  /** A valid, unexpired refresh grant, or undefined (→ code 108). */
  lookupRefresh(token: string, nowMs: number): RefreshGrant | undefined {
    const grant = this.refresh.get(token);
    return grant !== undefined && grant.expiresMs > nowMs ? grant : undefined;
  }

  /** rotate-refresh: a new refresh token replaces the old one, which stops working. */
  rotateRefresh(old: string, grant: RefreshGrant, nowMs: number): string {
    this.refresh.delete(old);
    return this.issueRefresh(grant.principal, nowMs);
  }

  private pruneAccess(nowMs: number): void {
    for (const [token, grant] of this.access) if (grant.expiresMs <= nowMs) this.access.delete(token);
  }
}

function jwtLike(payload: object, signatureBytes: number): string {
  const header = { typ: 'JWT', alg: 'RS256', kid: 'concur-simulator' };
  const encode = (value: object): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
  return `${encode(header)}.${encode(payload)}.${randomBytes(signatureBytes).toString('base64url')}`;
}
