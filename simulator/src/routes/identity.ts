import { ApiError } from '../errors.js';
import { decodeOffset, encodeOffset } from '../paging.js';
import type { Route, RouteResult } from '../route.js';
import { scimUser } from '../tenant/identity.js';
import type { Tenant } from '../tenant/tenant.js';
import { principalOf } from './v3/common.js';

export interface IdentityDeps {
  readonly tenant: Tenant;
  readonly companyId: string;
}

const BASE = '/profile/identity/v4.1/Users';
const DEFAULT_COUNT = 100;
const MAX_COUNT = 1000;
const SCIM_JSON = 'application/scim+json; charset=utf-8';

/**
 * Identity v4.1 (SCIM): every tenant user (admin, user1…userN) in index order. `count` (default 100, at most
 * 1000) and `cursor` paging: `nextCursor` (opaque) on every page but the last. Company-level tokens only: a
 * user token gets 403 with a SCIM error body. Errors are SCIM errors.
 */
export function identityRoutes(deps: IdentityDeps): Route[] {
  const t = deps.tenant;
  const requireCompany = (ctx: Parameters<Route['handle']>[0]): void => {
    if (principalOf(ctx).kind !== 'company') {
      throw new ApiError(403, 'Identity v4.1 accepts a company level access token only (credtype=authtoken); this is a user token.');
    }
  };
  const scim = (body: unknown, count: number): RouteResult => ({
    kind: 'json',
    status: 200,
    body,
    headers: { 'content-type': SCIM_JSON },
    items: { collection: 'identity_users', count },
  });
  return [
    {
      method: 'GET',
      pattern: BASE,
      kind: 'data',
      format: 'json',
      errors: 'scim',
      api: 'identity',
      handle: (ctx) => {
        requireCompany(ctx);
        const rawCount = ctx.query.get('count');
        if (rawCount !== undefined && rawCount !== '' && !/^\d{1,9}$/.test(rawCount)) {
          throw new ApiError(400, "The 'count' parameter must be a non-negative integer.");
        }
        const count = Math.min(MAX_COUNT, rawCount === undefined || rawCount === '' ? DEFAULT_COUNT : Number(rawCount));
        const cursor = ctx.query.get('cursor');
        let start = 0;
        if (cursor !== undefined && cursor !== '') {
          try {
            start = decodeOffset(t.seed, 'identity_users', 1, cursor)[0] ?? 0;
          } catch {
            throw new ApiError(400, 'The cursor is not valid. Pass nextCursor as returned.');
          }
        }
        const end = Math.min(t.users.length, start + count);
        const resources: unknown[] = [];
        for (let u = start; u < end; u++) resources.push(scimUser(t, u, ctx.requestBase, deps.companyId));
        const body: Record<string, unknown> = {
          schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
          totalResults: t.users.length,
          startIndex: start + 1,
          itemsPerPage: resources.length,
          Resources: resources,
        };
        if (end < t.users.length && count > 0) body['nextCursor'] = encodeOffset(t.seed, 'identity_users', [end]);
        return scim(body, resources.length);
      },
    },
    {
      method: 'GET',
      pattern: `${BASE}/{id}`,
      kind: 'data',
      format: 'json',
      errors: 'scim',
      api: 'identity',
      handle: (ctx) => {
        requireCompany(ctx);
        const id = (ctx.params['id'] ?? '').toLowerCase();
        const user = t.users[t.memo('userById', () => new Map(t.users.map((u) => [u.id, u.index]))).get(id) ?? -1];
        if (user === undefined) throw new ApiError(404, `User ${id.slice(0, 64)} not found.`);
        return scim(scimUser(t, user.index, ctx.requestBase, deps.companyId), 1);
      },
    },
  ];
}
