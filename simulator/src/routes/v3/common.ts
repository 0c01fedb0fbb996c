import type { Principal } from '../../auth/principals.js';
import { ApiError } from '../../errors.js';
import type { FaultEngine } from '../../faults.js';
import { decodeOffset, encodeOffset, nextPageUrl, parseLimit } from '../../paging.js';
import type { CollectionName, RequestContext, RouteResult } from '../../route.js';
import type { Page } from '../../tenant/listing.js';
import type { Tenant } from '../../tenant/tenant.js';

export interface V3Deps {
  readonly tenant: Tenant;
  readonly faults: FaultEngine;
  /** --max-limit: larger `limit` values are clamped (docs/concur-api.md#v3-page-size). */
  readonly maxLimit: number;
}

/** Owner scope of a request: a user index, every owner, or nobody (unknown login, company token). */
export const ALL_OWNERS = -1;
export const NO_OWNER = -2;

export const V3 = '/api/v3.0';

export function principalOf(ctx: RequestContext): Principal {
  if (ctx.principal === null) throw new Error('data route reached without an authenticated principal');
  return ctx.principal;
}

/** Web Services Administrator role of the token's user; the deny-admin fault removes it. */
export function hasAdminRole(ctx: RequestContext, deps: { readonly faults: FaultEngine }): boolean {
  if (!principalOf(ctx).isAdmin) return false;
  if (deps.faults.denyAdmin(ctx.path)) {
    ctx.noteFault('deny-admin');
    return false;
  }
  return true;
}

export function requireAdminRole(ctx: RequestContext, deps: { readonly faults: FaultEngine }): void {
  if (!hasAdminRole(ctx, deps)) {
    // docs/concur-api.md#the-user-parameter: role hint for a 403 on user=.
    throw new ApiError(
      403,
      "The 'user' parameter requires the Web Services Administrator role (Professional) or Can Administer (Standard). The user of this access token does not have it.",
    );
  }
}

/**
 * Lists: no `user` = the token user's own records; `ALL` = every owner; a login = that owner.
 * Any `user` value needs the admin role (docs/concur-api.md#the-user-parameter).
 */
export function listOwnerScope(ctx: RequestContext, deps: V3Deps): number {
  const user = ctx.query.get('user');
  const principal = principalOf(ctx);
  if (user === undefined) return principal.userIndex ?? NO_OWNER;
  requireAdminRole(ctx, deps);
  if (user.toUpperCase() === 'ALL') return ALL_OWNERS;
  return deps.tenant.userByLogin(user) ?? NO_OWNER;
}

/**
 * Single resources: `user` must name the owner when the token user is not the owner;
 * `user=ALL` is rejected (docs/concur-api.md#v3-single-resources).
 */
export function detailOwnerScope(ctx: RequestContext, deps: V3Deps): number {
  const user = ctx.query.get('user');
  const principal = principalOf(ctx);
  if (user === undefined) return principal.userIndex ?? NO_OWNER;
  if (user.toUpperCase() === 'ALL') {
    throw new ApiError(400, "The 'user' parameter cannot be ALL for a single resource. Pass the owner's login ID.");
  }
  requireAdminRole(ctx, deps);
  return deps.tenant.userByLogin(user) ?? NO_OWNER;
}

export function ownerMatches(scope: number, owner: number): boolean {
  return scope === ALL_OWNERS || scope === owner;
}

export function notFound(what: string, id: string): ApiError {
  return new ApiError(404, `The ${what} '${id}' was not found for this user.`);
}

/** Scan position from `offset` (opaque token, docs/concur-api.md#v3-paging-nextpage), or the start. */
export function startPosition(ctx: RequestContext, deps: V3Deps, collection: CollectionName, arity: number): number[] {
  const raw = ctx.query.get('offset');
  if (raw === undefined || raw === '') return new Array<number>(arity).fill(0);
  return decodeOffset(deps.tenant.seed, collection, arity, raw);
}

export function pageLimit(ctx: RequestContext, deps: V3Deps, defaultLimit?: number): number {
  return parseLimit(ctx.query.get('limit'), deps.maxLimit, defaultLimit);
}

/** `{"Items":[...],"NextPage":<absolute URL>|null}`. */
export function listResult<T>(ctx: RequestContext, deps: V3Deps, collection: CollectionName, page: Page<T>): RouteResult {
  const next =
    page.next === null
      ? null
      : nextPageUrl(ctx.requestBase, ctx.path, ctx.url.searchParams, encodeOffset(deps.tenant.seed, collection, page.next));
  return { kind: 'json', status: 200, body: { Items: page.items, NextPage: next }, items: { collection, count: page.items.length } };
}

export function itemResult(collection: CollectionName, record: unknown): RouteResult {
  return { kind: 'json', status: 200, body: record, items: { collection, count: 1 } };
}

/** `true`/`false` (case-insensitive) or 400 naming the parameter. */
export function booleanParam(ctx: RequestContext, name: string): boolean | undefined {
  const raw = ctx.query.get(name);
  if (raw === undefined || raw === '') return undefined;
  const value = raw.toLowerCase();
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new ApiError(400, `The '${name}' parameter must be true or false.`);
}

/** Comma-separated code list (newer docs allow `A_PEND,A_ACCO`), upper-cased. */
export function codeList(ctx: RequestContext, name: string): ReadonlySet<string> | undefined {
  const raw = ctx.query.get(name);
  if (raw === undefined || raw.trim() === '') return undefined;
  return new Set(raw.split(',').map((c) => c.trim().toUpperCase()).filter((c) => c !== ''));
}
