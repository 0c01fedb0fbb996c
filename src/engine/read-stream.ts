import { parseTimestamp } from '../common/time.js';
import { parseCursorState, startOf, type WindowPlan } from './cursor.js';
import { cursorOf, filterQuery, rootOf, type CursorDef, type EngineLog, type FetchContext, type RecordData, type StreamDef, type Window } from './define.js';
import { fanOut, prefetch } from './fan-out.js';
import { KeySet } from './key-set.js';
import type { ShapedRecord, Shaper } from './shape.js';
import { walkWindows, WindowTally, type WindowedList } from './windows.js';

/** What `readStreamBatches` yields: records a page (or a parent's children) at a time, and checkpoints. */
export type EngineBatch =
  | { kind: 'records'; records: ShapedRecord[] }
  | { kind: 'checkpoint'; state: Record<string, unknown> }
  /** Records the stream will yield in all this sync, from Concur's own totals (sent once they are known). */
  | { kind: 'estimate'; rows: number };

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
  /** Set for a root stream's own fetches: a fetch's total, keyed by the fetch, so a total said twice counts once. */
  estimate?: (fetch: object, rows: number) => void;
  /** Told of each root record on its way to the first level of children (for a child's estimate). */
  rootPassed?: () => void;
  /** For a stream read per root record: its records per window, to size the root's date windows. */
  tally?: WindowTally;
}

/** Final state of a stream that keeps no cursor (the Python CDK's marker for the same case). */
export const NO_CURSOR_STATE = { __ab_no_cursor_state_message: true } as const;

/**
 * Reads one stream a batch of records at a time, with checkpoints where every record before them has been
 * yielded. Windowed streams checkpoint after each date window, so a long first sync resumes from the last
 * finished window; the cursor is the window's end (never the max record seen: pages are not sorted by date) and
 * never moves backwards.
 */
export async function* readStreamBatches<Options>(
  def: StreamDef<Options>,
  given: ReadContext<Options>,
  state: Record<string, unknown> | null,
): AsyncGenerator<EngineBatch> {
  // A root that the configured range does not limit reads windows over the whole history.
  const ctx = rootOf(def).appliesRange?.(given.options) === false ? { ...given, windows: { ...given.windows, configStart: undefined, end: given.windows.now } } : given;
  // Totals Concur gives for the root list, one per fetch (a window), so a total said twice counts once.
  const totals = new Map<object, number>();
  let total: number | undefined;
  const estimate = (fetch: object, rows: number): void => {
    total = (total ?? 0) + rows - (totals.get(fetch) ?? 0);
    totals.set(fetch, rows);
  };
  if (!def.parent) {
    let sent: number | undefined;
    for await (const item of batchesOf(def, { ...ctx, estimate }, state)) {
      if (total !== sent) {
        sent = total;
        yield { kind: 'estimate', rows: total as number };
      }
      yield item;
    }
    return;
  }
  // A child's total is its root's total times the child records per root record so far: an estimate that
  // settles as the read goes on (root records in flight count as passed, so it starts low, never high).
  let rootsPassed = 0;
  let childRecords = 0;
  let sent: number | undefined;
  for await (const item of batchesOf(def, { ...ctx, estimate, rootPassed: () => rootsPassed++, tally: new WindowTally() }, state)) {
    if (item.kind === 'records') childRecords += item.records.length;
    if (total !== undefined && rootsPassed > 0) {
      const rows = Math.max(childRecords, Math.round((total * childRecords) / Math.min(rootsPassed, total || 1)));
      if (sent === undefined || Math.abs(rows - sent) > sent / 10) {
        sent = rows;
        yield { kind: 'estimate', rows };
      }
    }
    yield item;
  }
}

async function* batchesOf<Options>(
  def: StreamDef<Options>,
  ctx: ReadContext<Options>,
  state: Record<string, unknown> | null,
): AsyncGenerator<EngineBatch> {
  const cursorDef = cursorOf(def);
  if (!cursorDef) {
    for await (const flow of recordsOf(def, undefined, ctx)) if (flow.kind === 'batch') yield shapeBatch(flow.records, ctx.shaper);
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
  let cursor = saved;
  const checkpoint = (end: number): EngineBatch => {
    cursor = Math.max(cursor ?? end, end);
    return { kind: 'checkpoint', state: { cursor: new Date(cursor).toISOString() } };
  };
  let inWindow = 0;
  for await (const flow of recordsOf(def, { from: startOf(ctx.windows, saved), stream: def.name }, ctx)) {
    if (flow.kind === 'batch') {
      inWindow += flow.records.length;
      yield shapeBatch(flow.records, ctx.shaper);
    } else {
      ctx.tally?.finished(inWindow);
      inWindow = 0;
      yield checkpoint(flow.window.end);
    }
  }
  if (cursor === saved) {
    // Nothing to read (state at or beyond the end): state stays where it was, or starts at the range's end.
    yield checkpoint(Math.max(saved ?? ctx.windows.end, ctx.windows.end));
  }
}

/**
 * What flows from a root list down to the stream being read: records (with the window they were read in), and
 * after the last records of a window its end, which becomes a checkpoint once it has passed every level in order.
 * On the way to a child's requests, a batch holds one parent record.
 */
type Flow = { kind: 'batch'; window: Window | undefined; records: RecordData[] } | { kind: 'end'; window: Window };

/** Root list pages (or window ends) read ahead of the consumer; each page is at most a page of parent records. */
const ROOT_PAGES_AHEAD = 4;

/**
 * The root list read date window by date window, from `from` to the end of the range, as `walkWindows` lays the
 * windows out: sized to the data, with empty stretches found by probes and skipped. A parent changed during the
 * sync can show up in two windows: it is passed on once. The records of a window go on in page-sized batches,
 * and after them the window's end, which becomes a checkpoint once it has passed every level in order.
 */
async function* rootWindows<Options>(label: string, root: StreamDef<Options>, from: number, ctx: ReadContext<Options>): AsyncGenerator<Flow> {
  const seen = new KeySet();
  const list: WindowedList<RecordData> = {
    probe: (window) => hasRecords(root, window, ctx),
    list: async (window, cap) => {
      const records: RecordData[] = [];
      // Not deduplicated yet: a window listed again smaller must find its records again.
      for await (const batch of rootRecords(root, window, ctx, undefined)) {
        for (const record of batch) records.push(record);
        if (records.length > cap) return undefined;
      }
      return records;
    },
  };
  const plan = {
    end: ctx.windows.end,
    firstWindowMs: ctx.windows.sliceDays * DAY_MS,
    targetRecords: ctx.windows.recordsPerCheckpoint,
    recordsPerRoot: (steps: number) => ctx.tally?.perRoot(steps, ctx.signal) ?? 1,
  };
  for await (const step of walkWindows(list, from, plan)) {
    const { window } = step;
    if (step.kind === 'read') {
      ctx.log.debug(`${label}: window ${new Date(window.start).toISOString()} .. ${new Date(window.end).toISOString()}: ${step.records.length} records`);
      const fresh = step.records.filter((record) => seen.add(keyOf(root, record)));
      ctx.tally?.listed(fresh.length);
      for (let i = 0; i < fresh.length; i += BATCH) yield { kind: 'batch', window, records: fresh.slice(i, i + BATCH) };
    } else {
      ctx.tally?.listed(0);
      ctx.log.debug(`${label}: nothing modified ${new Date(window.start).toISOString()} .. ${new Date(window.end).toISOString()}`);
    }
    yield { kind: 'end', window };
  }
}

/** Root records go on in batches of a page (what a v3 list page holds). */
const BATCH = 100;
const DAY_MS = 86_400_000;

function shapeBatch(records: readonly RecordData[], shaper: Shaper): EngineBatch {
  return { kind: 'records', records: records.map(shaper) };
}

/** Whether the root list has anything in the window: its first page (as small as the API allows), nothing more. */
async function hasRecords<Options>(root: StreamDef<Options>, window: Window, ctx: ReadContext<Options>): Promise<boolean> {
  for await (const page of root.pages({ ...fetchContext(ctx, root, window, undefined, ctx.signal), probe: true })) {
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
): AsyncGenerator<EngineBatch> {
  const saved = ctx.incremental ? parseCursorState(def.name, state) : undefined;
  const start = startOf(ctx.windows, saved);
  const end = ctx.windows.end;
  if (start < end) {
    for await (const flow of recordsOf(def, { start, end }, ctx)) {
      if (flow.kind !== 'batch') continue;
      const records: ShapedRecord[] = [];
      for (const raw of flow.records) {
        const at = timestampOf(raw[cursor.field]);
        if (at !== undefined && at >= end) continue;
        records.push(ctx.shaper(raw));
      }
      if (records.length > 0) yield { kind: 'records', records };
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
): AsyncGenerator<EngineBatch> {
  const saved = ctx.incremental ? parseCursorState(def.name, state) : undefined;
  // The configured range applies here too (start_date/end_date), on the cursor field.
  const threshold = saved === undefined && ctx.windows.configStart === undefined ? undefined : startOf(ctx.windows, saved);
  const end = ctx.windows.end;
  let newest = saved;
  let oldestUnsettled: number | undefined;
  for await (const flow of recordsOf(def, undefined, ctx)) {
    if (flow.kind !== 'batch') continue;
    const records: ShapedRecord[] = [];
    for (const raw of flow.records) {
      const at = timestampOf(raw[cursor.field]);
      if (at !== undefined && ((threshold !== undefined && at < threshold) || at >= end)) continue;
      if (at !== undefined) {
        newest = Math.max(newest ?? at, at);
        if (cursor.settled && !cursor.settled(raw)) oldestUnsettled = Math.min(oldestUnsettled ?? at, at);
      }
      records.push(ctx.shaper(raw));
    }
    if (records.length > 0) yield { kind: 'records', records };
  }
  const next = oldestUnsettled ?? newest;
  yield { kind: 'checkpoint', state: next === undefined ? {} : { cursor: new Date(next).toISOString() } };
}

export function keyOf<Options>(def: StreamDef<Options>, record: RecordData): string {
  return def.primaryKey.length === 1 ? String(record[def.primaryKey[0] as string]) : JSON.stringify(def.primaryKey.map((k) => record[k]));
}

/**
 * Raw records of `def`, in batches, with parent fields inherited and transforms applied: for one window (or none),
 * or, given `{from}`, for every date window from there on, each closed by its end (`stream` names the stream being
 * read, for the log). A child stream walks its parents (recursively: reports → entries → attendee links) with
 * bounded, ordered fan-out. The root list is read a few pages ahead in the background, so the next window's list
 * is already on its way while the children of this one are fetched, and the requests in flight stay at the limit
 * across window boundaries (a window's end still reaches the consumer only after all of the window's records).
 */
function recordsOf<Options>(
  def: StreamDef<Options>,
  range: Window | { from: number; stream: string } | undefined,
  ctx: ReadContext<Options>,
  rootStatus: { pulling: boolean } = { pulling: false },
): AsyncIterable<Flow> {
  const parent = def.parent;
  if (!parent) {
    const pages = range !== undefined && 'from' in range ? rootWindows(range.stream, def, range.from, ctx) : rootPages(def, range, ctx);
    // A few pages (or window ends) ahead: with thin windows the list is the critical path of the whole read.
    return prefetch(pages, ROOT_PAGES_AHEAD, ctx.signal, rootStatus);
  }
  const parents = parentItems(recordsOf(parent.stream, range, ctx, rootStatus), parent.filter, parent.stream.parent ? undefined : ctx.rootPassed);
  // The root list is a chain of requests one after the other, and every child waits on it: while it is being
  // read, its request gets a slot of its own instead of queueing behind a full round of children.
  const concurrency = (): number => (rootStatus.pulling && ctx.concurrency > 1 ? ctx.concurrency - 1 : ctx.concurrency);
  return fanOut(parents, (item, signal) => (item.kind === 'end' ? passEnd(item) : childRecords(def, item.records[0] as RecordData, item.window, { ...ctx, signal })), concurrency, ctx.signal);
}

/** The root list of one window (or none): its pages, as they come; in a window, each record once. */
async function* rootPages<Options>(def: StreamDef<Options>, window: Window | undefined, ctx: ReadContext<Options>): AsyncGenerator<Flow> {
  for await (const records of rootRecords(def, window, ctx, window ? new KeySet() : undefined)) yield { kind: 'batch', window, records };
}

async function* rootRecords<Options>(
  def: StreamDef<Options>,
  window: Window | undefined,
  ctx: ReadContext<Options>,
  seen: KeySet | undefined,
): AsyncGenerator<RecordData[]> {
  const fetch = fetchContext(ctx, def, window, undefined, ctx.signal);
  // Only the root list's own read tells totals (a probe of an empty window, or a child, does not).
  const estimate = ctx.estimate;
  if (estimate) fetch.estimate = (rows) => estimate(fetch, rows);
  for await (const page of def.pages(fetch)) {
    const batch: RecordData[] = [];
    for (const raw of page) {
      if (seen && !seen.add(keyOf(def, raw))) continue;
      batch.push(def.transform ? def.transform(raw, fetch) : raw);
    }
    if (batch.length > 0) yield batch;
  }
}

async function* parentItems(
  flows: AsyncIterable<Flow>,
  filter: ((parent: RecordData) => boolean) | undefined,
  passed: (() => void) | undefined,
): AsyncGenerator<Flow> {
  for await (const flow of flows) {
    if (flow.kind === 'end') {
      yield flow;
      continue;
    }
    for (const record of flow.records) {
      passed?.();
      if (!filter || filter(record)) yield { kind: 'batch', window: flow.window, records: [record] };
    }
  }
}

async function* passEnd(end: Extract<Flow, { kind: 'end' }>): AsyncGenerator<Flow> {
  yield end;
}

async function* childRecords<Options>(
  def: StreamDef<Options>,
  parentRecord: RecordData,
  window: Window | undefined,
  ctx: ReadContext<Options>,
): AsyncGenerator<Flow> {
  const fetch = fetchContext(ctx, def, window, parentRecord, ctx.signal);
  const inherit = def.parent?.inherit ? Object.entries(def.parent.inherit) : [];
  for await (const page of def.pages(fetch)) {
    const batch: RecordData[] = [];
    for (const raw of page) {
      for (const [field, from] of inherit) raw[field] = parentRecord[from] ?? null;
      batch.push(def.transform ? def.transform(raw, fetch) : raw);
    }
    if (batch.length > 0) yield { kind: 'batch', window, records: batch };
  }
}

function fetchContext<Options>(
  ctx: ReadContext<Options>,
  def: StreamDef<Options>,
  window: Window | undefined,
  parent: RecordData | undefined,
  signal: AbortSignal,
): FetchContext<Options> {
  // Only a root's own request filters by date (a child is asked per parent, whatever the window).
  const cursor = def.parent ? undefined : def.cursor;
  const windowQuery = window && cursor && cursor.kind !== 'client' ? filterQuery(cursor.filter, window) : {};
  return { options: ctx.options, window, windowQuery, parent, schema: ctx.schemaFor?.(def.name), signal, log: ctx.log, concurrency: ctx.concurrency };
}
