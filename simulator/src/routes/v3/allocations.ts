import { ApiError } from '../../errors.js';
import type { Route } from '../../route.js';
import { allocationRecord, allocationShares } from '../../tenant/allocations.js';
import { entryCore, itemizationCount, type EntryCore } from '../../tenant/entries.js';
import { childRef, entryRef, type EntryRef } from '../../tenant/keys.js';
import { NO_REPORTS, oneReport, pageChildren } from '../../tenant/listing.js';
import {
  ALL_OWNERS,
  NO_OWNER,
  V3,
  detailOwnerScope,
  hasAdminRole,
  itemResult,
  listResult,
  notFound,
  ownerMatches,
  pageLimit,
  principalOf,
  startPosition,
  type V3Deps,
} from './common.js';
import { reportRange } from './entries.js';

/**
 * GET /api/v3.0/expense/allocations and /allocations/{id} (Allocations v3). Allocations
 * belong to entries; `itemizationID` selects the allocations of that itemization's entry.
 */
export function allocationRoutes(deps: V3Deps): Route[] {
  const t = deps.tenant;
  return [
    {
      method: 'GET',
      pattern: `${V3}/expense/allocations`,
      kind: 'data',
      format: 'json',
      handle: (ctx) => {
        // docs/concur-api.md#the-user-parameter: the reference says `user` is not supported on the list call.
        if (ctx.query.get('user') !== undefined) {
          throw new ApiError(400, "The 'user' parameter is not supported when listing allocations. Filter by reportID or entryID instead.");
        }
        const limit = pageLimit(ctx, deps);
        const start = startPosition(ctx, deps, 'allocations', 3);
        // Visible: every allocation for an admin, otherwise those of the token user's reports.
        const owner = hasAdminRole(ctx, deps) ? ALL_OWNERS : (principalOf(ctx).userIndex ?? NO_OWNER);
        const ownerTest = (r: number): boolean => ownerMatches(owner, t.owner(r));
        let range = reportRange(ctx, t, ownerTest);
        let acceptEntry = (_e: EntryCore): boolean => true;
        // entryID / itemizationID narrow to one entry; ids that do not exist (or disagree) match nothing.
        const targets: (EntryRef | undefined)[] = [];
        const entryIdParam = ctx.query.get('entryID');
        if (entryIdParam !== undefined && entryIdParam !== '') targets.push(entryRef(t, entryIdParam));
        const itemizationIdParam = ctx.query.get('itemizationID');
        if (itemizationIdParam !== undefined && itemizationIdParam !== '') targets.push(itemizationEntry(deps, itemizationIdParam));
        for (const ref of targets) {
          if (ref === undefined || ref.r < range.from || ref.r >= range.to) {
            range = NO_REPORTS;
            continue;
          }
          range = oneReport(ref.r, ownerTest);
          const previous = acceptEntry;
          acceptEntry = (e) => previous(e) && e.k === ref.k;
        }
        const page = pageChildren(
          t,
          range,
          start,
          limit,
          acceptEntry,
          (e) => allocationShares(t, e),
          () => true,
          (e, share, a) => allocationRecord(t, e, a, share, ctx.requestBase),
        );
        return listResult(ctx, deps, 'allocations', page);
      },
    },
    {
      method: 'GET',
      pattern: `${V3}/expense/allocations/{id}`,
      kind: 'data',
      format: 'json',
      handle: (ctx) => {
        const id = ctx.params['id'] ?? '';
        const explicitUser = ctx.query.get('user') !== undefined;
        const owner = explicitUser ? detailOwnerScope(ctx, deps) : hasAdminRole(ctx, deps) ? ALL_OWNERS : detailOwnerScope(ctx, deps);
        const ref = childRef(t, 'allocationIds', id);
        if (ref === undefined || !ownerMatches(owner, t.owner(ref.r))) throw notFound('allocation', id);
        const core = entryCore(t, ref.r, ref.k);
        const share = allocationShares(t, core)[ref.s];
        if (share === undefined) throw notFound('allocation', id);
        return itemResult('allocations', allocationRecord(t, core, ref.s, share, ctx.requestBase));
      },
    },
  ];
}

function itemizationEntry(deps: V3Deps, id: string): EntryRef | undefined {
  const ref = childRef(deps.tenant, 'itemizationIds', id);
  if (ref === undefined) return undefined;
  return ref.s < itemizationCount(entryCore(deps.tenant, ref.r, ref.k)) ? { r: ref.r, k: ref.k } : undefined;
}
