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

/** What a stream's fetch functions get: the slice being read and, for a child, the parent record. */
export interface FetchContext<Options = unknown> {
  options: Options;
  window?: Window | undefined;
  parent?: RecordData | undefined;
  /** The JSON schema of the stream being fetched, for APIs whose values need decoding (XML). */
  schema?: Record<string, unknown> | undefined;
  signal: AbortSignal;
  log: EngineLog;
  /** Requests this fetch may keep in flight at once for itself (pages it can ask ahead); 1 when absent. */
  concurrency?: number;
  /** Tells how many records this fetch will yield in all, when Concur says (a total on the first page). */
  estimate?: (rows: number) => void;
  /** Only whether the window holds anything is asked: the first page may be as small as the API allows. */
  probe?: boolean;
}

/**
 * How a stream's position is kept between syncs.
 * - `server`: Concur filters by date both ways; the engine reads date windows and checkpoints after each.
 * - `parent`: the stream is read per parent record; the parent is read by date windows, and the child's state
 *   means "parents modified before this date are done".
 * - `since`: Concur filters by "modified on or after" only; one window from the cursor to now, one checkpoint.
 * - `client`: Concur cannot filter; everything is read and records older than the cursor are dropped here. A
 *   record not yet `settled` (a running job) holds the cursor back so it is read again until it is final.
 */
export type CursorDef =
  | { kind: 'server'; field: string }
  | { kind: 'parent'; field: string }
  | { kind: 'since'; field: string }
  | { kind: 'client'; field: string; settled?: (record: RecordData) => boolean };

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

/**
 * A stream, declared as data. `pages` yields the raw records of one request set (one slice and, for a child,
 * one parent) page by page; hooks cover real quirks only.
 */
export interface StreamDef<Options = unknown> {
  readonly name: string;
  /** Top-level field names forming the primary key. */
  readonly primaryKey: readonly string[];
  /** company: Concur returns every user's data (with user = ALL); token-user: only the token user's own. */
  readonly scope: 'company' | 'token-user';
  readonly cursor?: CursorDef;
  readonly parent?: ParentDef<Options>;
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

/** A configured option that Concur cannot satisfy (an unknown id, a wrong API choice): the user must change it. */
export class OptionError extends Error {
  override readonly name = 'OptionError';
}

export function defineStream<Options>(def: StreamDef<Options>): StreamDef<Options> {
  return Object.freeze(def);
}
