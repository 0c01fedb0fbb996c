import { DAY_MS, centsToAmount, dayStart, formatTimestamp, truncateToDigits } from '../format.js';
import { Rng, hash, uuidFrom } from '../random.js';
import { LIST, listField } from './custom-fields.js';
import { opaqueId } from './ids.js';
import { entryId, reportId } from './keys.js';
import type { EntryRecord, Journey } from './records.js';
import {
  CITIES,
  CLIENT_COMPANIES,
  COUNTRIES,
  ENTRY_DESCRIPTIONS,
  EXPENSE_TYPES,
  EXPENSE_TYPE_WEIGHTS,
  LIFECYCLE,
  PAYMENT_CASH,
  PAYMENT_COMPANY_CARD,
  PAYMENT_COMPANY_PAID,
  PAYMENT_PERSONAL_CARD,
  PAYMENT_TYPES,
  USD_VALUE,
  ZERO_DECIMAL_CURRENCIES,
  type City,
  type ExpenseType,
} from './reference-data.js';
import { TAG } from './tags.js';
import type { Tenant } from './tenant.js';

/**
 * The facts about an entry that filters, report totals and child records depend on.
 * Cheap to compute (one PRNG stream), so list filters and report sums call it freely.
 */
export interface EntryCore {
  readonly r: number;
  readonly k: number;
  readonly type: ExpenseType;
  readonly city: City;
  readonly cityIndex: number;
  readonly transactionCurrency: string;
  /** Amount in minor units of the transaction currency (whole units for JPY). */
  readonly transactionMinor: number;
  readonly exchangeRate: number;
  /** Amount in the report currency, integer cents. */
  readonly postedCents: number;
  readonly payment: number;
  readonly isPersonal: boolean;
  readonly isBillable: boolean;
  readonly hasVat: boolean;
  /** Number of entry-attendee associations (0 = HasAttendees false). */
  readonly attendeeLinks: number;
  /** Hotel nights; itemizations = nights + 1 tax line (0 = not itemized). */
  readonly nights: number;
  /** Allocation lines (1 = the implicit hidden 100% allocation). */
  readonly allocations: number;
  /** Mileage distance in the owner's unit (0 for other types). */
  readonly distance: number;
  readonly transactionDayMs: number;
  readonly lastModifiedMs: number;
}

export function entryCore(t: Tenant, r: number, k: number): EntryCore {
  const rng = new Rng(hash(t.seed, TAG.entry, r, k));
  const owner = t.user(t.owner(r));
  const type = EXPENSE_TYPES[rng.weighted(EXPENSE_TYPE_WEIGHTS)] ?? EXPENSE_TYPES[0];
  if (type === undefined) throw new Error('empty expense type table');
  const cityIndex = rng.chance(0.8) ? homeCity(owner.country.code, rng) : rng.int(CITIES.length);
  const city = CITIES[cityIndex] ?? CITIES[0];
  if (city === undefined) throw new Error('empty city table');
  const reportCurrency = owner.country.currency;
  const payment = type.mileage
    ? PAYMENT_CASH // v3 entries doc: mileage always uses the Cash payment type
    : type.code === 'AIRFR' && rng.chance(0.4)
      ? PAYMENT_COMPANY_PAID
      : rng.weighted([50, 30, 15, 0]);
  const isPersonal = !type.mileage && rng.chance(0.03);
  const isBillable = rng.chance(0.2);
  const hasVat = city.country !== 'US' && rng.chance(0.6);
  const attendeeLinks = type.attendees && rng.chance(0.9) ? rng.range(1, 4) : 0;
  const nights = type.lodging ? rng.range(1, 4) : 0;
  const allocations = rng.chance(0.15) ? rng.range(2, 3) : 1;
  const daysBefore = rng.int(21);
  const modifiedFraction = rng.float();
  const modifiedDigits = rng.int(4);

  const override = t.entryOverride(r, k);
  // Amounts come from their own stream so a report edit can re-roll just the amount.
  const money = new Rng(hash(t.seed, TAG.entryAmount, r, k, override?.version ?? 0));
  let transactionCurrency = city.currency;
  let transactionMinor: number;
  let exchangeRate = 1;
  let postedCents: number;
  let distance = 0;
  if (type.mileage) {
    transactionCurrency = reportCurrency;
    distance = money.range(5, 300);
    postedCents = distance * owner.country.mileageRateCents;
    transactionMinor = postedCents;
  } else {
    const usd = type.min + money.float() * (type.max - type.min);
    const zeroDecimal = ZERO_DECIMAL_CURRENCIES.has(transactionCurrency);
    const major = usd / (USD_VALUE[transactionCurrency] ?? 1);
    transactionMinor = Math.max(1, Math.round(zeroDecimal ? major : major * 100));
    const transactionMajor = zeroDecimal ? transactionMinor : transactionMinor / 100;
    if (transactionCurrency === reportCurrency) {
      postedCents = Math.round(transactionMajor * 100);
    } else {
      const nominal = (USD_VALUE[transactionCurrency] ?? 1) / (USD_VALUE[reportCurrency] ?? 1);
      exchangeRate = Math.round(nominal * (0.98 + money.float() * 0.04) * 1e6) / 1e6;
      postedCents = Math.max(1, Math.round(transactionMajor * exchangeRate * 100));
    }
  }

  const createMs = t.createMs(r);
  const lockMs = t.entryLockMs(r);
  const lastModifiedMs =
    override?.modifiedMs ??
    Math.max(createMs, truncateToDigits(createMs + modifiedFraction * (lockMs - createMs), modifiedDigits));
  return {
    r,
    k,
    type,
    city,
    cityIndex,
    transactionCurrency,
    transactionMinor,
    exchangeRate,
    postedCents,
    payment,
    isPersonal,
    isBillable,
    hasVat,
    attendeeLinks,
    nights,
    allocations,
    distance,
    transactionDayMs: Math.max(dayStart(t.config.fromMs), dayStart(createMs - daysBefore * DAY_MS)),
    lastModifiedMs,
  };
}

/** TransactionAmount as served: major units (JSON number). */
export function transactionAmount(core: EntryCore): number {
  return ZERO_DECIMAL_CURRENCIES.has(core.transactionCurrency) ? core.transactionMinor : core.transactionMinor / 100;
}

export function itemizationCount(core: EntryCore): number {
  return core.nights > 0 ? core.nights + 1 : 0;
}

export function paymentTypeId(t: Tenant, payment: number): string {
  return t.referenceId(TAG.paymentType, payment, 30);
}

export function locationId(t: Tenant, cityIndex: number): string {
  return t.referenceId(TAG.location, cityIndex, 36);
}

/** The v3 entry object, as both the list and GET-by-id return it. */
export function entryRecord(t: Tenant, core: EntryCore, base: string): EntryRecord {
  const { r, k } = core;
  const owner = t.user(t.owner(r));
  const state = LIFECYCLE[t.state(r)];
  const rng = new Rng(hash(t.seed, TAG.entryExtra, r, k));
  const type = core.type;
  const payment = PAYMENT_TYPES[core.payment] ?? PAYMENT_TYPES[PAYMENT_CASH];
  const vendor = type.vendors.length > 0 ? rng.pick(type.vendors) : null;
  const vendorListed = vendor !== null && rng.chance(0.3);
  const hasImage = !type.mileage && rng.chance(0.7);
  const description = rng.chance(0.5) ? rng.pick(ENTRY_DESCRIPTIONS) : null;
  const isPaidByExpensePay = state?.processing === true && owner.expensePay && payment?.reimbursable === true;
  const client = core.isBillable ? rng.int(CLIENT_COMPANIES.length) : -1;
  const clientName = CLIENT_COMPANIES[client];
  const id = entryId(t, r, k);
  return {
    ReportID: reportId(t, r),
    ReportOwnerID: owner.loginId,
    ExpenseTypeCode: type.code,
    ExpenseTypeName: type.name,
    SpendCategoryCode: type.spendCode,
    SpendCategoryName: type.spendName,
    PaymentTypeID: paymentTypeId(t, core.payment),
    PaymentTypeName: payment?.name ?? null,
    TransactionDate: formatTimestamp(core.transactionDayMs),
    TransactionCurrencyCode: core.transactionCurrency,
    TransactionAmount: transactionAmount(core),
    ExchangeRate: core.exchangeRate,
    PostedAmount: centsToAmount(core.postedCents),
    ApprovedAmount: core.isPersonal ? 0 : centsToAmount(core.postedCents),
    VendorDescription: vendor,
    VendorListItemID: vendorListed ? t.referenceId(TAG.listItem, 5000 + type.vendors.indexOf(vendor ?? '') + 10 * EXPENSE_TYPES.indexOf(type), 35) : null,
    VendorListItemName: vendorListed ? vendor : null,
    LocationID: locationId(t, core.cityIndex),
    LocationName: core.city.name,
    LocationSubdivision: core.city.subdivision,
    LocationCountry: core.city.country,
    Description: description,
    IsPersonal: core.isPersonal,
    IsBillable: core.isBillable,
    IsPersonalCardCharge: core.payment === PAYMENT_PERSONAL_CARD,
    HasImage: hasImage,
    IsImageRequired: !type.mileage && core.postedCents >= 7500,
    ReceiptReceived: state?.paid === true && rng.chance(0.8),
    TaxReceiptType: hasImage ? (core.hasVat ? 'T' : 'R') : 'N',
    ElectronicReceiptID: rng.chance(0.1) ? opaqueId(t.seed, TAG.eReceipt, r * 4096 + k, 32) : null,
    CompanyCardTransactionID: core.payment === PAYMENT_COMPANY_CARD ? opaqueId(t.seed, TAG.cardTransaction, r * 4096 + k, 32) : null,
    TripID: (type.code === 'AIRFR' || type.lodging || type.code === 'CARRT') && rng.chance(0.4) ? opaqueId(t.seed, TAG.trip, r, 30) : null,
    HasItemizations: core.nights > 0,
    AllocationType: core.allocations > 1 ? 'F' : 'N',
    HasAttendees: core.attendeeLinks > 0,
    HasVAT: core.hasVat,
    HasAppliedCashAdvance: rng.chance(0.02),
    HasComments: rng.chance(0.1),
    HasExceptions: rng.chance(0.08),
    IsPaidByExpensePay: isPaidByExpensePay,
    EmployeeBankAccountID: isPaidByExpensePay ? t.referenceId(TAG.bankAccount, owner.index, 30) : null,
    Journey: type.mileage ? journey(core, owner.country.distanceUnit, rng) : null,
    LastModified: formatTimestamp(core.lastModifiedMs),
    FormID: t.referenceId(TAG.form, COUNTRIES.indexOf(owner.country), 35),
    OrgUnit1: null,
    OrgUnit2: null,
    OrgUnit3: null,
    OrgUnit4: null,
    OrgUnit5: null,
    OrgUnit6: null,
    Custom1: clientName === undefined ? null : listField(t, LIST.client, client, `CL-${100 + client}`, clientName),
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
    Custom21: null,
    Custom22: null,
    Custom23: null,
    Custom24: null,
    Custom25: null,
    Custom26: null,
    Custom27: null,
    Custom28: null,
    Custom29: null,
    Custom30: null,
    Custom31: null,
    Custom32: null,
    Custom33: null,
    Custom34: null,
    Custom35: null,
    Custom36: null,
    Custom37: null,
    Custom38: null,
    Custom39: null,
    Custom40: null,
    ID: id,
    URI: `${base}/api/v3.0/expense/entries/${id}`,
    ExpenseID: uuidFrom(hash(t.seed, TAG.expenseUuid, r, k, 1), hash(t.seed, TAG.expenseUuid, r, k, 2), hash(t.seed, TAG.expenseUuid, r, k, 3), hash(t.seed, TAG.expenseUuid, r, k, 4)),
    // Documented as always empty on GET (docs/concur-api.md#v3-field-quirks).
    Comment: null,
  };
}

function journey(core: EntryCore, unit: 'M' | 'K', rng: Rng): Journey {
  const odometerStart = rng.range(8_000, 90_000);
  return {
    BusinessDistance: core.distance,
    EndLocation: core.city.name,
    NumberOfPassengers: rng.range(1, 2),
    OdometerEnd: odometerStart + core.distance,
    OdometerStart: odometerStart,
    PersonalDistance: 0,
    StartLocation: 'Home Office',
    UnitOfMeasure: unit,
    VehicleID: `VEH-${rng.range(100, 999)}`,
  };
}

const CITIES_BY_COUNTRY: ReadonlyMap<string, readonly number[]> = new Map(
  [...new Set(CITIES.map((c) => c.country))].map((country) => [
    country,
    CITIES.flatMap((c, i) => (c.country === country ? [i] : [])),
  ]),
);

function homeCity(country: string, rng: Rng): number {
  const candidates = CITIES_BY_COUNTRY.get(country);
  return candidates === undefined ? rng.int(CITIES.length) : rng.pick(candidates);
}
