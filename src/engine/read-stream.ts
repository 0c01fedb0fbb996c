import { parseCursorState, planWindows, type WindowPlan } from './cursor.js';
import type { EngineLog, FetchContext, RecordData, StreamDef, Window } from './define.js';
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
  const saved = ctx.incremental ? parseCursorState(def.name, state) : undefined;
  const windows = planWindows(ctx.windows, saved);
  // A parent changed during the sync can show up in two windows: read it (and its children) once.
  const seenRoots = new Set<string>();
  let cursor = saved;
  for (const window of windows) {
    ctx.log.debug(`${def.name}: window ${new Date(window.start).toISOString()} .. ${new Date(window.end).toISOString()}`);
    yield* shapeAll(recordsOf(def, window, ctx, seenRoots), ctx.shaper);
    cursor = Math.max(cursor ?? window.end, window.end);
    yield { kind: 'checkpoint', state: { cursor: new Date(cursor).toISOString() } };
  }
  if (windows.length === 0) {
    // Nothing to read (state at or beyond the end): state stays where it was, or starts at the range's end.
    yield { kind: 'checkpoint', state: { cursor: new Date(Math.max(saved ?? ctx.windows.end, ctx.windows.end)).toISOString() } };
  }
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
  const fetch = fetchContext(ctx, window, undefined, ctx.signal);
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
  const fetch = fetchContext(ctx, window, parentRecord, ctx.signal);
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
  window: Window | undefined,
  parent: RecordData | undefined,
  signal: AbortSignal,
): FetchContext<Options> {
  return { options: ctx.options, window, parent, signal, log: ctx.log };
}
