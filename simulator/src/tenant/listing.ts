import { entryCore, type EntryCore } from './entries.js';
import type { Tenant } from './tenant.js';

/**
 * Paged scans in stable creation order. A scan position is a tuple of indexes
 * ([r], [r, k] or [r, k, s]); a page starts at a position and stops at the next matching
 * record after `limit` matches, which becomes the next page's position. So a page costs
 * O(limit) for unfiltered scans, and no page ever rescans from the start.
 */
export interface Page<T> {
  readonly items: T[];
  /** Position of the first record of the next page, or null on the last page. */
  readonly next: number[] | null;
}

/** Which reports a scan walks: a contiguous index range plus a cheap per-report test. */
export interface ReportRange {
  readonly from: number;
  /** Exclusive. */
  readonly to: number;
  readonly accept: (r: number) => boolean;
}

export function allReports(t: Tenant, accept: (r: number) => boolean): ReportRange {
  return { from: 0, to: t.reportCount, accept };
}

export function oneReport(r: number, accept: (r: number) => boolean): ReportRange {
  return { from: r, to: r + 1, accept };
}

export const NO_REPORTS: ReportRange = { from: 0, to: 0, accept: () => false };

export function pageReports<T>(range: ReportRange, start: readonly number[], limit: number, build: (r: number) => T): Page<T> {
  const items: T[] = [];
  for (let r = Math.max(range.from, start[0] ?? 0); r < range.to; r++) {
    if (!range.accept(r)) continue;
    if (items.length === limit) return { items, next: [r] };
    items.push(build(r));
  }
  return { items, next: null };
}

/** Entries of the reports in range, report by report, in entry order. */
export function pageEntries<T>(
  t: Tenant,
  range: ReportRange,
  start: readonly number[],
  limit: number,
  accept: (e: EntryCore) => boolean,
  build: (e: EntryCore) => T,
): Page<T> {
  const items: T[] = [];
  const startR = start[0] ?? 0;
  const startK = start[1] ?? 0;
  for (let r = Math.max(range.from, startR); r < range.to; r++) {
    if (!range.accept(r)) continue;
    const n = t.entryCount(r);
    for (let k = r === startR ? startK : 0; k < n; k++) {
      const core = entryCore(t, r, k);
      if (!accept(core)) continue;
      if (items.length === limit) return { items, next: [r, k] };
      items.push(build(core));
    }
  }
  return { items, next: null };
}

/** Child records (itemizations, allocations, associations) of the matching entries. */
export function pageChildren<C, T>(
  t: Tenant,
  range: ReportRange,
  start: readonly number[],
  limit: number,
  acceptEntry: (e: EntryCore) => boolean,
  children: (e: EntryCore) => readonly C[],
  acceptChild: (e: EntryCore, child: C, s: number) => boolean,
  build: (e: EntryCore, child: C, s: number) => T,
): Page<T> {
  const items: T[] = [];
  const startR = start[0] ?? 0;
  const startK = start[1] ?? 0;
  const startS = start[2] ?? 0;
  for (let r = Math.max(range.from, startR); r < range.to; r++) {
    if (!range.accept(r)) continue;
    const n = t.entryCount(r);
    for (let k = r === startR ? startK : 0; k < n; k++) {
      const core = entryCore(t, r, k);
      if (!acceptEntry(core)) continue;
      const list = children(core);
      for (let s = r === startR && k === startK ? startS : 0; s < list.length; s++) {
        const child = list[s];
        if (child === undefined || !acceptChild(core, child, s)) continue;
        if (items.length === limit) return { items, next: [r, k, s] };
        items.push(build(core, child, s));
      }
    }
  }
  return { items, next: null };
}

/** A flat index range (attendees). */
export function pageIndexes<T>(
  count: number,
  start: readonly number[],
  limit: number,
  accept: (i: number) => boolean,
  build: (i: number) => T,
): Page<T> {
  const items: T[] = [];
  for (let i = start[0] ?? 0; i < count; i++) {
    if (!accept(i)) continue;
    if (items.length === limit) return { items, next: [i] };
    items.push(build(i));
  }
  return { items, next: null };
}
