import { describe, expect, it } from 'vitest';
import { HISTORY_START, StateError, parseCursorState, planWindows } from '../../../src/engine/cursor.js';

const DAY = 86_400_000;

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

describe('planWindows', () => {
  const end = Date.UTC(2026, 0, 31);
  it('slices the configured range into windows that cover it exactly', () => {
    const windows = planWindows({ configStart: Date.UTC(2026, 0, 1), end, sliceDays: 7, lookbackMs: 0 }, undefined);
    expect(windows[0]?.start).toBe(Date.UTC(2026, 0, 1));
    expect(windows.at(-1)?.end).toBe(end);
    for (let i = 1; i < windows.length; i++) expect(windows[i]?.start).toBe(windows[i - 1]?.end);
    expect(windows.length).toBe(5);
  });
  it('starts from the cursor minus the lookback, never before the configured start', () => {
    const plan = { configStart: Date.UTC(2026, 0, 10), end, sliceDays: 30, lookbackMs: 3_600_000 };
    expect(planWindows(plan, Date.UTC(2026, 0, 20))[0]?.start).toBe(Date.UTC(2026, 0, 20) - 3_600_000);
    expect(planWindows(plan, Date.UTC(2026, 0, 10, 0, 30))[0]?.start).toBe(Date.UTC(2026, 0, 10));
  });
  it('reads the whole history without a configured start', () => {
    expect(planWindows({ configStart: undefined, end, sliceDays: 3660, lookbackMs: 0 }, undefined)[0]?.start).toBe(HISTORY_START);
  });
  it('plans nothing when the cursor is at or past the end', () => {
    expect(planWindows({ configStart: undefined, end, sliceDays: 1, lookbackMs: 0 }, end + 100 * DAY)).toEqual([]);
  });
});
