import { centsToAmount, formatTimestamp } from '../format.js';
import { Rng, hash } from '../random.js';
import { allocationRecord, allocationShares } from './allocations.js';
import { associationLinks } from './associations.js';
import { attendeeOwner, buildAttendee } from './attendees.js';
import { entryCore, entryRecord, type EntryCore } from './entries.js';
import { itemizationLines, itemizationRecord } from './itemizations.js';
import { reportId } from './keys.js';
import type { CustomField } from './custom-fields.js';
import { DEPARTMENTS, LIFECYCLE, PAYMENT_COMPANY_CARD, PAYMENT_TYPES, REPORT_PURPOSES, ZERO_DECIMAL_CURRENCIES, type LifecycleState } from './reference-data.js';
import { buildReport, reportTotals } from './reports.js';
import { TAG } from './tags.js';
import type { Tenant } from './tenant.js';
import { cardNumber } from './user-data.js';
import type { XmlRecord, XmlValue } from '../xml.js';

/**
 * Expense Report v2 (deprecated): the report list (ReportsList/ReportSummary, ≤ 1000 rows) and the full
 * report details (ReportDetails with entries, itemizations, allocations, journal entries, VAT, attendees,
 * card transaction, owner and bank account). The same reports as v3: ReportID = the v3 report ID, entry,
 * itemization, allocation and attendee ids are the v3 ids, amounts and flags agree with the v3 records.
 *
 * Records are SEMANTIC (see xml.ts): the XML is rendered from them by the rules below.
 */

// --------------------------------------------------------------------------------------------- status buckets

export const V2_STATUSES = [
  'ACTIVE',
  'UNSUBMITTED',
  'PENDING',
  'ACCOUNTINGREVIEW',
  'PROCESSING',
  'INTEGRATED',
  'PENDINGEXTERNALVALIDATION',
  'PAYMENTCONFIRMED',
] as const;
export type V2Status = (typeof V2_STATUSES)[number];

/**
 * The one non-ACTIVE bucket of a lifecycle state (so the seven of them partition the reports):
 *   A_NOTF Not Submitted, A_RESU Sent Back           → UNSUBMITTED
 *   A_PEND Pending Approval, A_PBDG Pending Budget   → PENDING
 *   A_EXTV Pending External Validation               → PENDINGEXTERNALVALIDATION
 *   A_ACCO Approved & In Accounting Review           → ACCOUNTINGREVIEW
 *   A_APPR + P_PROC / P_HOLD (approved, unpaid)      → PROCESSING
 *   A_APPR + P_PAID (paid: financial integration done)→ INTEGRATED
 *   A_APPR + P_PAYC (payment confirmed)              → PAYMENTCONFIRMED
 * ACTIVE ("unsubmitted and unpaid") = every state whose payment status is not paid: all but P_PAID and P_PAYC.
 */
export function stateBucket(state: LifecycleState): Exclude<V2Status, 'ACTIVE'> {
  switch (state.approvalCode) {
    case 'A_NOTF':
    case 'A_RESU':
      return 'UNSUBMITTED';
    case 'A_PEND':
    case 'A_PBDG':
      return 'PENDING';
    case 'A_EXTV':
      return 'PENDINGEXTERNALVALIDATION';
    case 'A_ACCO':
      return 'ACCOUNTINGREVIEW';
    default:
      return state.paymentCode === 'P_PAYC' ? 'PAYMENTCONFIRMED' : state.paid ? 'INTEGRATED' : 'PROCESSING';
  }
}

export function inBucket(state: LifecycleState, status: V2Status): boolean {
  return status === 'ACTIVE' ? !state.paid : stateBucket(state) === status;
}

export function lifecycleOf(t: Tenant, r: number): LifecycleState {
  const state = LIFECYCLE[t.state(r)] ?? LIFECYCLE[0];
  if (state === undefined) throw new Error('empty lifecycle table');
  return state;
}

// -------------------------------------------------------------------------------------------------- formats

/** v2 timestamps: `YYYY-MM-DDThh:mm:ss`, whole seconds, no offset. */
export function v2Time(ms: number): string {
  return formatTimestamp(Math.floor(ms / 1000) * 1000).slice(0, 19);
}

function v2OptionalTime(ms: number): string | null {
  return Number.isNaN(ms) ? null : v2Time(ms);
}

export const REPORTS_LIST_NAMESPACE = 'http://www.concursolutions.com/api/expense/expensereport/2012/06';
export const REPORT_DETAILS_NAMESPACE = 'http://www.concursolutions.com/api/expense/expensereport/2012/07';

export const SUMMARY_RULES = { nulls: {} } as const;

/**
 * Null encodings of ReportDetails (doc sample): SubmitDate never reached → the 0001-01-01T00:00:00
 * sentinel; PaidDate → i:nil; CardTransaction, EmployeeBankAccount and ReportImageURL → element absent;
 * everything else → an empty element.
 */
export const DETAIL_RULES = {
  items: {
    ExpenseEntriesList: 'ExpenseEntry',
    ItemizationsList: 'Itemization',
    AllocationsList: 'Allocation',
    JournalEntriesList: 'JournalEntry',
    VATDataList: 'VATData',
    AttendeesList: 'Attendee',
  },
  nulls: { SubmitDate: 'sentinel', PaidDate: 'nil', CardTransaction: 'absent', EmployeeBankAccount: 'absent', ReportImageURL: 'absent' },
  integers: new Set(['LegacyEntryID', 'CommentCount', 'VersionNumber']),
  decimals: { ExchangeRate: 14, ExchangeRateFromBillingToEmployeeCurrency: 14 },
  yesNo: new Set(['ExpensePay']),
} as const;

// --------------------------------------------------------------------------------------------------- summary

export function reportSummary(t: Tenant, r: number, base: string): XmlRecord {
  const report = buildReport(t, r, base);
  const owner = t.user(t.owner(r));
  const approver = t.user(owner.approverIndex);
  const id = reportId(t, r);
  return {
    ReportName: report.Name,
    ReportId: id,
    ReportTotal: report.Total,
    ReportCurrency: report.CurrencyCode,
    ReportDate: v2Time(t.createMs(r)),
    LastComment: report.LastComment === '' ? null : report.LastComment,
    'Report-Full-Details-Url': `${base}/api/expense/expensereport/v2.0/report/${id}`,
    ExpenseUserLoginID: owner.loginId,
    ApproverLoginID: approver.index === owner.index ? null : approver.loginId,
    EmployeeName: owner.displayName,
    ApprovalStatus: report.ApprovalStatusName,
    PaymentStatus: report.PaymentStatusName,
  };
}

// --------------------------------------------------------------------------------------------------- details

const PAYMENT_CODES: readonly string[] = ['CASH', 'IBCP', 'PCRD', 'COPD'];
const CURRENCY_NAMES: Readonly<Record<string, string>> = {
  USD: 'US, Dollar',
  CAD: 'Canada, Dollar',
  GBP: 'United Kingdom, Pound Sterling',
  EUR: 'Euro Member Countries, Euro',
  JPY: 'Japan, Yen',
};
const VAT: Readonly<Record<string, { name: string; label: string; rate: number; reclaim: boolean }>> = {
  GB: { name: 'UK VAT', label: 'VAT', rate: 0.2, reclaim: true },
  DE: { name: 'Germany MwSt', label: 'MwSt', rate: 0.19, reclaim: true },
  FR: { name: 'France TVA', label: 'TVA', rate: 0.2, reclaim: false },
  CA: { name: 'Canada GST', label: 'GST', rate: 0.05, reclaim: true },
  JP: { name: 'Japan Consumption Tax', label: 'JCT', rate: 0.1, reclaim: false },
};

function customs(count: number, first: XmlValue = null): XmlRecord {
  const out: Record<string, XmlValue> = {};
  for (let c = 1; c <= count; c++) out[`Custom${c}`] = c === 1 ? first : null;
  return out;
}

function orgUnits(first: string | null): XmlRecord {
  return { OrgUnit1: first, OrgUnit2: null, OrgUnit3: null, OrgUnit4: null, OrgUnit5: null, OrgUnit6: null };
}

/** v3 CustomField → v2 custom element (Type, Value, Code). */
function v2Custom(field: CustomField | null): XmlValue {
  return field === null ? null : { Type: field.Type, Value: field.Value, Code: field.Code };
}

function amount(cents: number): number {
  return centsToAmount(cents);
}

function majorUnits(minor: number, currency: string): number {
  return ZERO_DECIMAL_CURRENCIES.has(currency) ? minor : minor / 100;
}

/** Signed journal amount as Concur writes it: `+50.00`, `-50.00`, `0`. */
function journalAmount(cents: number): string {
  if (cents === 0) return '0';
  return `${cents > 0 ? '+' : '-'}${(Math.abs(cents) / 100).toFixed(2)}`;
}

export function reportDetails(t: Tenant, r: number, base: string): XmlRecord {
  const report = buildReport(t, r, base);
  const state = lifecycleOf(t, r);
  const owner = t.user(t.owner(r));
  const totals = reportTotals(t, r);
  const rng = new Rng(hash(t.seed, TAG.reportV2, r));
  const id = reportId(t, r);
  const department = DEPARTMENTS[owner.department];
  const approved = state.processing || state.approvalCode === 'A_ACCO';
  const purpose = rng.chance(0.7) ? rng.pick(REPORT_PURPOSES) : null;
  const entries: XmlValue[] = [];
  for (let k = 0; k < t.entryCount(r); k++) entries.push(expenseEntry(t, entryCore(t, r, k), base, state, approved));
  const details: Record<string, XmlValue> = {
    UserLoginID: owner.loginId,
    EmployeeName: `${owner.lastName}, ${owner.firstName}`,
    ReportID: id,
    ReportKey: String(100_000 + r),
    ReportName: report.Name,
    Purpose: purpose,
    ReportDate: v2Time(t.userDefinedMs(r)),
    CreationDate: v2Time(t.createMs(r)),
    SubmitDate: v2OptionalTime(t.submitMs(r)),
    PaidDate: v2OptionalTime(t.paidMs(r)),
    CurrencyCode: report.CurrencyCode,
    ReportTotal: amount(totals.total),
    PersonalExpenses: amount(totals.personal),
    AmountDueEmployee: amount(totals.dueEmployee),
    AmountDueCompanyCard: amount(totals.dueCompanyCard),
    TotalClaimedAmount: amount(totals.claimed),
    TotalApprovedAmount: amount(totals.approved),
    ApprovalStatusCode: state.approvalCode,
    ApprovalStatusName: state.approvalName,
    PaymentStatusCode: state.paymentCode,
    PaymentStatusName: state.paymentName,
    ...orgUnits(department?.name ?? null),
    ...customs(20, v2Custom(report.Custom1)),
    LedgerName: report.LedgerName,
    PolicyID: report.PolicyID,
    EverSentBack: report.EverSentBack,
    HasException: report.HasException,
    WorkflowActionURL: state.approvalCode === 'A_PEND' ? `${base}/api/expense/expensereport/v1.1/report/${id}/WorkFlowAction` : null,
    ExpenseEntriesList: entries,
    ReportImageURL: state.submitted ? `${base}/_sim/images/report/${id}.pdf` : null,
    Country: report.Country,
    CountrySubdivision: report.CountrySubdivision,
    ProcessingPaymentDate: v2OptionalTime(t.processingMs(r)),
    ReceiptsReceived: report.ReceiptsReceived,
    ReportOwner: {
      EmployeeID: owner.employeeId,
      LastName: owner.lastName,
      FirstName: owner.firstName,
      MiddleInitial: null,
      EmployeeCustom21: owner.country.code,
      EmployeeOrgUnit1: department?.name ?? null,
      EmployeeOrgUnit2: null,
      EmployeeOrgUnit3: null,
      EmployeeOrgUnit4: null,
      EmployeeOrgUnit5: null,
      EmployeeOrgUnit6: null,
      ReimbursementMethodCode: owner.expensePay ? 'CNQRPAY' : 'APCHECK',
    },
    EmployeeBankAccount: owner.expensePay ? bankAccount(t, owner.index) : null,
  };
  return details;
}

const BANK_CITIES: Readonly<Record<string, string>> = {
  'US-WA': 'Seattle',
  'US-NY': 'New York',
  'US-CA': 'San Francisco',
  'CA-BC': 'Vancouver',
  'GB-ENG': 'London',
  'DE-BE': 'Berlin',
};

function bankAccount(t: Tenant, u: number): XmlRecord {
  const user = t.user(u);
  const rng = new Rng(hash(t.seed, TAG.bankAccount, u, 2));
  const country = user.country.code;
  return {
    BankNumber: String(100_000_000 + rng.int(899_999_999)),
    BankName: rng.pick(['First National Bank', 'Harbor Savings & Loan', 'Deutsche Kreditbank', 'Royal Bank']),
    BranchLocation: rng.chance(0.5) ? 'Main Branch' : null,
    AccountNumber: `XXXXXX${String(1000 + rng.int(9000))}`,
    AccountName: user.displayName,
    PostalAddressLine1: `${rng.range(1, 999)} ${rng.pick(['Pine St', 'Market St', 'High Street', 'Hauptstrasse'])}`,
    PostalAddressLine2: null,
    PostalAddressCity: BANK_CITIES[user.country.subdivision] ?? 'Seattle',
    PostalAddressRegion: user.country.subdivision,
    PostalAddressCode: String(10_000 + rng.int(89_999)),
    PostalAddressCountry: country,
  };
}

function expenseEntry(t: Tenant, core: EntryCore, base: string, state: LifecycleState, approved: boolean): XmlRecord {
  const entry = entryRecord(t, core, base);
  const owner = t.user(t.owner(core.r));
  const rng = new Rng(hash(t.seed, TAG.reportV2, core.r, core.k + 1));
  const commentCount = entry.HasComments === true ? rng.range(1, 3) : 0;
  const cardCharge = core.payment === PAYMENT_COMPANY_CARD;
  const regular = regularItemization(t, core, entry, base, state, approved, commentCount);
  const children = itemizationLines(t, core).map((line, i): XmlValue => {
    const item = itemizationRecord(t, core, i, line, base);
    return {
      ItemType: 'Child',
      ItemizationID: item.ID,
      ExpenseTypeID: item.ExpenseTypeCode,
      ExpenseTypeName: item.ExpenseTypeName,
      TransactionDate: v2Time(line.dayMs),
      TransactionAmount: item.TransactionAmount,
      PostedAmount: item.PostedAmount,
      ApprovedAmount: approved ? item.ApprovedAmount : null,
      BusinessPurpose: null,
      ...orgUnits(null),
      ...customs(40),
      HasComments: false,
      CommentCount: 0,
      IsPersonal: item.IsPersonal,
      LastModified: v2Time(core.lastModifiedMs),
      AllocationsList: [],
      AttendeesList: [],
    };
  });
  const client = entry.Custom1;
  return {
    ReportEntryID: entry.ID,
    LegacyEntryID: core.r * 65_536 + core.k + 1,
    ExpenseTypeID: entry.ExpenseTypeCode,
    ExpenseTypeName: entry.ExpenseTypeName,
    SpendCategory: entry.SpendCategoryName,
    PaymentTypeCode: PAYMENT_CODES[core.payment] ?? 'CASH',
    PaymentTypeName: entry.PaymentTypeName,
    TransactionDate: v2Time(core.transactionDayMs),
    TransactionCurrencyName: CURRENCY_NAMES[core.transactionCurrency] ?? core.transactionCurrency,
    ExchangeRate: core.exchangeRate,
    TransactionAmount: entry.TransactionAmount,
    PostedAmount: entry.PostedAmount,
    ApprovedAmount: approved ? entry.ApprovedAmount : null,
    BusinessPurpose: entry.Description,
    VendorDescription: entry.VendorDescription,
    LocationName: entry.LocationName,
    LocationSubdivision: entry.LocationSubdivision,
    LocationCountry: entry.LocationCountry,
    ...orgUnits(null),
    ...customs(40, client === null ? null : { Type: 'List', Value: client.Value, Code: client.Code }),
    FormID: entry.FormID,
    EntryImageID: entry.HasImage === true ? t.referenceId(TAG.eReceipt, core.r * 4096 + core.k + 7, 33) : null,
    HasVat: core.hasVat,
    HasComments: entry.HasComments,
    CommentCount: commentCount,
    IsItemized: core.nights > 0,
    HasExceptions: entry.HasExceptions,
    IsPersonal: core.isPersonal,
    HasAttendees: core.attendeeLinks > 0,
    // Concur writes P/F/N; the stream schema types it as a flag, so Y (allocated) / N.
    HasAllocation: core.allocations > 1,
    IsCreditCardCharge: cardCharge,
    IsPersonalCardCharge: entry.IsPersonalCardCharge,
    ReceiptRequired: entry.IsImageRequired,
    ImageRequired: entry.IsImageRequired,
    'E-ReceiptID': entry.ElectronicReceiptID,
    LastModified: v2Time(core.lastModifiedMs),
    ItemizationsList: [regular, ...children],
    ReportEntryVendorName: entry.VendorListItemName,
    ReportEntryReceiptReceived: entry.ReceiptReceived,
    ReportEntryReceiptType: entry.TaxReceiptType,
    CardTransaction: cardCharge ? cardTransaction(t, core, entry.CompanyCardTransactionID, entry.VendorDescription) : null,
    // "Yes/No once in payment processing": empty before.
    ExpensePay: state.processing ? entry.IsPaidByExpensePay === true : null,
    UserLoginID: owner.loginId,
  };
}

/** The Regular itemization mirrors the entry and carries the entry's allocations and attendees. */
function regularItemization(
  t: Tenant,
  core: EntryCore,
  entry: ReturnType<typeof entryRecord>,
  base: string,
  state: LifecycleState,
  approved: boolean,
  commentCount: number,
): XmlRecord {
  const shares = allocationShares(t, core);
  let remaining = core.postedCents;
  const allocations = shares.map((share, a): XmlValue => {
    const record = allocationRecord(t, core, a, share, base);
    const cents = a === shares.length - 1 ? remaining : Math.round((core.postedCents * share) / 10_000_000_000);
    remaining -= cents;
    return {
      AllocationID: record.ID,
      Percentage: `${record.Percentage ?? '100.00000000'}%`,
      AccountCode1: record.AccountCode1,
      AccountCode2: record.AccountCode2,
      ...customs(20),
      Custom1: record.Custom1 === null ? null : { Type: record.Custom1.Type, Value: record.Custom1.Value, Code: record.Custom1.Code },
      Custom2: record.Custom2 === null ? null : { Type: record.Custom2.Type, Value: record.Custom2.Value, Code: record.Custom2.Code },
      JournalEntriesList: state.processing ? journalEntries(t, core, a, cents, record.AccountCode1) : [],
      VATDataList: a === 0 && core.hasVat ? vatData(core) : [],
    };
  });
  const attendees = associationLinks(t, core).map((link): XmlValue => {
    const attendee = buildAttendee(t, link.attendee, base);
    const ownerIndex = attendeeOwner(t, link.attendee);
    const attendeeOwnerUser = ownerIndex === null ? undefined : t.user(ownerIndex);
    return {
      AttendeeType: attendee.AttendeeTypeCode,
      FirstName: attendee.FirstName,
      LastName: attendee.LastName,
      Company: attendee.Company,
      Title: attendee.Title,
      ExternalID: attendee.ExternalID,
      ...customs(20, v2Custom(attendee.Custom1)),
      HasExceptionsPrevYear: attendee.HasExceptionsPrevYear,
      HasExceptionsYTD: attendee.HasExceptionsYTD,
      IsDeleted: false,
      OwnerEmpName: attendeeOwnerUser === undefined ? attendee.OwnerName : `${attendeeOwnerUser.lastName}, ${attendeeOwnerUser.firstName}`,
      TotalAmountPrevYear: attendee.TotalAmountPrevYear,
      TotalAmountYTD: attendee.TotalAmountYTD,
      VersionNumber: attendee.VersionNumber,
      AttendeeID: attendee.ID,
      AttendeeTypeCode: attendee.AttendeeTypeCode,
      AttendeeOwnerID: attendee.OwnerLoginID,
      CurrencyCode: attendee.CurrencyCode,
    };
  });
  return {
    ItemType: 'Regular',
    ItemizationID: entry.ID,
    ExpenseTypeID: entry.ExpenseTypeCode,
    ExpenseTypeName: entry.ExpenseTypeName,
    TransactionDate: v2Time(core.transactionDayMs),
    TransactionAmount: entry.TransactionAmount,
    PostedAmount: entry.PostedAmount,
    ApprovedAmount: approved ? entry.ApprovedAmount : null,
    BusinessPurpose: entry.Description,
    ...orgUnits(null),
    ...customs(40),
    HasComments: entry.HasComments,
    CommentCount: commentCount,
    IsPersonal: core.isPersonal,
    LastModified: v2Time(core.lastModifiedMs),
    AllocationsList: allocations,
    AttendeesList: attendees,
  };
}

function journalEntries(t: Tenant, core: EntryCore, a: number, cents: number, accountCode: string | null): XmlValue[] {
  const payment = PAYMENT_TYPES[core.payment];
  const card = payment?.companyCard === true;
  const payer = core.isPersonal ? 'Employee' : 'Company';
  const payee = card ? (payment?.name ?? 'Company Card') : payment?.reimbursable === true ? 'Employee' : 'Company';
  const runKey = String(10_000 + (hash(t.seed, TAG.reportV2, core.r, 0x10b) % 90_000));
  return [
    {
      JournalID: String(1_000_000 + core.r * 64 + core.k * 4 + a),
      PayerPaymentTypeName: payer,
      PayerPaymentTypeCode: payer === 'Employee' ? 'EMPLOYEE' : 'COMPANY',
      PayeePaymentTypeName: payee,
      PayeePaymentCode: card ? 'IBCP' : payee === 'Employee' ? 'EMPLOYEE' : 'COMPANY',
      AccountCode: accountCode,
      DebitOrCredit: cents >= 0 ? 'DR' : 'CR',
      Amount: journalAmount(cents),
      JobRunKey: runKey,
    },
  ];
}

function vatData(core: EntryCore): XmlValue[] {
  const vat = VAT[core.city.country];
  if (vat === undefined) return [];
  const share = vat.rate / (1 + vat.rate);
  const taxMinor = Math.round(core.transactionMinor * share);
  const taxPostedCents = Math.round(core.postedCents * share);
  const taxTransaction = majorUnits(taxMinor, core.transactionCurrency);
  const taxPosted = amount(taxPostedCents);
  return [
    {
      TaxName: vat.name,
      TaxAuthorityLabel: vat.label,
      TaxTransactionAmount: taxTransaction,
      TaxPostedAmount: taxPosted,
      Source: 'SYST',
      TaxReclaimTransactionAmount: vat.reclaim ? taxTransaction : 0,
      TaxReclaimPostedAmount: vat.reclaim ? taxPosted : 0,
    },
  ];
}

function cardTransaction(t: Tenant, core: EntryCore, transactionId: string | null, merchant: string | null): XmlRecord {
  const owner = t.user(t.owner(core.r));
  const rng = new Rng(hash(t.seed, TAG.cardTransaction, core.r, core.k));
  const number = cardNumber(t, owner.index);
  const transaction = majorUnits(core.transactionMinor, core.transactionCurrency);
  const posted = amount(core.postedCents);
  const postedMs = core.transactionDayMs + rng.range(1, 3) * 86_400_000;
  return {
    AccountNumber: number,
    CardDescription: `${owner.firstName} ${owner.lastName}`.toUpperCase(),
    CardTypeCode: 'AX',
    TransactionReferenceNumber: String(3_000_000_000 + rng.int(999_999_999)),
    TransactionCCTType: 'RPE',
    TransactionID: transactionId,
    TransactionAmount: transaction,
    TaxAmount: rng.chance(0.3) ? Math.round(core.postedCents * 0.08) / 100 : null,
    TransactionAlphaCode: core.transactionCurrency,
    PostedAmount: posted,
    PostedAlphaCode: owner.country.currency,
    TransactionDate: v2Time(core.transactionDayMs),
    PostedDate: v2Time(postedMs),
    Description: merchant === null ? core.type.name.toUpperCase() : merchant.toUpperCase(),
    MasterCardCode: String(3000 + (hash(t.seed, TAG.cardTransaction, EXPENSE_CODE_SEED, core.type.code.length) % 6000)),
    TransactionMerchantName: merchant,
    MerchantCity: core.city.name.split(',')[0] ?? null,
    MerchantState: core.city.subdivision.split('-')[1] ?? null,
    MerchantCountryCode: core.city.country,
    MerchantReferenceNumber: String(100_000 + rng.int(899_999)),
    ExchangeRateFromBillingToEmployeeCurrency: 1,
    BillingAmount: posted,
    AccountNumberLastSegment: number.slice(-4),
  };
}

const EXPENSE_CODE_SEED = 0x3cc;
