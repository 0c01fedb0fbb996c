import { DAY_MS, centsToAmount, dayStart, formatTimestamp } from '../format.js';
import { hash } from '../random.js';
import { itemizationCount, locationId, type EntryCore } from './entries.js';
import { childId, entryId, reportId } from './keys.js';
import type { ItemizationRecord } from './records.js';
import { LODGING_ROOM, LODGING_TAX, ZERO_DECIMAL_CURRENCIES } from './reference-data.js';
import { TAG } from './tags.js';
import type { Tenant } from './tenant.js';

/**
 * Itemizations of a hotel entry: one room-rate line per night plus one tax line. Their
 * TransactionAmount and PostedAmount sum exactly to the parent entry's.
 */
export interface ItemizationLine {
  readonly isTax: boolean;
  readonly transactionMinor: number;
  readonly postedCents: number;
  readonly dayMs: number;
}

export function itemizationLines(t: Tenant, core: EntryCore): ItemizationLine[] {
  const count = itemizationCount(core);
  if (count === 0) return [];
  const nights = core.nights;
  const taxShare = 0.08 + (hash(t.seed, TAG.itemization, core.r, core.k) % 800) / 10_000; // 8%–16%
  const txTax = Math.round(core.transactionMinor * taxShare);
  const postedTax = Math.round(core.postedCents * taxShare);
  const txRoom = core.transactionMinor - txTax;
  const postedRoom = core.postedCents - postedTax;
  const lines: ItemizationLine[] = [];
  const floorDay = dayStart(t.config.fromMs);
  for (let i = 0; i < nights; i++) {
    // The first night absorbs the rounding remainder so the lines add up to the cent.
    const txNight = Math.floor(txRoom / nights) + (i === 0 ? txRoom % nights : 0);
    const postedNight = Math.floor(postedRoom / nights) + (i === 0 ? postedRoom % nights : 0);
    lines.push({
      isTax: false,
      transactionMinor: txNight,
      postedCents: postedNight,
      dayMs: Math.max(floorDay, core.transactionDayMs - (nights - 1 - i) * DAY_MS),
    });
  }
  lines.push({ isTax: true, transactionMinor: txTax, postedCents: postedTax, dayMs: core.transactionDayMs });
  return lines;
}

export function itemizationRecord(t: Tenant, core: EntryCore, i: number, line: ItemizationLine, base: string): ItemizationRecord {
  const { r, k } = core;
  const kind = line.isTax ? LODGING_TAX : LODGING_ROOM;
  const id = childId(t, 'itemizationIds', r, k, i);
  const zeroDecimal = ZERO_DECIMAL_CURRENCIES.has(core.transactionCurrency);
  return {
    EntryID: entryId(t, r, k),
    ReportID: reportId(t, r),
    ReportOwnerID: t.user(t.owner(r)).loginId,
    ExpenseTypeCode: kind.code,
    ExpenseTypeName: kind.name,
    SpendCategoryCode: kind.spendCode,
    SpendCategoryName: kind.spendName,
    TransactionDate: formatTimestamp(line.dayMs),
    TransactionAmount: zeroDecimal ? line.transactionMinor : line.transactionMinor / 100,
    PostedAmount: centsToAmount(line.postedCents),
    ApprovedAmount: core.isPersonal ? 0 : centsToAmount(line.postedCents),
    LocationID: locationId(t, core.cityIndex),
    LocationName: core.city.name,
    LocationSubdivision: core.city.subdivision,
    LocationCountry: core.city.country,
    Description: null,
    IsPersonal: core.isPersonal,
    IsBillable: core.isBillable,
    IsImageRequired: false,
    AllocationType: core.allocations > 1 ? 'F' : 'N',
    HasComments: false,
    HasExceptions: false,
    LastModified: formatTimestamp(core.lastModifiedMs),
    OrgUnit1: null,
    OrgUnit2: null,
    OrgUnit3: null,
    OrgUnit4: null,
    OrgUnit5: null,
    OrgUnit6: null,
    Custom1: null,
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
    URI: `${base}/api/v3.0/expense/itemizations/${id}`,
  };
}
