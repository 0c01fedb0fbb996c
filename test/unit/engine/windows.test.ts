import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Window } from '../../../src/engine/define.js';
import { MAX_ROOTS_PER_WINDOW, MIN_WINDOW_MS, walkWindows, type WalkPlan, type WindowStep } from '../../../src/engine/windows.js';

const TARGET_RECORDS_PER_WINDOW = 2_000;

const DAY = 86_400_000;
const YEAR = 365 * DAY;
const T0 = Date.UTC(2010, 0, 1);

/** A list over records at the given times; counts what it is asked, as Concur's request log would. */
function listOf(times: readonly number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  const calls = { probes: 0, lists: 0, refused: 0 };
  const within = (w: Window) => sorted.filter((t) => t >= w.start && t < w.end);
  return {
    calls,
    list: {
      probe: async (w: Window) => {
        calls.probes++;
        return within(w).length > 0;
      },
      list: async (w: Window, cap: number) => {
        calls.lists++;
        const found = within(w);
        if (found.length > cap) {
          calls.refused++;
          return undefined;
        }
        return found;
      },
    },
  };
}

async function walk(times: readonly number[], from: number, end: number, extra: Partial<WalkPlan> = {}) {
  const { list, calls } = listOf(times);
  const steps: WindowStep<number>[] = [];
  for await (const step of walkWindows(list, from, { end, firstWindowMs: 30 * DAY, targetRecords: TARGET_RECORDS_PER_WINDOW, recordsPerRoot: () => 1, ...extra })) steps.push(step);
  return { steps, calls, requests: calls.probes + calls.lists };
}

/** The steps cover [from, end) without gap or overlap, and every record in range is read exactly once. */
function expectExactCover(steps: readonly WindowStep<number>[], times: readonly number[], from: number, end: number): void {
  let position = from;
  for (const step of steps) {
    expect(step.window.start).toBe(position);
    expect(step.window.end).toBeGreaterThan(step.window.start);
    position = step.window.end;
  }
  expect(position).toBe(end);
  const read = steps.flatMap((step) => (step.kind === 'read' ? step.records : [])).sort((a, b) => a - b);
  expect(read).toEqual(times.filter((t) => t >= from && t < end).sort((a, b) => a - b));
}

describe('walkWindows', () => {
  it('covers any range exactly, whatever the data: every record read once, no gap, no overlap (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 20 * YEAR }), { maxLength: 400 }),
        fc.integer({ min: 0, max: 10 * YEAR }),
        fc.integer({ min: 1, max: 12 * YEAR }),
        fc.integer({ min: 1, max: 400 }),
        async (offsets, start, length, firstDays) => {
          const times = offsets.map((o) => T0 + o);
          const { steps } = await walk(times, T0 + start, T0 + start + length, { firstWindowMs: firstDays * DAY });
          expectExactCover(steps, times, T0 + start, T0 + start + length);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('16 empty years before the data cost at most 10 more requests than starting at the first record', async () => {
    // Three years of a steady company: a report every few hours.
    const first = T0 + 16 * YEAR;
    const times = Array.from({ length: 8_000 }, (_, i) => first + Math.floor((i * 3 * YEAR) / 8_000));
    const end = first + 3 * YEAR + DAY;
    const long = await walk(times, T0, end);
    const short = await walk(times, first, end);
    expectExactCover(long.steps, times, T0, end);
    expect(long.requests - short.requests).toBeLessThanOrEqual(10);
    expect(long.requests).toBeLessThanOrEqual(short.requests * 1.1 + 10);
  });

  it('a sparse company costs requests in proportion to its data, not to its history', async () => {
    // Five reports over four years, one year apart: a handful of requests each.
    const times = [0, 1, 2, 3, 4].map((i) => T0 + 12 * YEAR + i * (YEAR - 3 * DAY));
    const { steps, requests } = await walk(times, T0, T0 + 17 * YEAR);
    expectExactCover(steps, times, T0, T0 + 17 * YEAR);
    expect(requests).toBeLessThan(60);
  });

  it('a dense stretch is split so that a checkpoint comes every few thousand records, before any of it goes on', async () => {
    // 60,000 changes within two days, in the middle of a quiet month.
    const times = Array.from({ length: 60_000 }, (_, i) => T0 + 10 * DAY + Math.floor((i * 2 * DAY) / 60_000));
    const { steps, calls } = await walk(times, T0, T0 + 30 * DAY);
    expectExactCover(steps, times, T0, T0 + 30 * DAY);
    const reads = steps.filter((s): s is Extract<WindowStep<number>, { kind: 'read' }> => s.kind === 'read');
    // Only windows already at the smallest size may hold more than twice the target.
    for (const read of reads) if (read.window.end - read.window.start > MIN_WINDOW_MS) expect(read.records.length).toBeLessThanOrEqual(2 * MAX_ROOTS_PER_WINDOW);
    expect(reads.filter((r) => r.records.length > 0).length).toBeGreaterThanOrEqual(60_000 / (2 * MAX_ROOTS_PER_WINDOW));
    expect(calls.refused).toBeGreaterThan(0);
  });

  it("sizes a child stream's windows by its own records: more records per root, fewer roots per window", async () => {
    const times = Array.from({ length: 5_000 }, (_, i) => T0 + Math.floor((i * 100 * DAY) / 5_000));
    const perRoot = 20;
    const { steps } = await walk(times, T0, T0 + 100 * DAY, { firstWindowMs: DAY, recordsPerRoot: () => perRoot });
    const reads = steps.filter((s): s is Extract<WindowStep<number>, { kind: 'read' }> => s.kind === 'read' && s.records.length > 0);
    // After the first window, each holds about TARGET / 20 = 100 roots (2,000 child records), never twice that.
    for (const read of reads.slice(1)) expect(read.records.length * perRoot).toBeLessThanOrEqual(2 * TARGET_RECORDS_PER_WINDOW);
    expect(reads.length).toBeGreaterThan(5_000 / (2 * (TARGET_RECORDS_PER_WINDOW / perRoot)));
  });
});
