import { describe, expect, it } from 'vitest';
import { formatConcurFilter, parseConcurTimestamp, toRfc3339 } from '../../../src/concur/dates.js';

describe('parseConcurTimestamp', () => {
  // docs/concur-api.md#timestamps-without-offset-are-utc: offset-less, 0-3 fraction digits, read as UTC.
  it.each([
    { value: '2013-09-02T19:46:01.57', expected: Date.UTC(2013, 8, 2, 19, 46, 1, 570) },
    { value: '2013-09-02T19:46:01.5', expected: Date.UTC(2013, 8, 2, 19, 46, 1, 500) },
    { value: '2013-09-02T19:46:35.537', expected: Date.UTC(2013, 8, 2, 19, 46, 35, 537) },
    { value: '2013-09-02T19:46:35.053', expected: Date.UTC(2013, 8, 2, 19, 46, 35, 53) },
    { value: '2013-09-02T19:46:35.5376543', expected: Date.UTC(2013, 8, 2, 19, 46, 35, 537) }, // .NET ticks: truncated to ms
    { value: '2013-09-02T19:46:00', expected: Date.UTC(2013, 8, 2, 19, 46, 0) },
    { value: '2013-09-02T19:46', expected: Date.UTC(2013, 8, 2, 19, 46, 0) },
    { value: '2013-09-02 19:46:01', expected: Date.UTC(2013, 8, 2, 19, 46, 1) },
    { value: '2013-09-02', expected: Date.UTC(2013, 8, 2) },
    { value: ' 2013-09-02T00:00:00 ', expected: Date.UTC(2013, 8, 2) },
    { value: '2024-02-29T23:59:59.999', expected: Date.UTC(2024, 1, 29, 23, 59, 59, 999) },
  ])('$value (no offset = UTC)', ({ value, expected }) => {
    expect(parseConcurTimestamp(value)).toBe(expected);
  });

  it.each([
    { value: '2013-09-02T19:46:01Z', expected: Date.UTC(2013, 8, 2, 19, 46, 1) },
    { value: '2013-09-02T19:46:01.250Z', expected: Date.UTC(2013, 8, 2, 19, 46, 1, 250) },
    { value: '2013-09-02T19:46:01+02:00', expected: Date.UTC(2013, 8, 2, 17, 46, 1) },
    { value: '2013-09-02T19:46:01-05:30', expected: Date.UTC(2013, 8, 3, 1, 16, 1) },
    { value: '2013-09-02T19:46:01+0100', expected: Date.UTC(2013, 8, 2, 18, 46, 1) },
    { value: '2013-09-02T19:46:01.5+00:00', expected: Date.UTC(2013, 8, 2, 19, 46, 1, 500) },
  ])('$value (explicit zone)', ({ value, expected }) => {
    expect(parseConcurTimestamp(value)).toBe(expected);
  });

  it('agrees with Date.parse on a full ISO timestamp with Z', () => {
    const iso = '2026-03-08T02:30:15.123Z';
    expect(parseConcurTimestamp(iso)).toBe(Date.parse(iso));
  });

  it.each([
    '2025-02-30',
    '2025-02-29T00:00:00', // not a leap year
    '2024-04-31T10:00:00',
    '2025-13-01',
    '2025-00-10',
    '2025-01-00',
    '2025-01-01T25:00:00',
    '2025-01-01T10:60:00',
    '2025-01-01T10:00:60',
    '',
    'yesterday',
    '2025/01/01',
    '01/02/2025',
    '2025-1-1',
    '2025-01-01T10:00:00.',
    '2025-01-01T10:00:00 GMT',
    '1767225600000',
  ])('%j is not a Concur timestamp -> undefined', (value) => {
    expect(parseConcurTimestamp(value)).toBeUndefined();
  });

  it('keeps years before 100 (the 0001-01-01 sentinel is year 1, not 1901)', () => {
    const epoch = parseConcurTimestamp('0001-01-01T00:00:00');
    expect(epoch).toBeDefined();
    expect(toRfc3339(epoch as number)).toBe('0001-01-01T00:00:00.000Z');
    expect(toRfc3339(parseConcurTimestamp('0099-12-31T23:59:59') as number)).toBe('0099-12-31T23:59:59.000Z');
  });
});

describe('formatConcurFilter', () => {
  it.each([
    { epoch: Date.UTC(2026, 0, 15, 8, 5, 3, 7), expected: '2026-01-15T08:05:03.007' },
    { epoch: Date.UTC(2026, 11, 31, 23, 59, 59, 999), expected: '2026-12-31T23:59:59.999' },
    { epoch: 0, expected: '1970-01-01T00:00:00.000' },
  ])('$expected: yyyy-MM-ddTHH:mm:ss.SSS in UTC, no zone suffix', ({ epoch, expected }) => {
    expect(formatConcurFilter(epoch)).toBe(expected);
  });

  it('round-trips through parseConcurTimestamp', () => {
    const epoch = Date.UTC(2025, 5, 30, 13, 14, 15, 161);
    expect(parseConcurTimestamp(formatConcurFilter(epoch))).toBe(epoch);
  });
});

describe('toRfc3339', () => {
  it.each([
    { epoch: Date.UTC(2013, 8, 2, 19, 46, 1, 570), expected: '2013-09-02T19:46:01.570Z' },
    { epoch: 0, expected: '1970-01-01T00:00:00.000Z' },
  ])('$expected', ({ epoch, expected }) => {
    expect(toRfc3339(epoch)).toBe(expected);
  });

  it('normalises an offset-less Concur timestamp to UTC with Z', () => {
    expect(toRfc3339(parseConcurTimestamp('2013-09-02T19:46:01.57') as number)).toBe('2013-09-02T19:46:01.570Z');
    expect(toRfc3339(parseConcurTimestamp('2013-09-02T19:46:01+02:00') as number)).toBe('2013-09-02T17:46:01.000Z');
  });
});
