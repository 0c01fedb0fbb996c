import { parseTimestamp } from '../common/time.js';
import { MAX_WINDOW_DAYS, parseCursorState, startOf, windowFrom, type WindowPlan } from './cursor.js';
import type { CursorDef, EngineLog, FetchContext, RecordData, StreamDef, Window } from './define.js';
import { fanOut } from './fan-out.js';
import type { Shaper } from './shape.js';

export type EngineItem =
  | { kind: 'record'; data: RecordData; nulled: string[] }
  | { kind: 'checkpoint'; state: Record<string, unknown> };

export interface ReadContext<Options> {
  options: Options;
  signal: AbortSignal;
  log: EngineLog;
  shaper: Shaper;
  windows: WindowPlan;
  /** Child request sets in flight at once (the HTTP limiter still caps the total). */
  concurrency: number;
  incremental: boolean;
  /** The schema of a stream by name (a registered stream), handed to its fetch functions. */
  schemaFor?: (stream: string) => Record<string, unknown> | undefined;
}

/** Final state of a stream that keeps no cursor (the Python CDK's marker for the same case). */
export const NO_CURSOR_STATE = { __ab_no_cursor_state_message: true } as const;

/**
 * Reads one stream: records, and checkpoints where every record before them has been yielded. Windowed streams
 * checkpoint after each date window, so a long first sync resumes from the last finished window; the cursor
 * is the window's end (never the max record seen: pages are not sorted by date) and never moves backwards.
 */
export async function* readStream<Options>(
  def: StreamDef<Options>,
  ctx: ReadContext<Options>,
  state: Record<string, unknown> | null,
): AsyncGenerator<EngineItem> {
  const cursorDef = def.cursor ?? rootOf(def).cursor;
  if (!cursorDef) {
    yield* shapeAll(recordsOf(def, undefined, ctx, new Set()), ctx.shaper);
    yield { kind: 'checkpoint', state: { ...NO_CURSOR_STATE } };
    return;
  }
  if (cursorDef.kind === 'since') {
    yield* readSince(def, cursorDef, ctx, state);
    return;
  }
  if (cursorDef.kind === 'client') {
    yield* readClientFiltered(def, cursorDef, ctx, state);
    return;
  }
  const saved = ctx.incremental ? parseCursorState(def.name, state) : undefined;
  const root = rootOf(def);
  // A parent changed during the sync can show up in two windows: read it (and its children) once.
  const seenRoots = new Set<string>();
  let cursor = saved;
  let days = ctx.windows.sliceDays;
  const checkpoint = (end: number): EngineItem => {
    cursor = Math.max(cursor ?? end, end);
    return { kind: 'checkpoint', state: { cursor: new Date(cursor).toISOString() } };
  };
  for (let from = startOf(ctx.windows, saved); from < ctx.windows.end; ) {
    const window = windowFrom(ctx.windows, from, days);
    if (days > ctx.windows.sliceDays) {
      // After an empty window the next one is doubled, but only probed: if it holds anything, it is read a slice
      // at a time instead. Empty years cost one request each doubling; busy periods still checkpoint per slice.
      if (await hasRecords(root, window, ctx)) {
        days = ctx.windows.sliceDays;
        continue;
      }
      ctx.log.debug(`${def.name}: nothing modified ${new Date(window.start).toISOString()} .. ${new Date(window.end).toISOString()}`);
      yield checkpoint(window.end);
      days = Math.min(days * 2, MAX_WINDOW_DAYS);
      from = window.end;
      continue;
    }
    ctx.log.debug(`${def.name}: window ${new Date(window.start).toISOString()} .. ${new Date(window.end).toISOString()}`);
    let records = 0;
    for await (const item of shapeAll(recordsOf(def, window, ctx, seenRoots), ctx.shaper)) {
      records++;
      yield item;
    }
    yield checkpoint(window.end);
    days = records === 0 ? Math.min(days * 2, MAX_WINDOW_DAYS) : ctx.windows.sliceDays;
    from = window.end;
  }
  if (cursor === saved) {
    // Nothing to read (state at or beyond the end): state stays where it was, or starts at the range's end.
    yield checkpoint(Math.max(saved ?? ctx.windows.end, ctx.windows.end));
  }
}

/** Whether the root list has anything in the window: its first page, nothing more. */
async function hasRecords<Options>(root: StreamDef<Options>, window: Window, ctx: ReadContext<Options>): Promise<boolean> {
  for await (const page of root.pages(fetchContext(ctx, root, window, undefined, ctx.signal))) {
    if (page.length > 0) return true;
  }
  return false;
}

/**
 * One pass from the cursor (minus the lookback): the server filters "on or after", the state moves to the end.
 * Concur has no "before" filter here, so records modified at or after the end of the range are dropped: with a
 * configured end date they are outside the range, and without one they were modified during this sync and are
 * read by the next (its start, the cursor minus the lookback, is before them).
 */
async function* readSince<Options>(
  def: StreamDef<Options>,
  cursor: Extract<CursorDef, { kind: 'since' }>,
  ctx: ReadContext<Options>,
  state: Record<string, unknown> | null,
): AsyncGenerator<EngineItem> {
  const saved = ctx.incremental ? parseCursorState(def.name, state) : undefined;
  const start = startOf(ctx.windows, saved);
  const end = ctx.windows.end;
  if (start < end) {
    for await (const batch of recordsOf(def, { start, end }, ctx, new Set())) {
      for (const raw of batch) {
        const at = timestampOf(raw[cursor.field]);
        if (at !== undefined && at >= end) continue;
        const { data, nulled } = ctx.shaper(raw);
        yield { kind: 'record', data, nulled };
      }
    }
  }
  yield { kind: 'checkpoint', state: { cursor: new Date(Math.max(saved ?? end, end)).toISOString() } };
}

const timestampOf = (value: unknown): number | undefined => (typeof value === 'string' ? parseTimestamp(value) : undefined);

/**
 * Everything is read; records whose cursor value is older than the saved cursor (minus the lookback) are dropped.
 * The new cursor is the newest value seen, unless a record is not settled yet (a job still running): then it is
 * that record's value, so the record comes back, final, in a later sync.
 */
async function* readClientFiltered<Options>(
  def: StreamDef<Options>,
  cursor: Extract<CursorDef, { kind: 'client' }>,
  ctx: ReadContext<Options>,
  state: Record<string, unknown> | null,
): AsyncGenerator<EngineItem> {
  const saved = ctx.incremental ? parseCursorState(def.name, state) : undefined;
  // The configured range applies here too (start_date/end_date), on the cursor field.
  const threshold = saved === undefined && ctx.windows.configStart === undefined ? undefined : startOf(ctx.windows, saved);
  const end = ctx.windows.end;
  let newest = saved;
  let oldestUnsettled: number | undefined;
  for await (const batch of recordsOf(def, undefined, ctx, new Set())) {
    for (const raw of batch) {
      const at = timestampOf(raw[cursor.field]);
      if (at !== undefined && ((threshold !== undefined && at < threshold) || at >= end)) continue;
      if (at !== undefined) {
        newest = Math.max(newest ?? at, at);
        if (cursor.settled && !cursor.settled(raw)) oldestUnsettled = Math.min(oldestUnsettled ?? at, at);
      }
      const { data, nulled } = ctx.shaper(raw);
      yield { kind: 'record', data, nulled };
    }
  }
  const next = oldestUnsettled ?? newest;
  yield { kind: 'checkpoint', state: next === undefined ? {} : { cursor: new Date(next).toISOString() } };
}

async function* shapeAll(batches: AsyncIterable<readonly RecordData[]>, shaper: Shaper): AsyncGenerator<EngineItem> {
  for await (const batch of batches) {
    for (const raw of batch) {
      const { data, nulled } = shaper(raw);
      yield { kind: 'record', data, nulled };
    }
  }
}

function rootOf<Options>(def: StreamDef<Options>): StreamDef<Options> {
  let current = def;
  while (current.parent) current = current.parent.stream;
  return current;
}

export function keyOf<Options>(def: StreamDef<Options>, record: RecordData): string {
  return def.primaryKey.length === 1 ? String(record[def.primaryKey[0] as string]) : JSON.stringify(def.primaryKey.map((k) => record[k]));
}

/**
 * Raw records of `def` for one window, in batches, with parent fields inherited and transforms applied.
 * A child stream walks its parents (recursively: reports → entries → attendee links) with bounded fan-out.
 */
function recordsOf<Options>(
  def: StreamDef<Options>,
  window: Window | undefined,
  ctx: ReadContext<Options>,
  seenRoots: Set<string>,
): AsyncIterable<readonly RecordData[]> {
  const parent = def.parent;
  if (!parent) return rootRecords(def, window, ctx, seenRoots);
  const parents = filterParents(recordsOf(parent.stream, window, ctx, seenRoots), parent.filter);
  return fanOut(parents, (record, signal) => childRecords(def, record, window, { ...ctx, signal }), ctx.concurrency, ctx.signal);
}

async function* rootRecords<Options>(
  def: StreamDef<Options>,
  window: Window | undefined,
  ctx: ReadContext<Options>,
  seen: Set<string>,
): AsyncGenerator<readonly RecordData[]> {
  const fetch = fetchContext(ctx, def, window, undefined, ctx.signal);
  for await (const page of def.pages(fetch)) {
    const batch: RecordData[] = [];
    for (const raw of page) {
      if (window) {
        const key = keyOf(def, raw);
        if (seen.has(key)) continue;
        seen.add(key);
      }
      batch.push(def.transform ? def.transform(raw, fetch) : raw);
    }
    if (batch.length > 0) yield batch;
  }
}

async function* filterParents(
  batches: AsyncIterable<readonly RecordData[]>,
  filter: ((parent: RecordData) => boolean) | undefined,
): AsyncGenerator<RecordData> {
  for await (const batch of batches) {
    for (const record of batch) if (!filter || filter(record)) yield record;
  }
}

async function* childRecords<Options>(
  def: StreamDef<Options>,
  parentRecord: RecordData,
  window: Window | undefined,
  ctx: ReadContext<Options>,
): AsyncGenerator<readonly RecordData[]> {
  const fetch = fetchContext(ctx, def, window, parentRecord, ctx.signal);
  const inherit = def.parent?.inherit;
  for await (const page of def.pages(fetch)) {
    const batch: RecordData[] = [];
    for (const raw of page) {
      if (inherit) for (const [field, from] of Object.entries(inherit)) raw[field] = parentRecord[from] ?? null;
      batch.push(def.transform ? def.transform(raw, fetch) : raw);
    }
    if (batch.length > 0) yield batch;
  }
}

function fetchContext<Options>(
  ctx: ReadContext<Options>,
  def: StreamDef<Options>,
  window: Window | undefined,
  parent: RecordData | undefined,
  signal: AbortSignal,
): FetchContext<Options> {
  return { options: ctx.options, window, parent, schema: ctx.schemaFor?.(def.name), signal, log: ctx.log };
}
