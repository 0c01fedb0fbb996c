import { ApiError } from '../../errors.js';
import type { FaultEngine } from '../../faults.js';
import { parseFilterDate } from '../../format.js';
import type { CollectionName, RequestContext, RouteResult } from '../../route.js';
import type { Tenant } from '../../tenant/tenant.js';
import { hasAdminRole, principalOf } from '../v3/common.js';

/** What the legacy XML families (v1.1, v2, Extract, Itinerary, User v1) need. */
export interface XmlDeps {
  readonly tenant: Tenant;
  readonly faults: FaultEngine;
  /** --v2-list-cap: rows of the v2 report list at most (1000 like Concur). */
  readonly v2ListCap: number;
}

export const XML_CONTENT_TYPE = 'application/xml; charset=utf-8';

export function xmlResult(body: string, collection?: CollectionName, count?: number): RouteResult {
  return {
    kind: 'text',
    status: 200,
    contentType: XML_CONTENT_TYPE,
    body,
    ...(collection === undefined ? {} : { items: { collection, count: count ?? 1 } }),
  };
}

/** The token user's index, or null for a company token (which owns no user data). */
export function tokenUser(ctx: RequestContext): number | null {
  return principalOf(ctx).userIndex;
}

/** Roles named in the 403 texts (docs/concur-api.md#the-user-parameter). Never worded like an expired token. */
export const ROLE = {
  companyAdmin:
    'the Company Administrator or Web Services Administrator role (Professional) or Can Administer (Standard)',
  webServicesAdmin: 'the Web Services Administrator role (Professional) or Can Administer (Standard)',
  userAdmin:
    'the User Administrator, Employee Administrator, Web Services Administrator or Company Administrator role (Professional) or Can Administer (Standard)',
} as const;

/** 403 naming the role unless the token user holds admin rights (company tokens do; deny-admin removes them). */
export function requireRole(ctx: RequestContext, deps: { readonly faults: FaultEngine }, what: string, role: string): void {
  if (hasAdminRole(ctx, deps)) return;
  throw new ApiError(403, `${what} requires ${role}. The Concur user of this access token does not have it.`);
}

/**
 * Legacy date parameters: `YYYY-MM-DD` or `YYYY-MM-DDThh:mm:ss` (fraction allowed), also with slashes
 * (`2012/02/01`, sent URL-encoded as `2012%2F02%2F01` in the itinerary docs), read as UTC. 400 otherwise.
 */
export function dateParam(ctx: RequestContext, name: string): number | undefined {
  const raw = ctx.query.get(name);
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = raw.trim();
  const normalized = /^\d{4}\/\d{2}\/\d{2}/.test(value) ? value.slice(0, 10).replaceAll('/', '-') + value.slice(10) : value;
  const ms = parseFilterDate(normalized);
  if (ms === null) throw new ApiError(400, `The '${name}' parameter is not a valid date. Use YYYY-MM-DD or YYYY-MM-DDThh:mm:ss (UTC).`);
  return ms;
}
