import type { FaultEngine } from '../faults.js';
import { decodeOffset, encodeOffset, nextPageUrl } from '../paging.js';
import { ApiError, V4Refusal } from '../errors.js';
import type { RequestContext, Route, RouteResult } from '../route.js';
import { attendeeV4Count, attendeeV4Record, userByUuid } from '../tenant/attendees-v4.js';
import type { Tenant } from '../tenant/tenant.js';
import { hasAdminRole, principalOf } from './v3/common.js';

export interface AttendeesV4Deps {
  readonly tenant: Tenant;
  readonly faults: FaultEngine;
}

const DEFAULT_LIMIT = 25;
const MAX_LIMIT = 100;
const MAX_EXTERNAL_IDS = 10;
function limitOf(ctx: RequestContext): number {
  const raw = ctx.query.get('limit');
  if (raw === undefined || raw === '') return DEFAULT_LIMIT;
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_LIMIT) throw new V4Refusal(400, `limit must be an integer from 1 to ${MAX_LIMIT}.`, 'limit');
  return Number(raw);
}

/**
 * GET /v4/attendees (Attendees v4): one owner's attendees. `userId` (an Identity v4.1 user id) names the owner and
 * needs the Web Services Administrator role (a company token has it; a user token without it gets 403); without
 * it, the token user's own (a company token owns none). `limit` 1 to 100 (default 25), `offset` an opaque position
 * bound to the owner, `nextPage` the absolute URI of the next page, absent on the last. `attendeeTypeCode` and
 * `externalId` (up to 10, comma-separated) filter. Deleted attendees are never listed; the by-id forms are not
 * simulated. Errors, injected faults included, are SAP's ErrorMessage of Attendees v4.
 */
export function attendeesV4Routes(deps: AttendeesV4Deps): Route[] {
  const t = deps.tenant;
  const list = (ctx: RequestContext): RouteResult => {
    const principal = principalOf(ctx);
    const userId = ctx.query.get('userId');
    let owner: number | undefined;
    if (userId !== undefined && userId !== '') {
      if (!hasAdminRole(ctx, deps)) {
        throw new V4Refusal(403, 'The userId parameter requires the Web Services Administrator role (Professional) or Can Administer permission (Standard).');
      }
      owner = userByUuid(t, userId);
      if (owner === undefined) throw new V4Refusal(404, `No user ${userId.slice(0, 64)} was found.`);
    } else {
      owner = principal.userIndex ?? undefined;
    }
    const limit = limitOf(ctx);
    const rawOffset = ctx.query.get('offset');
    let start = 0;
    if (rawOffset !== undefined && rawOffset !== '') {
      let position: number[];
      try {
        position = decodeOffset(t.seed, 'attendees_v4', 2, rawOffset);
      } catch (error) {
        if (error instanceof ApiError) throw new V4Refusal(400, 'The offset is not valid for this request. Follow nextPage as returned.', 'offset');
        throw error;
      }
      if (position[0] !== (owner ?? -1)) throw new V4Refusal(400, 'The offset belongs to another owner. Follow nextPage as returned.', 'offset');
      start = position[1] ?? 0;
    }
    const type = ctx.query.get('attendeeTypeCode');
    const externalIds = ctx.query.get('externalId');
    const wanted = externalIds === undefined || externalIds === '' ? undefined : new Set(externalIds.split(',').map((s) => s.trim()));
    if (wanted !== undefined && wanted.size > MAX_EXTERNAL_IDS) throw new V4Refusal(400, `externalId accepts at most ${MAX_EXTERNAL_IDS} values.`, 'externalId');
    const all: Record<string, unknown>[] = [];
    if (owner !== undefined) {
      for (let j = 0; j < attendeeV4Count(t, owner); j++) {
        const record = attendeeV4Record(t, owner, j, ctx.requestBase);
        if (type !== undefined && type !== '' && record['attendeeTypeCode'] !== type) continue;
        if (wanted !== undefined && !wanted.has(String(record['externalId']))) continue;
        all.push(record);
      }
    }
    const items = all.slice(start, start + limit);
    const body: Record<string, unknown> = { items };
    if (start + limit < all.length) {
      body['nextPage'] = nextPageUrl(ctx.requestBase, ctx.path, ctx.url.searchParams, encodeOffset(t.seed, 'attendees_v4', [owner ?? -1, start + limit]));
    }
    return { kind: 'json', status: 200, body, items: { collection: 'attendees_v4', count: items.length } };
  };
  return [
    {
      method: 'GET',
      pattern: '/v4/attendees',
      kind: 'data',
      format: 'json',
      errors: 'v4-message',
      handle: list,
    },
  ];
}
