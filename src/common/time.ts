// Timestamps as Concur writes them: no offset and 0-3 fraction digits ("2013-09-02T19:46:01.57"), sometimes with
// an offset or Z (extract jobs). docs/concur-api.md#timestamps-without-offset-are-utc: a timestamp without an offset is UTC.

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Epoch ms of a date or timestamp (offset-less = UTC), or undefined when it is not one. */
export function parseTimestamp(value: string): number | undefined {
  const m = TIMESTAMP.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone] = m;
  const ms = Number((frac + '000').slice(0, 3));
  // Date.UTC would roll 10:60 over to 11:00: refuse instead of inventing a time.
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0-99 to 1900-1999 (the 0001-01-01 sentinel would become 1901).
  const check = new Date(0);
  check.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  check.setUTCHours(Number(h), Number(mi), Number(s), ms);
  let epoch = check.getTime();
  // Dates roll 2025-02-30 over to March: refuse instead of inventing a date.
  if (check.getUTCDate() !== Number(d) || check.getUTCMonth() !== Number(mo) - 1) return undefined;
  if (zone && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    epoch -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
  }
  return epoch;
}

/** A timestamp as RFC 3339 UTC (offset-less = UTC), or null when the value is not one. */
export function toUtc(value: unknown): string | null {
  const at = typeof value === 'string' ? parseTimestamp(value) : undefined;
  return at === undefined ? null : new Date(at).toISOString();
}
