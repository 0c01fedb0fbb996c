import type { Route } from '../../route.js';
import { associationLinks, associationRecord } from '../../tenant/associations.js';
import { entryCore, type EntryCore } from '../../tenant/entries.js';
import { childRef, entryRef } from '../../tenant/keys.js';
import { NO_REPORTS, allReports, oneReport, pageChildren } from '../../tenant/listing.js';
import {
  V3,
  detailOwnerScope,
  itemResult,
  listOwnerScope,
  listResult,
  notFound,
  ownerMatches,
  pageLimit,
  startPosition,
  type V3Deps,
} from './common.js';

/** GET /api/v3.0/expense/entryattendeeassociations and /{id} (Expense Entry Attendee v3). */
export function associationRoutes(deps: V3Deps): Route[] {
  const t = deps.tenant;
  return [
    {
      method: 'GET',
      pattern: `${V3}/expense/entryattendeeassociations`,
      kind: 'data',
      format: 'json',
      handle: (ctx) => {
        const limit = pageLimit(ctx, deps);
        const start = startPosition(ctx, deps, 'entry_attendee_associations', 3);
        const owner = listOwnerScope(ctx, deps);
        const ownerTest = (r: number): boolean => ownerMatches(owner, t.owner(r));
        let range = allReports(t, ownerTest);
        let acceptEntry = (e: EntryCore): boolean => e.attendeeLinks > 0;
        const entryIdParam = ctx.query.get('entryID');
        if (entryIdParam !== undefined && entryIdParam !== '') {
          const ref = entryRef(t, entryIdParam);
          range = ref === undefined ? NO_REPORTS : oneReport(ref.r, ownerTest);
          acceptEntry = (e) => e.attendeeLinks > 0 && e.k === ref?.k;
        }
        const page = pageChildren(
          t,
          range,
          start,
          limit,
          acceptEntry,
          (e) => associationLinks(t, e),
          () => true,
          (e, link, j) => associationRecord(t, e, j, link, ctx.requestBase),
        );
        return listResult(ctx, deps, 'entry_attendee_associations', page);
      },
    },
    {
      method: 'GET',
      pattern: `${V3}/expense/entryattendeeassociations/{id}`,
      kind: 'data',
      format: 'json',
      handle: (ctx) => {
        const id = ctx.params['id'] ?? '';
        const owner = detailOwnerScope(ctx, deps);
        const ref = childRef(t, 'associationIds', id);
        if (ref === undefined || !ownerMatches(owner, t.owner(ref.r))) throw notFound('entry-attendee association', id);
        const core = entryCore(t, ref.r, ref.k);
        const link = associationLinks(t, core)[ref.s];
        if (link === undefined) throw notFound('entry-attendee association', id);
        return itemResult('entry_attendee_associations', associationRecord(t, core, ref.s, link, ctx.requestBase));
      },
    },
  ];
}
