import { describe, expect, it } from 'vitest';
import { HISTORY_START, StateError, parseCursorState, startOf } from '../../../src/engine/cursor.js';


describe('parseCursorState', () => {
  it('reads an RFC 3339 cursor', () => {
    expect(parseCursorState('s', { cursor: '2026-01-31T10:00:00.000Z' })).toBe(Date.UTC(2026, 0, 31, 10));
    expect(parseCursorState('s', { cursor: '2026-01-31T10:00:00+02:00' })).toBe(Date.UTC(2026, 0, 31, 8));
  });
  it.each([[null], [undefined], [{}]])('treats %j as no state', (raw) => {
    expect(parseCursorState('s', raw as Record<string, unknown> | null)).toBeUndefined();
  });
  it.each([
    [{ cursor: 5 }, /stream_state\.cursor is a number/],
    [{ other: 'x' }, /stream_state\.cursor is missing/],
    [{ cursor: '2026-01-31' }, /not an RFC 3339 timestamp/],
    [{ cursor: '2026-13-45T99:00:00Z' }, /not a valid date|not an RFC 3339/],
  ])('refuses %j, naming the stream and the path', (raw, message) => {
    expect(() => parseCursorState('expense_reports', raw)).toThrow(StateError);
    expect(() => parseCursorState('expense_reports', raw)).toThrow(message);
    expect(() => parseCursorState('expense_reports', raw)).toThrow(/expense_reports/);
  });
});

describe('windows', () => {
  const plan = { configStart: Date.UTC(2026, 0, 10), end: Date.UTC(2026, 0, 31), now: Date.UTC(2026, 0, 31), sliceDays: 30, recordsPerCheckpoint: 2000, lookbackMs: 3_600_000 };
  it('start from the cursor minus the lookback, never before the configured start', () => {
    expect(startOf(plan, Date.UTC(2026, 0, 20))).toBe(Date.UTC(2026, 0, 20) - 3_600_000);
    expect(startOf(plan, Date.UTC(2026, 0, 10, 0, 30))).toBe(Date.UTC(2026, 0, 10));
    expect(startOf(plan, undefined)).toBe(Date.UTC(2026, 0, 10));
  });
  it('start at the beginning of Concur history without a configured start', () => {
    expect(startOf({ ...plan, configStart: undefined }, undefined)).toBe(HISTORY_START);
  });
});
