import { ApiError } from '../../errors.js';
import type { Route } from '../../route.js';
import { attendeeIndex, attendeeTypeId, attendeeTypeIndex, attendeeVisibleTo, buildAttendee } from '../../tenant/attendees.js';
import { pageIndexes } from '../../tenant/listing.js';
import {
  ALL_OWNERS,
  NO_OWNER,
  V3,
  detailOwnerScope,
  itemResult,
  listOwnerScope,
  listResult,
  notFound,
  pageLimit,
  startPosition,
  type V3Deps,
} from './common.js';

/**
 * GET /api/v3.0/expense/attendees and /attendees/{id} (Attendees v3, deprecated 2025-07).
 * Visible to a user: shared attendees plus the user's own. `user=ALL` is not documented
 * here (docs/concur-api.md#the-user-parameter); the simulator accepts it for admins and returns every attendee.
 */
export function attendeeRoutes(deps: V3Deps): Route[] {
  const t = deps.tenant;
  const visible = (a: number, owner: number): boolean =>
    owner === ALL_OWNERS || attendeeVisibleTo(t, a, owner === NO_OWNER ? null : owner);
  return [
    {
      method: 'GET',
      pattern: `${V3}/expense/attendees`,
      kind: 'data',
      format: 'json',
      api: 'attendees',
      handle: (ctx) => {
        const limit = pageLimit(ctx, deps);
        const start = startPosition(ctx, deps, 'attendees', 1);
        const owner = listOwnerScope(ctx, deps);
        const externalIds = ctx.query.get('externalID');
        const wanted = externalIds === undefined || externalIds === '' ? undefined : new Set(externalIds.split(',').map((s) => s.trim()));
        if (wanted !== undefined && wanted.size > 10) throw new ApiError(400, "The 'externalID' parameter accepts at most 10 values.");
        const typeId = ctx.query.get('attendeeTypeID');
        const accept = (a: number): boolean => {
          if (!visible(a, owner)) return false;
          if (typeId !== undefined && typeId !== '' && attendeeTypeId(t, attendeeTypeIndex(t, a)) !== typeId) return false;
          if (wanted !== undefined) {
            const external = buildAttendee(t, a, '').ExternalID;
            if (external === null || !wanted.has(external)) return false;
          }
          return true;
        };
        const page = pageIndexes(t.attendeeCount, start, limit, accept, (a) => buildAttendee(t, a, ctx.requestBase));
        return listResult(ctx, deps, 'attendees', page);
      },
    },
    {
      method: 'GET',
      pattern: `${V3}/expense/attendees/{id}`,
      kind: 'data',
      format: 'json',
      api: 'attendees',
      handle: (ctx) => {
        const id = ctx.params['id'] ?? '';
        const owner = detailOwnerScope(ctx, deps);
        const a = attendeeIndex(t, id);
        if (a === undefined || !visible(a, owner)) throw notFound('attendee', id);
        return itemResult('attendees', buildAttendee(t, a, ctx.requestBase));
      },
    },
  ];
}
