export type RecordData = Record<string, unknown>;

/** A half-open date window [start, end) in epoch ms. */
export interface Window {
  start: number;
  end: number;
}

export interface EngineLog {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
}

/** Request parameters, as an API takes them; an undefined value is left out of the request. */
export type Query = Readonly<Record<string, string | number | boolean | undefined>>;

/** What a stream's fetch functions get: the slice being read and, for a child, the parent record. */
export interface FetchContext<Options = unknown> {
  options: Options;
  window?: Window | undefined;
  /** The window as the stream's cursor declares its request parameters (empty outside a window). */
  windowQuery: Query;
  parent?: RecordData | undefined;
  /** The JSON schema of the stream being fetched, for APIs whose values need decoding (XML). */
  schema?: Record<string, unknown> | undefined;
  signal: AbortSignal;
  log: EngineLog;
  /** Requests this fetch may keep in flight at once for itself (pages it can ask ahead); 1 when absent. */
  concurrency?: number;
  /** Tells how many records this fetch will yield in all, when the API says (a total on the first page). */
  estimate?: (rows: number) => void;
  /** Only whether the window holds anything is asked: the first page may be as small as the API allows. */
  probe?: boolean;
}

/**
 * How an API filters by date, as its request parameters: their names, how a date is written, its precision,
 * and whether a bound includes the date given. A window [start, end) is asked so that nothing at either edge is
 * lost: exclusive bounds one step outside it, coarse ones rounded outwards (the overlap is read once).
 */
export interface DateFilter {
  /** The lower bound's parameter. */
  after: string;
  /** The upper bound's parameter; absent when the API filters one way only. */
  before?: string;
  /** `exclusive`: strictly after / strictly before. `inclusive`: on or after (and on or before). */
  bounds: 'exclusive' | 'inclusive';
  /** The smallest step the API's dates express, in ms (1, or 1000 for whole seconds). */
  stepMs: number;
  /** A date (epoch ms, a multiple of stepMs) as the API writes it. */
  format: (epochMs: number) => string;
}

/**
 * How a root stream's position is kept between syncs.
 * - `server`: the API filters by date both ways; the engine reads date windows and checkpoints after each.
 * - `since`: the API filters "modified on or after" only; one window from the cursor to now, one checkpoint.
 * - `client`: the API cannot filter; everything is read and records older than the cursor are dropped here. A
 *   record not yet `settled` (a running job) holds the cursor back so it is read again until it is final.
 */
export type CursorDef =
  | { kind: 'server'; field: string; filter: DateFilter }
  | { kind: 'since'; field: string; filter: DateFilter }
  | { kind: 'client'; field: string; settled?: (record: RecordData) => boolean };

/**
 * A child's cursor is its root's: the root's windows drive it and its state means "roots modified before this
 * date are done". The child names only the field of its records that carries the root's cursor value.
 */
export interface ChildCursor {
  field: string;
}

export interface ParentDef<Options> {
  stream: StreamDef<Options>;
  /** Parents worth asking about (e.g. only entries that have attendees). */
  filter?: (parent: RecordData) => boolean;
  /** Child field ← parent field, copied into every child record. */
  inherit?: Readonly<Record<string, string>>;
}

export interface Deprecation {
  /** When SAP deprecated (or decommissioned) the API, as SAP states it. */
  since: string;
  replacement: string;
  decommissioned?: boolean;
}

interface StreamBase<Options> {
  readonly name: string;
  /** Top-level field names forming the primary key. */
  readonly primaryKey: readonly string[];
  readonly deprecated?: Deprecation;
  /**
   * Why this stream cannot be read with these options (an API the token kind may not call), or undefined. Such a
   * stream is not offered by discover, and reading it anyway fails with this reason.
   */
  readonly unreadable?: (options: Options) => string | undefined;
  readonly pages: (ctx: FetchContext<Options>) => AsyncIterable<readonly RecordData[]>;
  /** Reshapes a raw record; also where a synthetic key field is added for APIs that give none. */
  readonly transform?: (record: RecordData, ctx: FetchContext<Options>) => RecordData;
}

export interface RootStreamDef<Options> extends StreamBase<Options> {
  readonly parent?: undefined;
  readonly cursor?: CursorDef;
  /**
   * Whether the configured date range limits this stream's windows (yes when absent). No when the options put the
   * range on another date, which the stream's own request filters, or when the range does not concern the stream
   * (a directory of users): its windows then cover the whole history, to now.
   */
  readonly appliesRange?: (options: Options) => boolean;
}

export interface ChildStreamDef<Options> extends StreamBase<Options> {
  readonly parent: ParentDef<Options>;
  /**
   * Under a root that keeps a cursor, the field that carries it. Under one that keeps none, a child may filter
   * its own records (`client`), as a root would.
   */
  readonly cursor?: ChildCursor | Extract<CursorDef, { kind: 'client' }>;
}

/**
 * A stream, declared as data. `pages` yields the raw records of one request set (one slice and, for a child,
 * one parent) page by page; hooks cover real quirks only.
 */
export type StreamDef<Options = unknown> = RootStreamDef<Options> | ChildStreamDef<Options>;

/** A configured option that the API cannot satisfy (an unknown id, a wrong API choice): the user must change it. */
export class OptionError extends Error {
  override readonly name = 'OptionError';
}

export function defineStream<Options>(def: StreamDef<Options>): StreamDef<Options> {
  const root = rootOf(def);
  if (def.parent && root.cursor && (!def.cursor || 'kind' in def.cursor)) {
    // Otherwise the engine would window it by its root while the catalog said something else.
    throw new Error(`stream ${def.name}: its root ${root.name} keeps a cursor, so it must name the field that carries it`);
  }
  if (def.parent && def.cursor && !('kind' in def.cursor) && !root.cursor) throw new Error(`stream ${def.name}: names a cursor field, but its root ${root.name} keeps no cursor`);
  return Object.freeze(def);
}

/** The stream at the top of a child's parent chain (the stream itself for a root). */
export function rootOf<Options>(def: StreamDef<Options>): RootStreamDef<Options> {
  let current: StreamDef<Options> = def;
  while (current.parent) current = current.parent.stream;
  return current;
}

/** The cursor a stream keeps, as the engine runs it and the catalog declares it: a child's is its root's, on its own field. */
export function cursorOf<Options>(def: StreamDef<Options>): CursorDef | undefined {
  const own = def.cursor;
  if (own === undefined || 'kind' in own) return own;
  const rootCursor = rootOf(def).cursor;
  return rootCursor ? { ...rootCursor, field: own.field } : undefined;
}

/**
 * The date bounds of a window (or of a range open on either side) as the filter's request parameters: an
 * exclusive bound one step outside, a bound between two steps rounded outwards, so every record of the window
 * is asked for.
 */
export function filterQuery(filter: DateFilter, range: { start?: number | undefined; end?: number | undefined }): Record<string, string> {
  const step = filter.stepMs;
  const query: Record<string, string> = {};
  if (range.start !== undefined) {
    const floor = Math.floor(range.start / step) * step;
    query[filter.after] = filter.format(filter.bounds === 'exclusive' ? floor - step : floor);
  }
  if (range.end !== undefined && filter.before !== undefined) {
    const ceiling = Math.ceil(range.end / step) * step;
    // An inclusive bound at `ceiling` would take records of the next window's first step: the overlap is read once.
    query[filter.before] = filter.format(ceiling);
  }
  return query;
}
