import type { Directory, Principal } from '../auth/principals.js';
import { GRANTED_SCOPES, type TokenStore } from '../auth/tokens.js';
import { TOKEN_ERRORS, TokenError } from '../errors.js';
import type { FaultEngine } from '../faults.js';
import type { Stats } from '../request-log.js';
import type { RequestContext, Route, RouteResult } from '../route.js';
import type { Topology } from '../topology.js';

export interface TokenDeps {
  readonly directory: Directory;
  readonly tokens: TokenStore;
  readonly faults: FaultEngine;
  readonly stats: Stats;
  readonly topology: Topology;
}

/** The token response (docs/concur-api.md#token-response-fields): expires_in is a STRING as in the reference samples. */
export interface TokenResponse {
  readonly access_token: string;
  readonly token_type: 'Bearer';
  readonly expires_in: string;
  readonly refresh_token: string;
  readonly refresh_expires_in: number;
  readonly scope: string;
  readonly id_token: string;
  readonly geolocation: string;
}

/** POST /oauth2/v0/token: password (credtype password|authtoken) and refresh_token grants. */
export function tokenRoutes(deps: TokenDeps): Route[] {
  return [
    {
      method: 'POST',
      pattern: '/oauth2/v0/token',
      kind: 'token',
      format: 'json',
      handle: async (ctx) => {
        try {
          return await issueToken(deps, ctx);
        } catch (error) {
          if (error instanceof TokenError) return { kind: 'json', status: error.status, body: error.body, headers: { 'cache-control': 'no-store' } };
          throw error;
        }
      },
    },
  ];
}

async function issueToken(deps: TokenDeps, ctx: RequestContext): Promise<RouteResult> {
  const contentType = ctx.headers['content-type'];
  if (contentType !== undefined && !contentType.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    throw TOKEN_ERRORS.unsupportedFormat();
  }
  const form = new URLSearchParams((await ctx.readBody()).toString('utf8'));
  const field = (name: string): string | undefined => {
    const value = form.get(name);
    return value === null || value === '' ? undefined : value;
  };

  const grantType = field('grant_type');
  if (grantType === undefined) throw TOKEN_ERRORS.grantTypeMissing();
  const clientId = field('client_id');
  if (clientId === undefined) throw TOKEN_ERRORS.clientIdMissing();
  const clientSecret = field('client_secret');
  if (clientSecret === undefined) throw TOKEN_ERRORS.clientSecretMissing();
  const client = deps.directory.checkClient(clientId, clientSecret);
  if (client === 'unknown') throw TOKEN_ERRORS.clientNotFound();
  if (client === 'bad-secret') throw TOKEN_ERRORS.badClientSecret();

  if (grantType === 'password') {
    const username = field('username');
    if (username === undefined) throw TOKEN_ERRORS.usernameMissing();
    const password = field('password');
    if (password === undefined) throw TOKEN_ERRORS.passwordMissing();
    const credtype = field('credtype') ?? 'password';
    if (credtype !== 'password' && credtype !== 'authtoken') throw TOKEN_ERRORS.badCredtype();
    ctx.noteIdentity(null, `password/${credtype}`);
    const principal = credtype === 'password' ? deps.directory.userByLogin(username) : deps.directory.companyFor(username);
    if (principal === undefined) throw TOKEN_ERRORS.badCredentials();
    // --geo-redirect: every identity "lives" in the secondary data center (docs/concur-api.md#token-hosts-and-code-16).
    const secondary = deps.topology.secondary;
    if (secondary !== null && ctx.listener.name === 'primary') throw TOKEN_ERRORS.livesElsewhere(secondary.baseUrl);
    const valid =
      credtype === 'password' ? deps.directory.passwordMatches(principal, password) : deps.directory.companyTokenMatches(password, ctx.nowMs);
    if (!valid) throw TOKEN_ERRORS.badCredentials();
    const refreshToken = deps.tokens.issueRefresh(principal, ctx.nowMs);
    const refresh = deps.tokens.lookupRefresh(refreshToken, ctx.nowMs);
    return tokenResult(deps, ctx, principal, refreshToken, refresh?.expiresMs ?? ctx.nowMs, `password/${credtype}`);
  }

  if (grantType === 'refresh_token') {
    ctx.noteIdentity(null, 'refresh_token');
    const presented = field('refresh_token');
    if (presented === undefined) throw TOKEN_ERRORS.refreshTokenMissing();
    const grant = deps.tokens.lookupRefresh(presented, ctx.nowMs);
    if (grant === undefined) throw TOKEN_ERRORS.badRefreshToken();
    let refreshToken = presented;
    let expiresMs = grant.expiresMs;
    if (deps.faults.rotateRefresh()) {
      refreshToken = deps.tokens.rotateRefresh(presented, grant, ctx.nowMs);
      expiresMs = deps.tokens.lookupRefresh(refreshToken, ctx.nowMs)?.expiresMs ?? expiresMs;
      ctx.noteFault('rotate-refresh');
    }
    return tokenResult(deps, ctx, grant.principal, refreshToken, expiresMs, 'refresh_token');
  }

  throw TOKEN_ERRORS.unsupportedGrant();
}

function tokenResult(
  deps: TokenDeps,
  ctx: RequestContext,
  principal: Principal,
  refreshToken: string,
  refreshExpiresMs: number,
  grant: string,
): RouteResult {
  // Data calls go to the token's geolocation: the secondary listener when geo-redirect is on.
  const geolocation = deps.topology.secondary?.baseUrl ?? ctx.listener.baseUrl;
  const issued = deps.tokens.issueAccess(principal, ctx.nowMs, geolocation);
  ctx.noteIdentity(principal.logLabel, grant);
  deps.stats.tokenIssued(grant === 'refresh_token');
  const body: TokenResponse = {
    access_token: issued.token,
    token_type: 'Bearer',
    expires_in: String(Math.round((issued.expiresMs - ctx.nowMs) / 1000)),
    refresh_token: refreshToken,
    refresh_expires_in: Math.floor(refreshExpiresMs / 1000),
    scope: GRANTED_SCOPES.join(' '),
    id_token: issued.idToken,
    geolocation,
  };
  return { kind: 'json', status: 200, body, headers: { 'cache-control': 'no-store', pragma: 'no-cache' } };
}
