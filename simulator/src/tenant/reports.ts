import { DAY_MS, centsToAmount, dayStart, formatOptionalTimestamp, formatTimestamp, truncateToDigits } from '../format.js';
import { Rng, hash } from '../random.js';
import { LIST, listField, textField } from './custom-fields.js';
import { entryCore } from './entries.js';
import { reportId } from './keys.js';
import type { ReportRecord } from './records.js';
import {
  CITIES,
  COUNTRIES,
  DEPARTMENTS,
  LIFECYCLE,
  LIFECYCLE_NEW,
  LIFECYCLE_WEIGHTS,
  MONTHS,
  PAYMENT_TYPES,
  PROJECTS,
  REPORT_COMMENTS,
  REPORT_PURPOSES,
} from './reference-data.js';
import type { ReportPlan } from './report-columns.js';
import { TAG } from './tags.js';
import type { Tenant } from './tenant.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;

/** Deterministic compact plan of an initial report, all timestamps within [from, to]. */
export function planReport(t: Tenant, r: number): ReportPlan {
  const { fromMs, toMs, users, entriesPerReport } = t.config;
  const rng = new Rng(hash(t.seed, TAG.report, r));
  // Report 0 belongs to user1 and report 1 to the admin, so both always own something.
  const drawnOwner = rng.chance(0.04) ? 0 : 1 + rng.int(users);
  const owner = r === 0 ? 1 : r === 1 ? 0 : drawnOwner;
  const stateIndex = rng.weighted(LIFECYCLE_WEIGHTS);
  const state = LIFECYCLE[stateIndex] ?? LIFECYCLE[0];
  if (state === undefined) throw new Error('empty lifecycle table');
  const entryCount = drawEntryCount(new Rng(hash(t.seed, TAG.entryCount, r)), entriesPerReport);

  let submitGap = state.submitted ? rng.range(30 * MINUTE, 10 * DAY_MS) : 0;
  let processingGap = state.processing ? rng.range(HOUR, 7 * DAY_MS) : 0;
  let paidGap = state.paid ? rng.range(HOUR, 5 * DAY_MS) : 0;
  let modifiedGap = rng.range(MINUTE, 2 * DAY_MS);
  const span = Math.max(0, toMs - fromMs);
  const total = submitGap + processingGap + paidGap + modifiedGap;
  if (total > span * 0.9) {
    const scale = (span * 0.9) / total;
    submitGap *= scale;
    processingGap *= scale;
    paidGap *= scale;
    modifiedGap *= scale;
  }
  const digits = (): number => rng.int(4);
  const createMs = truncateToDigits(fromMs + rng.float() * (span - (submitGap + processingGap + paidGap + modifiedGap)), digits());
  const submitMs = state.submitted ? truncateToDigits(createMs + submitGap, digits()) : Number.NaN;
  const processingMs = state.processing ? truncateToDigits(submitMs + processingGap, digits()) : Number.NaN;
  const paidMs = state.paid ? truncateToDigits(processingMs + paidGap, digits()) : Number.NaN;
  const lastMilestone = Math.max(createMs, nanToZero(submitMs), nanToZero(processingMs), nanToZero(paidMs));
  const modifiedMs = Math.max(lastMilestone, truncateToDigits(lastMilestone + modifiedGap, digits()));
  // The report date is the creation day or a few days before it, never before --from.
  const userDefinedMs = Math.max(dayStart(fromMs), dayStart(createMs - rng.int(3) * DAY_MS));
  return {
    owner,
    state: stateIndex,
    entryCount,
    createMs,
    submitMs,
    processingMs,
    paidMs,
    userDefinedMs,
    // Entries are final once submitted; unsubmitted ones may change until the last edit.
    entryLockMs: state.submitted ? submitMs : modifiedMs,
    modifiedMs,
  };
}

/** Plan of a report created through /_sim/mutate at `nowMs` (Not Submitted, stamped now). */
export function planNewReport(t: Tenant, rng: Rng, nowMs: number): ReportPlan {
  const owner = rng.chance(0.1) ? 0 : 1 + rng.int(t.config.users);
  return {
    owner,
    state: LIFECYCLE_NEW,
    entryCount: drawEntryCount(rng, t.config.entriesPerReport),
    createMs: nowMs,
    submitMs: Number.NaN,
    processingMs: Number.NaN,
    paidMs: Number.NaN,
    userDefinedMs: dayStart(nowMs),
    entryLockMs: nowMs,
    modifiedMs: nowMs,
  };
}

/**
 * Entries per report: `mean` on average, 3% of reports empty. For mean ≥ 1 the count is
 * 1 + uniform[0, W) with W chosen so the overall mean matches.
 */
export function drawEntryCount(rng: Rng, mean: number): number {
  if (mean <= 0) return 0;
  if (mean < 1) return rng.chance(mean) ? 1 : 0;
  if (rng.chance(0.03)) return 0;
  const width = (2 * mean) / 0.97 - 1;
  return Math.min(0xfff0, 1 + Math.floor(rng.float() * width));
}

/** Report amounts are sums over its entries (integer cents, so Total is exact to the cent). */
export interface ReportTotals {
  readonly total: number;
  readonly personal: number;
  readonly dueEmployee: number;
  readonly dueCompanyCard: number;
  readonly claimed: number;
  readonly approved: number;
}

export function reportTotals(t: Tenant, r: number): ReportTotals {
  let total = 0;
  let personal = 0;
  let dueEmployee = 0;
  let dueCompanyCard = 0;
  const n = t.entryCount(r);
  for (let k = 0; k < n; k++) {
    const e = entryCore(t, r, k);
    total += e.postedCents;
    if (e.isPersonal) {
      personal += e.postedCents;
      continue;
    }
    const payment = PAYMENT_TYPES[e.payment];
    if (payment?.reimbursable === true) dueEmployee += e.postedCents;
    if (payment?.companyCard === true) dueCompanyCard += e.postedCents;
  }
  return { total, personal, dueEmployee, dueCompanyCard, claimed: total - personal, approved: total - personal };
}

export function reportName(t: Tenant, r: number): string {
  const rng = new Rng(hash(t.seed, TAG.reportExtra, r, 0x4e));
  const city = rng.pick(CITIES).name.split(',')[0] ?? 'Trip';
  const purpose = rng.pick(REPORT_PURPOSES);
  const created = new Date(t.createMs(r));
  const base = `${city} ${purpose} - ${MONTHS[created.getUTCMonth()] ?? ''} ${created.getUTCFullYear()}`;
  const version = t.version(r);
  return version === 0 ? base : `${base} (rev ${version})`;
}

/** The v3 report object, as both the list and GET-by-id return it. */
export function buildReport(t: Tenant, r: number, base: string): ReportRecord {
  const owner = t.user(t.owner(r));
  const approver = t.user(owner.approverIndex);
  const state = LIFECYCLE[t.state(r)] ?? LIFECYCLE[0];
  if (state === undefined) throw new Error('empty lifecycle table');
  const rng = new Rng(hash(t.seed, TAG.reportExtra, r));
  const totals = reportTotals(t, r);
  const id = reportId(t, r);
  const department = DEPARTMENTS[owner.department];
  const project = rng.chance(0.35) ? PROJECTS[rng.int(PROJECTS.length)] : undefined;
  const countryIndex = COUNTRIES.indexOf(owner.country);
  return {
    Name: reportName(t, r),
    Total: centsToAmount(totals.total),
    CurrencyCode: owner.country.currency,
    Country: owner.country.code,
    CountrySubdivision: owner.country.subdivision,
    CreateDate: formatTimestamp(t.createMs(r)),
    SubmitDate: formatOptionalTimestamp(t.submitMs(r)),
    ProcessingPaymentDate: formatOptionalTimestamp(t.processingMs(r)),
    PaidDate: formatOptionalTimestamp(t.paidMs(r)),
    ReceiptsReceived: state.processing && rng.chance(0.7),
    UserDefinedDate: formatTimestamp(t.userDefinedMs(r)),
    LastComment: rng.chance(0.7) ? '' : rng.pick(REPORT_COMMENTS),
    OwnerLoginID: owner.loginId,
    OwnerName: owner.displayName,
    ApproverLoginID: state.awaitingApprover ? approver.loginId : null,
    ApproverName: state.awaitingApprover ? approver.displayName : null,
    ApprovalStatusName: state.approvalName,
    ApprovalStatusCode: state.approvalCode,
    PaymentStatusName: state.paymentName,
    PaymentStatusCode: state.paymentCode,
    LastModifiedDate: formatTimestamp(t.modifiedMs(r)),
    PersonalAmount: centsToAmount(totals.personal),
    AmountDueEmployee: centsToAmount(totals.dueEmployee),
    AmountDueCompanyCard: centsToAmount(totals.dueCompanyCard),
    TotalClaimedAmount: centsToAmount(totals.claimed),
    TotalApprovedAmount: centsToAmount(totals.approved),
    LedgerName: 'DEFAULT',
    PolicyID: t.referenceId(TAG.policy, countryIndex, 35),
    EverSentBack: state.sentBack || rng.chance(0.08),
    HasException: rng.chance(0.15),
    // docs/concur-api.md#v3-field-quirks: an empty string when no workflow action is possible.
    WorkflowActionUrl: state.approvalCode === 'A_PEND' ? `${base}/api/v3.0/expense/reports/report/${id}/WorkFlowAction` : '',
    OrgUnit1: department === undefined ? null : listField(t, LIST.department, owner.department, department.code, department.name),
    OrgUnit2: null,
    OrgUnit3: null,
    OrgUnit4: null,
    OrgUnit5: null,
    OrgUnit6: null,
    Custom1: project === undefined ? null : textField(project.code),
    Custom2: null,
    Custom3: null,
    Custom4: null,
    Custom5: null,
    Custom6: null,
    Custom7: null,
    Custom8: null,
    Custom9: null,
    Custom10: null,
    Custom11: null,
    Custom12: null,
    Custom13: null,
    Custom14: null,
    Custom15: null,
    Custom16: null,
    Custom17: null,
    Custom18: null,
    Custom19: null,
    Custom20: null,
    ID: id,
    URI: `${base}/api/v3.0/expense/reports/${id}`,
  };
}

function nanToZero(ms: number): number {
  return Number.isNaN(ms) ? 0 : ms;
}
