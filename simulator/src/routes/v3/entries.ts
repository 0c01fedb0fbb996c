import type { RequestContext, Route } from '../../route.js';
import { entryRecord, entryCore, paymentTypeId, type EntryCore } from '../../tenant/entries.js';
import { entryRef, reportIndex } from '../../tenant/keys.js';
import { NO_REPORTS, allReports, oneReport, pageEntries, type ReportRange } from '../../tenant/listing.js';
import type { Tenant } from '../../tenant/tenant.js';
import {
  V3,
  booleanParam,
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

/** GET /api/v3.0/expense/entries and /entries/{id} (Expense Entries v3). */
export function entryRoutes(deps: V3Deps): Route[] {
  const t = deps.tenant;
  return [
    {
      method: 'GET',
      pattern: `${V3}/expense/entries`,
      kind: 'data',
      format: 'json',
      handle: (ctx) => {
        const limit = pageLimit(ctx, deps);
        const start = startPosition(ctx, deps, 'entries', 2);
        const owner = listOwnerScope(ctx, deps);
        const accept = entryFilter(ctx, t);
        const range = reportRange(ctx, t, (r) => ownerMatches(owner, t.owner(r)));
        const page = pageEntries(t, range, start, limit, accept, (core) => entryRecord(t, core, ctx.requestBase));
        return listResult(ctx, deps, 'entries', page);
      },
    },
    {
      method: 'GET',
      pattern: `${V3}/expense/entries/{id}`,
      kind: 'data',
      format: 'json',
      handle: (ctx) => {
        const id = ctx.params['id'] ?? '';
        const owner = detailOwnerScope(ctx, deps);
        const ref = entryRef(t, id);
        if (ref === undefined || !ownerMatches(owner, t.owner(ref.r))) throw notFound('expense entry', id);
        return itemResult('entries', entryRecord(t, entryCore(t, ref.r, ref.k), ctx.requestBase));
      },
    },
  ];
}

/** `reportID` narrows the scan to one report (unknown id → nothing). */
export function reportRange(ctx: RequestContext, t: Tenant, accept: (r: number) => boolean): ReportRange {
  const reportIdParam = ctx.query.get('reportID');
  if (reportIdParam === undefined || reportIdParam === '') return allReports(t, accept);
  const r = reportIndex(t, reportIdParam);
  return r === undefined ? NO_REPORTS : oneReport(r, accept);
}

function entryFilter(ctx: RequestContext, t: Tenant): (e: EntryCore) => boolean {
  const tests: ((e: EntryCore) => boolean)[] = [];
  const expenseType = ctx.query.get('expenseTypeCode')?.toUpperCase();
  if (expenseType !== undefined && expenseType !== '') tests.push((e) => e.type.code === expenseType);
  const hasAttendees = booleanParam(ctx, 'hasAttendees');
  if (hasAttendees !== undefined) tests.push((e) => e.attendeeLinks > 0 === hasAttendees);
  const isBillable = booleanParam(ctx, 'isBillable');
  if (isBillable !== undefined) tests.push((e) => e.isBillable === isBillable);
  const hasVat = booleanParam(ctx, 'hasVAT');
  if (hasVat !== undefined) tests.push((e) => e.hasVat === hasVat);
  const paymentType = ctx.query.get('paymentTypeID');
  if (paymentType !== undefined && paymentType !== '') tests.push((e) => paymentTypeId(t, e.payment) === paymentType);
  return (e) => tests.every((test) => test(e));
}
