/**
 * Wire formats exactly as Concur emits and accepts them.
 */

export const DAY_MS = 86_400_000;

/**
 * Concur v3 timestamp: no offset, 0-3 fraction digits with trailing zeros trimmed
 * (docs/concur-api.md#timestamps-without-offset-are-utc: `2013-09-02T19:46:01.57`, `…:35.537`, `…:00`). Values are UTC.
 */
export function formatTimestamp(ms: number): string {
  const days = Math.floor(ms / DAY_MS);
  const inDay = ms - days * DAY_MS;
  const seconds = Math.floor(inDay / 1000);
  const millis = inDay - seconds * 1000;
  const base = `${civilDate(days)}T${pad2(Math.floor(seconds / 3600))}:${pad2(Math.floor(seconds / 60) % 60)}:${pad2(seconds % 60)}`;
  if (millis === 0) return base;
  if (millis % 100 === 0) return `${base}.${millis / 100}`;
  if (millis % 10 === 0) return `${base}.${pad2(millis / 10)}`;
  return `${base}.${String(millis).padStart(3, '0')}`;
}

const PAIRS: readonly string[] = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));

function pad2(n: number): string {
  return PAIRS[n] ?? String(n);
}

/** YYYY-MM-DD of a day number since 1970-01-01 (H. Hinnant's civil_from_days). */
function civilDate(days: number): string {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return `${year}-${pad2(month)}-${pad2(day)}`;
}

/** Nullable variant for optional lifecycle dates (NaN = never reached). */
export function formatOptionalTimestamp(ms: number): string | null {
  return Number.isNaN(ms) ? null : formatTimestamp(ms);
}

/** `Server-Time` of the v3 error body: `YYYY-MM-DDThh:mm:ss` (docs/concur-api.md#error-bodies). */
export function formatServerTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

/** Start of the UTC day containing `ms`. */
export function dayStart(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/** Round a timestamp down to the given number of fraction digits (0-3). */
export function truncateToDigits(ms: number, digits: number): number {
  const step = digits >= 3 ? 1 : digits === 2 ? 10 : digits === 1 ? 100 : 1000;
  return Math.floor(ms / step) * step;
}

const FILTER_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?)?$/;

/**
 * Date filter values: `yyyy-MM-dd` or `yyyy-MM-ddTHH:mm:ss[.SSS]`, interpreted as UTC
 * (docs/concur-api.md#v3-date-filters). Returns epoch ms, or null when the value is not one of those forms
 * (an offset or `Z` suffix is rejected: the documented forms carry none).
 */
export function parseFilterDate(value: string): number | null {
  const m = FILTER_DATE.exec(value);
  if (m === null) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const millis = m[7] === undefined ? 0 : Number(m[7].padEnd(3, '0').slice(0, 3));
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  // Reject impossible calendar dates such as 2025-02-30 (Date.UTC would roll them over).
  if (new Date(ms).getUTCDate() !== day) return null;
  return ms;
}

/** CLI `--from`/`--to`: a plain `yyyy-MM-dd` date at 00:00:00 UTC. */
export function parseDayDate(value: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  return parseFilterDate(value);
}

/** Amounts are held as integer cents and served as JSON numbers (1900, 307.01). */
export function centsToAmount(cents: number): number {
  return cents / 100;
}

/**
 * Allocation Percentage is a decimal STRING with 8 fraction digits (docs/concur-api.md#v3-field-quirks),
 * held as an integer count of 1e-8 units.
 */
export function formatPercentage(units: number): string {
  const whole = Math.floor(units / 100_000_000);
  const frac = String(units % 100_000_000).padStart(8, '0');
  return `${whole}.${frac}`;
}
