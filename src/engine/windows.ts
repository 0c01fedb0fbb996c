import type { Window } from './define.js';

const DAY_MS = 86_400_000;

/** Root records one window may hold (they are held until the window is known not to be too full). */
export const MAX_ROOTS_PER_WINDOW = 2_000;
/** Windows shrink no further: a burst of changes within a minute is read as one window, however large. */
export const MIN_WINDOW_MS = 60_000;
/** Nor grow beyond ten years at a time. */
export const MAX_WINDOW_MS = 3660 * DAY_MS;
/** A window grows at most this much over the one before, so a sparse stretch cannot hide a dense one. */
const MAX_GROWTH = 4;

/** What the walk needs of a date-windowed list: whether a window holds anything, and its records. */
export interface WindowedList<T> {
  /** Whether anything was modified in the window (its first page answers that). */
  probe(window: Window): Promise<boolean>;
  /** The window's records, or undefined as soon as there are more than `cap` (the window is then split). */
  list(window: Window, cap: number): Promise<T[] | undefined>;
}

export interface WalkPlan {
  /** Exclusive end of the range. */
  end: number;
  /** Size of the first window read (config slice_days). */
  firstWindowMs: number;
  /** Records of the stream being read between two checkpoints, as windows are sized (config checkpoint_interval). */
  targetRecords: number;
  /**
   * Stream records per root record, to size the window after `steps` steps (1 for the root stream itself). Only
   * finished windows may count, so that the same data always gives the same windows (and the same requests).
   */
  recordsPerRoot: (steps: number) => number | Promise<number>;
}

/** A window read (its records), or a stretch found empty by probes, skipped. Either ends at a checkpoint. */
export type WindowStep<T> = { kind: 'read'; window: Window; records: T[] } | { kind: 'skipped'; window: Window };

/**
 * Walks a date range window by window, so that the requests follow the data rather than the length of the
 * history. Where the history is empty, probes (a list's first page) find where data starts: a binary search of
 * the whole range the first time (one probe per halving, so 16 empty years cost about eight), and after an empty
 * window a gallop (stretches four times as long each probe) followed by a binary search of the last stretch. Where there is data, each window is sized from the last one
 * so that it holds about `targetRecords` of the stream's records; a window that turns out too full is
 * listed again in quarters before anything of it is passed on. Every step ends at a checkpoint, and the windows
 * and skipped stretches cover the range without gap or overlap, so a resumed sync loses nothing.
 */
export async function* walkWindows<T>(list: WindowedList<T>, from: number, plan: WalkPlan): AsyncGenerator<WindowStep<T>> {
  let position = from;
  let size = clampSize(plan.firstWindowMs);
  let searching = true;
  let searchedOnce = false;
  let steps = 0;
  while (position < plan.end) {
    if (searching) {
      const found = searchedOnce ? await gallop(list, position, plan.end, size) : await narrow(list, position, plan.end, size);
      searchedOnce = true;
      if (found === undefined) {
        yield { kind: 'skipped', window: { start: position, end: plan.end } };
        return;
      }
      if (found > position) {
        steps++;
        yield { kind: 'skipped', window: { start: position, end: found } };
      }
      position = found;
      searching = false;
    }
    const window = { start: position, end: Math.min(plan.end, position + size) };
    const roots = rootsPerWindow(await plan.recordsPerRoot(steps), plan.targetRecords);
    let records = await list.list(window, 2 * roots);
    if (records === undefined) {
      if (size > MIN_WINDOW_MS) {
        size = clampSize(size / MAX_GROWTH);
        continue;
      }
      records = (await list.list(window, Number.POSITIVE_INFINITY)) ?? [];
    }
    steps++;
    yield { kind: 'read', window, records };
    position = window.end;
    if (records.length === 0) {
      searching = true;
      continue;
    }
    size = clampSize(Math.min(size * MAX_GROWTH, (size * roots) / records.length));
  }
}

/** Root records that make about `targetRecords` of the stream's, within what a window may hold. */
function rootsPerWindow(recordsPerRoot: number, targetRecords: number): number {
  const perRoot = Math.max(recordsPerRoot, 1 / MAX_ROOTS_PER_WINDOW);
  return Math.max(1, Math.min(MAX_ROOTS_PER_WINDOW, Math.round(targetRecords / perRoot)));
}

/**
 * For a stream read per root record: how many of its records each finished window held, against how many root
 * records, so the next windows can be sized to hold about as many of the stream's records. The walk sizes a
 * window from the windows finished up to the one before the last it listed (the last one's children are still
 * being read then, which keeps requests in flight across windows); only the first window is waited for.
 */
export class WindowTally {
  private readonly roots: number[] = [];
  private readonly records: number[] = [];
  private readonly waiting: Array<{ steps: number; wake: () => void }> = [];

  /** The walk listed a step (a window, or a skipped stretch) with this many root records. */
  listed(roots: number): void {
    this.roots.push(roots);
  }

  /** The stream has read everything of the next step in order: this many of its records. */
  finished(records: number): void {
    this.records.push(records);
    for (const waiter of this.waiting.filter((w) => w.steps <= this.records.length)) {
      this.waiting.splice(this.waiting.indexOf(waiter), 1);
      waiter.wake();
    }
  }

  /** Records per root record over the windows finished before the window that follows `steps` steps. */
  async perRoot(steps: number, signal: AbortSignal): Promise<number> {
    // The steps up to the one before the last, and at least the first that had any root records.
    const first = this.roots.findIndex((roots) => roots > 0);
    const needed = Math.min(steps, Math.max(steps - 1, first + 1));
    if (this.records.length < needed) {
      await new Promise<void>((resolve, reject) => {
        const abort = (): void => reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
        if (signal.aborted) return abort();
        signal.addEventListener('abort', abort, { once: true });
        this.waiting.push({
          steps: needed,
          wake: () => {
            signal.removeEventListener('abort', abort);
            resolve();
          },
        });
      });
    }
    let roots = 0;
    let records = 0;
    for (let i = 0; i < needed; i++) {
      roots += this.roots[i] ?? 0;
      records += this.records[i] ?? 0;
    }
    return roots > 0 ? records / roots : 1;
  }
}

function clampSize(ms: number): number {
  return Math.min(MAX_WINDOW_MS, Math.max(MIN_WINDOW_MS, Math.round(ms)));
}

/** Like narrow, from a point just after an empty window: stretches four times longer each probe, then narrow. */
async function gallop<T>(list: WindowedList<T>, from: number, end: number, size: number): Promise<number | undefined> {
  let known = from;
  for (let reach = size * MAX_GROWTH; known < end; reach *= MAX_GROWTH) {
    const stretch = { start: known, end: Math.min(end, from + reach) };
    if (await list.probe(stretch)) return narrow(list, stretch.start, stretch.end, size);
    known = stretch.end;
  }
  return undefined;
}

/**
 * Halves [lo, hi) until the earliest part that holds anything is at most `size` long, and returns its start. A
 * stretch no longer than `size` costs no probe: reading it answers the same question (an incremental sync).
 * Over a stretch with nothing at all, the last part is returned and reading it finds it empty.
 */
async function narrow<T>(list: WindowedList<T>, lo: number, hi: number, size: number): Promise<number> {
  while (hi - lo > size) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (await list.probe({ start: lo, end: mid })) hi = mid;
    else lo = mid;
  }
  return lo;
}
