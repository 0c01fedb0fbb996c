import { DAY_MS, dayStart, formatTimestamp } from '../format.js';
import { Rng, hash } from '../random.js';
import { CITIES, EXPENSE_TYPES, USD_VALUE, ZERO_DECIMAL_CURRENCIES } from './reference-data.js';
import { TAG } from './tags.js';
import type { Tenant } from './tenant.js';

/**
 * Data that belongs to one user and is only ever read by that user's token: unassigned company-card
 * charges (v1.1 CardCharges), delegators (v1.1 Delegators) and receipt images (v3 receiptimages). Each is
 * a pure function of (seed, user index). The admin (0) and user1 (1) always have some, including a
 * byte-identical pair of card charges and an inactive delegator.
 */

// ------------------------------------------------------------------------------------------------ card charges

/** Semantic CardCharge (element order of the doc sample). */
export interface CardChargeRecord {
  readonly CardNumber: string;
  readonly ExpKey: string;
  readonly ExpName: string;
  readonly Merchant: string;
  readonly TransactionAmount: number;
  readonly TransactionCrnCode: string;
  readonly TransactionDate: string;
}

const UNDEFINED_MERCHANTS = ['King Tires', 'Dave & Buster\'s', 'AMZN Mktp US', 'Corner Deli & Grill', 'Pacific Office Supply'] as const;

export function cardNumber(t: Tenant, u: number): string {
  return `XXXXXXXXXXXX${String(1000 + (hash(t.seed, TAG.cardCharge, u, 0xcc) % 9000))}`;
}

export function cardCharges(t: Tenant, u: number): CardChargeRecord[] {
  const rng = new Rng(hash(t.seed, TAG.cardCharge, u));
  const user = t.user(u);
  const count = u <= 1 ? 4 + rng.int(3) : rng.chance(0.6) ? rng.int(7) : 0;
  const card = cardNumber(t, u);
  const span = Math.max(DAY_MS, t.config.toMs - t.config.fromMs);
  const charges: CardChargeRecord[] = [];
  for (let j = 0; j < count; j++) {
    const undefinedType = rng.chance(0.2);
    const type = rng.pick(EXPENSE_TYPES.filter((e) => !e.mileage));
    const foreign = rng.chance(0.15) ? rng.pick(CITIES) : undefined;
    const currency = foreign?.currency ?? user.country.currency;
    const usd = type.min + rng.float() * (type.max - type.min);
    const major = usd / (USD_VALUE[currency] ?? 1);
    const amount = ZERO_DECIMAL_CURRENCIES.has(currency) ? Math.max(1, Math.round(major)) : Math.max(1, Math.round(major * 100)) / 100;
    const day = dayStart(t.config.fromMs + rng.float() * span);
    const merchant = undefinedType || type.vendors.length === 0 ? rng.pick(UNDEFINED_MERCHANTS) : rng.pick(type.vendors);
    charges.push({
      CardNumber: card,
      ExpKey: undefinedType ? 'UNDEF' : type.code,
      ExpName: undefinedType ? 'Undefined' : type.name,
      // The token users always have a merchant with '&', so entity decoding is exercised.
      Merchant: u <= 1 && j === 2 ? 'Dave & Buster\'s' : merchant,
      TransactionAmount: amount,
      TransactionCrnCode: currency,
      TransactionDate: formatTimestamp(day),
    });
  }
  // A double swipe: two byte-identical charges (same card, date, amount, currency, merchant).
  const first = charges[0];
  if (first !== undefined && charges.length >= 2 && (u <= 1 || rng.chance(0.15))) charges[1] = { ...first };
  return charges;
}

// -------------------------------------------------------------------------------------------------- delegators

export interface DelegatorRecord {
  readonly CanApprove: boolean;
  readonly CanPrepare: boolean;
  readonly CanSubmit: boolean;
  readonly CanTemporaryApprove: boolean;
  readonly CanViewReceipts: boolean;
  readonly ReceiveApprovalEmails: boolean;
  readonly ReceivesEmails: boolean;
  readonly DelegatorXUserID: string;
}

export interface Delegation {
  readonly record: DelegatorRecord;
  /** Inactive delegations appear only with includeInactive=Y. */
  readonly active: boolean;
}

/** The users who made user u their delegate (distinct, never u). */
export function delegations(t: Tenant, u: number): Delegation[] {
  const rng = new Rng(hash(t.seed, TAG.delegator, u));
  const others = t.users.length - 1;
  const want = Math.min(others, u <= 1 ? 3 : rng.int(4));
  const chosen: number[] = [];
  for (let attempt = 0; chosen.length < want && attempt < 50; attempt++) {
    const d = rng.int(t.users.length);
    if (d !== u && !chosen.includes(d)) chosen.push(d);
  }
  return chosen.map((d, i) => {
    const canPrepare = rng.chance(0.8);
    return {
      record: {
        CanApprove: rng.chance(0.3),
        CanPrepare: canPrepare,
        CanSubmit: canPrepare && rng.chance(0.7),
        CanTemporaryApprove: rng.chance(0.1),
        CanViewReceipts: rng.chance(0.6),
        ReceiveApprovalEmails: rng.chance(0.3),
        ReceivesEmails: rng.chance(0.4),
        DelegatorXUserID: t.user(d).loginId,
      },
      // The token users always have one inactive delegator (the last).
      active: u <= 1 ? i < chosen.length - 1 : rng.chance(0.75),
    };
  });
}

// ---------------------------------------------------------------------------------------------- receipt images

export function receiptImageCount(t: Tenant, u: number): number {
  const h = hash(t.seed, TAG.receiptImage, u);
  return u <= 1 ? 5 + (h % 3) : h % 9;
}

export function receiptImageId(t: Tenant, u: number, j: number): string {
  return t.receiptImageIds.encode(u, j);
}

/** (user, position) of a receipt image id, or undefined. */
export function receiptImageRef(t: Tenant, id: string): { u: number; j: number } | undefined {
  const parts = t.receiptImageIds.decode(id);
  if (parts === null || parts.hi >= t.users.length || parts.lo >= receiptImageCount(t, parts.hi)) return undefined;
  return { u: parts.hi, j: parts.lo };
}

export interface ReceiptImageRecord {
  readonly ID: string;
  readonly URI: string;
}

export function receiptImageRecord(t: Tenant, u: number, j: number, base: string): ReceiptImageRecord {
  const id = receiptImageId(t, u, j);
  return { ID: id, URI: `${base}/api/v3.0/expense/receiptimages/${id}` };
}
