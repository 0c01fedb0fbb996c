import { ApiError, scimErrorBody } from '../errors.js';
import { decodeOffset, encodeOffset } from '../paging.js';
import { hash } from '../random.js';
import type { RequestContext, Route, RouteResult } from '../route.js';
import { directoryFacts } from '../tenant/identity.js';
import { FilterError, matches, parseFilter, type DateComparison } from '../tenant/identity-search.js';
import { identityModifiedMs, scimUser } from '../tenant/scim-user.js';
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
const SEARCH_REQUEST = 'urn:ietf:params:scim:api:messages:concur:2.0:SearchRequest';
const LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

/** A SCIM error with its detail keyword (RFC 7644 §3.12), e.g. invalidFilter for a filter that cannot be run. */
class ScimError extends Error {
  constructor(
    readonly scimType: string,
    message: string,
  ) {
    super(message);
  }
}

/** A search cursor belongs to one query (the identity-search guide): it carries the filter's hash. */
function filterKey(filter: string): number {
  let h = hash(0x5ea4c, filter.length);
  for (let i = 0; i < filter.length; i++) h = hash(h, filter.charCodeAt(i));
  return h;
}

async function searchBody(ctx: RequestContext): Promise<Record<string, unknown>> {
  const text = (await ctx.readBody()).toString('utf8');
  let body: unknown;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    throw new ScimError('invalidSyntax', 'The request body is not valid JSON.');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ScimError('invalidSyntax', 'The request body must be a SearchRequest object.');
  return body as Record<string, unknown>;
}

/**
 * Identity v4.1 (SCIM): every tenant user (admin, user1…userN) in index order. `count` (default 100, at most
 * 1000) and `cursor` paging: `nextCursor` (opaque) on every page but the last. POST …/Users/.search takes the
 * same paging in a SearchRequest body with a filter (identity-search.ts says which filters it runs). Company-level
 * tokens only: a user token gets 403 with a SCIM error body. Errors are SCIM errors.
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
  const list = (users: readonly number[], start: number, count: number, base: string, next: (end: number) => string): RouteResult => {
    const end = Math.min(users.length, start + count);
    const resources: unknown[] = [];
    for (let i = start; i < end; i++) resources.push(scimUser(t, users[i] ?? 0, base, deps.companyId));
    const body: Record<string, unknown> = {
      schemas: [LIST_RESPONSE],
      totalResults: users.length,
      startIndex: start + 1,
      itemsPerPage: resources.length,
      Resources: resources,
    };
    if (end < users.length && count > 0) body['nextCursor'] = next(end);
    return scim(body, resources.length);
  };
  const matching = (filter: readonly DateComparison[]): number[] => {
    const out: number[] = [];
    for (let u = 0; u < t.users.length; u++) {
      if (filter.length === 0 || matches(filter, { createdMs: directoryFacts(t, u).createdMs, modifiedMs: identityModifiedMs(t, u) })) out.push(u);
    }
    return out;
  };
  const search = async (ctx: RequestContext): Promise<RouteResult> => {
    requireCompany(ctx);
    const body = await searchBody(ctx);
    const schemas = body['schemas'];
    if (!Array.isArray(schemas) || !schemas.includes(SEARCH_REQUEST)) throw new ScimError('invalidSyntax', `"schemas" must be ["${SEARCH_REQUEST}"].`);
    for (const name of ['attributes', 'excludedAttributes']) {
      if (body[name] !== undefined) throw new ScimError('invalidValue', `"${name}" is not supported by this simulator: it always answers whole users.`);
    }
    const filter = body['filter'] ?? '';
    if (typeof filter !== 'string') throw new ScimError('invalidFilter', '"filter" must be a string.');
    let comparisons: DateComparison[];
    try {
      comparisons = parseFilter(filter);
    } catch (error) {
      if (error instanceof FilterError) throw new ScimError('invalidFilter', error.message);
      throw error;
    }
    const rawCount = body['count'] ?? DEFAULT_COUNT;
    if (typeof rawCount !== 'number' || !Number.isInteger(rawCount) || rawCount < 1) throw new ScimError('invalidValue', '"count" must be an integer from 1 to 1000.');
    const count = Math.min(MAX_COUNT, rawCount);
    const key = filterKey(filter.trim());
    const cursor = body['cursor'];
    let start = 0;
    if (cursor !== undefined && cursor !== '') {
      const position = typeof cursor === 'string' ? safeDecode(t.seed, 'identity_search', 2, cursor) : undefined;
      if (position === undefined || position[1] !== key) throw new ScimError('invalidValue', 'The cursor is not valid for this query. Pass nextCursor as returned, with the same filter.');
      start = position[0] ?? 0;
    }
    return list(matching(comparisons), start, count, ctx.requestBase, (end) => encodeOffset(t.seed, 'identity_search', [end, key]));
  };
  return [
    {
      method: 'POST',
      pattern: `${BASE}/.search`,
      kind: 'data',
      format: 'json',
      errors: 'scim',
      api: 'identity',
      handle: async (ctx) => {
        try {
          return await search(ctx);
        } catch (error) {
          if (!(error instanceof ScimError)) throw error;
          return { kind: 'json', status: 400, body: scimErrorBody(400, error.message, error.scimType), headers: { 'content-type': SCIM_JSON } };
        }
      },
    },
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
        const all = t.users.map((user) => user.index);
        return list(all, start, count, ctx.requestBase, (end) => encodeOffset(t.seed, 'identity_users', [end]));
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

function safeDecode(seed: number, collection: string, arity: number, token: string): number[] | undefined {
  try {
    return decodeOffset(seed, collection, arity, token);
  } catch {
    return undefined;
  }
}
