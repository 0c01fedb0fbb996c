import { ApiError } from '../../errors.js';
import { parseFilterDate } from '../../format.js';
import type { RequestContext, Route } from '../../route.js';
import { reportIndex } from '../../tenant/keys.js';
import { allReports, pageReports } from '../../tenant/listing.js';
import { LIFECYCLE } from '../../tenant/reference-data.js';
import { buildReport } from '../../tenant/reports.js';
import type { Tenant } from '../../tenant/tenant.js';
import {
  V3,
  codeList,
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

/** Report date filters: `<name>After` is strictly greater, `<name>Before` strictly less (docs/concur-api.md#v3-date-filters). */
const DATE_FILTERS: readonly (readonly [string, (t: Tenant, r: number) => number])[] = [
  ['modifiedDate', (t, r) => t.modifiedMs(r)],
  ['createDate', (t, r) => t.createMs(r)],
  ['submitDate', (t, r) => t.submitMs(r)],
  ['paidDate', (t, r) => t.paidMs(r)],
  ['processingPaymentDate', (t, r) => t.processingMs(r)],
  ['userDefinedDate', (t, r) => t.userDefinedMs(r)],
];

type ReportTest = (r: number) => boolean;

/** GET /api/v3.0/expense/reports and /reports/{id} (Reports v3). */
export function reportRoutes(deps: V3Deps): Route[] {
  const t = deps.tenant;
  return [
    {
      method: 'GET',
      pattern: `${V3}/expense/reports`,
      kind: 'data',
      format: 'json',
      handle: (ctx) => {
        const limit = pageLimit(ctx, deps);
        const start = startPosition(ctx, deps, 'reports', 1);
        const owner = listOwnerScope(ctx, deps);
        const tests: ReportTest[] = [(r) => ownerMatches(owner, t.owner(r))];
        tests.push(...statusTests(ctx, t), ...dateTests(ctx, t), ...countryTests(ctx, t));
        const accept = (r: number): boolean => tests.every((test) => test(r));
        const page = pageReports(allReports(t, accept), start, limit, (r) => buildReport(t, r, ctx.requestBase));
        return listResult(ctx, deps, 'reports', page);
      },
    },
    {
      method: 'GET',
      pattern: `${V3}/expense/reports/{id}`,
      kind: 'data',
      format: 'json',
      handle: (ctx) => {
        const id = ctx.params['id'] ?? '';
        const owner = detailOwnerScope(ctx, deps);
        const r = reportIndex(t, id);
        if (r === undefined || !ownerMatches(owner, t.owner(r))) throw notFound('report', id);
        return itemResult('reports', buildReport(t, r, ctx.requestBase));
      },
    },
  ];
}

function statusTests(ctx: RequestContext, t: Tenant): ReportTest[] {
  const tests: ReportTest[] = [];
  const approval = codeList(ctx, 'approvalStatusCode');
  if (approval !== undefined) tests.push((r) => approval.has(LIFECYCLE[t.state(r)]?.approvalCode ?? ''));
  const payment = codeList(ctx, 'paymentStatusCode');
  if (payment !== undefined) tests.push((r) => payment.has(LIFECYCLE[t.state(r)]?.paymentCode ?? ''));
  return tests;
}

function dateTests(ctx: RequestContext, t: Tenant): ReportTest[] {
  const tests: ReportTest[] = [];
  for (const [name, value] of DATE_FILTERS) {
    for (const side of ['After', 'Before'] as const) {
      const param = `${name}${side}`;
      const raw = ctx.query.get(param);
      if (raw === undefined || raw === '') continue;
      const bound = parseFilterDate(raw);
      if (bound === null) {
        throw new ApiError(400, `The '${param}' parameter is not a valid date. Use yyyy-MM-dd or yyyy-MM-ddTHH:mm:ss.SSS.`);
      }
      // NaN (date never reached) compares false, so such reports never match a bound.
      tests.push(side === 'After' ? (r) => value(t, r) > bound : (r) => value(t, r) < bound);
    }
  }
  return tests;
}

/** currencyCode / countryCode: cheap filters on the owner's country (others are ignored). */
function countryTests(ctx: RequestContext, t: Tenant): ReportTest[] {
  const tests: ReportTest[] = [];
  const currency = ctx.query.get('currencyCode')?.toUpperCase();
  if (currency !== undefined && currency !== '') tests.push((r) => t.user(t.owner(r)).country.currency === currency);
  const country = ctx.query.get('countryCode')?.toUpperCase();
  if (country !== undefined && country !== '') tests.push((r) => t.user(t.owner(r)).country.code === country);
  return tests;
}
