import type { Route } from '../../route.js';
import { entryCore, type EntryCore } from '../../tenant/entries.js';
import { itemizationLines, itemizationRecord, type ItemizationLine } from '../../tenant/itemizations.js';
import { childRef, entryRef } from '../../tenant/keys.js';
import { NO_REPORTS, oneReport, pageChildren } from '../../tenant/listing.js';
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
import { reportRange } from './entries.js';

/** GET /api/v3.0/expense/itemizations and /itemizations/{id} (Itemizations v3). */
export function itemizationRoutes(deps: V3Deps): Route[] {
  const t = deps.tenant;
  return [
    {
      method: 'GET',
      pattern: `${V3}/expense/itemizations`,
      kind: 'data',
      format: 'json',
      handle: (ctx) => {
        const limit = pageLimit(ctx, deps);
        const start = startPosition(ctx, deps, 'itemizations', 3);
        const owner = listOwnerScope(ctx, deps);
        const ownerTest = (r: number): boolean => ownerMatches(owner, t.owner(r));
        let range = reportRange(ctx, t, ownerTest);
        let acceptEntry = (_e: EntryCore): boolean => true;
        const entryIdParam = ctx.query.get('entryID');
        if (entryIdParam !== undefined && entryIdParam !== '') {
          const ref = entryRef(t, entryIdParam);
          // entryID and reportID together must agree, else nothing matches.
          range = ref === undefined || ref.r < range.from || ref.r >= range.to ? NO_REPORTS : oneReport(ref.r, ownerTest);
          acceptEntry = (e) => e.k === ref?.k;
        }
        const expenseType = ctx.query.get('expenseTypeCode')?.toUpperCase();
        const acceptLine = (e: EntryCore, line: ItemizationLine): boolean =>
          expenseType === undefined || expenseType === '' || (line.isTax ? 'LODTX' : e.type.code) === expenseType;
        const page = pageChildren(
          t,
          range,
          start,
          limit,
          (e) => e.nights > 0 && acceptEntry(e),
          (e) => itemizationLines(t, e),
          acceptLine,
          (e, line, i) => itemizationRecord(t, e, i, line, ctx.requestBase),
        );
        return listResult(ctx, deps, 'itemizations', page);
      },
    },
    {
      method: 'GET',
      pattern: `${V3}/expense/itemizations/{id}`,
      kind: 'data',
      format: 'json',
      handle: (ctx) => {
        const id = ctx.params['id'] ?? '';
        const owner = detailOwnerScope(ctx, deps);
        const ref = childRef(t, 'itemizationIds', id);
        if (ref === undefined || !ownerMatches(owner, t.owner(ref.r))) throw notFound('itemization', id);
        const core = entryCore(t, ref.r, ref.k);
        const line = itemizationLines(t, core)[ref.s];
        if (line === undefined) throw notFound('itemization', id);
        return itemResult('itemizations', itemizationRecord(t, core, ref.s, line, ctx.requestBase));
      },
    },
  ];
}
