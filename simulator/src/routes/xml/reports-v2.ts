import { ApiError } from '../../errors.js';
import type { RequestContext, Route } from '../../route.js';
import { entryCore, paymentTypeId } from '../../tenant/entries.js';
import { reportIndex } from '../../tenant/keys.js';
import {
  DETAIL_RULES,
  REPORTS_LIST_NAMESPACE,
  REPORT_DETAILS_NAMESPACE,
  V2_STATUSES,
  inBucket,
  lifecycleOf,
  reportDetails,
  reportSummary,
  type V2Status,
} from '../../tenant/reports-v2.js';
import type { Tenant } from '../../tenant/tenant.js';
import { listDocument, recordDocument, type XmlRecord } from '../../xml.js';
import { ROLE, dateParam, requireRole, xmlResult, type XmlDeps } from './common.js';

const BASE = '/api/expense/expensereport/v2.0';

type ReportTest = (r: number) => boolean;

/**
 * Expense Report v2 (deprecated): the company-wide report list and the report details, for administrators.
 *
 * List: Status bucket (default ACTIVE; mapping in reports-v2.ts), ModifiedAfterDate (strictly after) and
 * ModifiedBeforeDate (strictly before) on the report's LastModifiedDate, LoginID, ReportCurrency,
 * ReportCountry, PaymentTypeID, HasAttendees=true, ReimbursementMethod. Parameter names are
 * case-insensitive. At most --v2-list-cap rows (1000), cut silently in creation order: no paging.
 */
export function reportsV2Routes(deps: XmlDeps): Route[] {
  const t = deps.tenant;
  return [
    {
      method: 'GET',
      pattern: `${BASE}/Reports`,
      kind: 'data',
      format: 'xml',
      api: 'reports-v2',
      handle: (ctx) => {
        requireRole(ctx, deps, 'Expense Report v2', ROLE.companyAdmin);
        const tests = listTests(ctx, t);
        const rows: XmlRecord[] = [];
        for (let r = 0; r < t.reportCount && rows.length < deps.v2ListCap; r++) {
          if (tests.every((test) => test(r))) rows.push(reportSummary(t, r, ctx.requestBase));
        }
        return xmlResult(listDocument('ReportsList', 'ReportSummary', rows, {}, { namespace: REPORTS_LIST_NAMESPACE }), 'report_summaries', rows.length);
      },
    },
    {
      method: 'GET',
      pattern: `${BASE}/report/{reportId}`,
      kind: 'data',
      format: 'xml',
      api: 'reports-v2',
      handle: (ctx) => {
        requireRole(ctx, deps, 'Expense Report v2', ROLE.companyAdmin);
        const id = ctx.params['reportId'] ?? '';
        const r = reportIndex(t, id);
        if (r === undefined) throw new ApiError(404, `The report '${id}' was not found.`);
        const details = reportDetails(t, r, ctx.requestBase);
        return xmlResult(recordDocument('ReportDetails', details, DETAIL_RULES, { namespace: REPORT_DETAILS_NAMESPACE, xsi: true, declaration: true }), 'report_details', 1);
      },
    },
  ];
}

function listTests(ctx: RequestContext, t: Tenant): ReportTest[] {
  const tests: ReportTest[] = [];
  const rawStatus = (ctx.query.get('Status') ?? '').trim().toUpperCase();
  const status: V2Status = rawStatus === '' ? 'ACTIVE' : (rawStatus as V2Status);
  if (!(V2_STATUSES as readonly string[]).includes(status)) {
    throw new ApiError(400, `The Status value '${rawStatus.slice(0, 40)}' is not valid. Use one of ${V2_STATUSES.join(', ')}.`);
  }
  tests.push((r) => inBucket(lifecycleOf(t, r), status));
  const after = dateParam(ctx, 'ModifiedAfterDate');
  if (after !== undefined) tests.push((r) => t.modifiedMs(r) > after);
  const before = dateParam(ctx, 'ModifiedBeforeDate');
  if (before !== undefined) tests.push((r) => t.modifiedMs(r) < before);
  const login = ctx.query.get('LoginID');
  if (login !== undefined && login !== '') {
    const owner = t.userByLogin(login);
    tests.push((r) => owner !== undefined && t.owner(r) === owner);
  }
  const currency = ctx.query.get('ReportCurrency')?.trim().toUpperCase();
  if (currency !== undefined && currency !== '') tests.push((r) => t.user(t.owner(r)).country.currency === currency);
  const country = ctx.query.get('ReportCountry')?.trim().toUpperCase();
  if (country !== undefined && country !== '') tests.push((r) => t.user(t.owner(r)).country.code === country);
  const method = ctx.query.get('ReimbursementMethod')?.trim().toUpperCase();
  if (method !== undefined && method !== '') tests.push((r) => (t.user(t.owner(r)).expensePay ? 'CNQRPAY' : 'APCHECK') === method);
  const hasAttendees = ctx.query.get('HasAttendees')?.trim().toLowerCase();
  if (hasAttendees !== undefined && hasAttendees !== '') {
    if (hasAttendees !== 'true') throw new ApiError(400, "The 'HasAttendees' parameter supports the value true only.");
    tests.push((r) => someEntry(t, r, (r2, k) => entryCore(t, r2, k).attendeeLinks > 0));
  }
  const paymentType = ctx.query.get('PaymentTypeID');
  if (paymentType !== undefined && paymentType !== '') {
    tests.push((r) => someEntry(t, r, (r2, k) => paymentTypeId(t, entryCore(t, r2, k).payment) === paymentType));
  }
  return tests;
}

function someEntry(t: Tenant, r: number, test: (r: number, k: number) => boolean): boolean {
  for (let k = 0; k < t.entryCount(r); k++) if (test(r, k)) return true;
  return false;
}
