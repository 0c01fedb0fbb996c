/** The state this engine writes for a windowed stream: everything modified before `cursor` has been read. */
export interface CursorState {
  cursor: string;
}

export class StateError extends Error {
  override readonly name = 'StateError';
}

/**
 * Reads a stream's saved state. Accepts `{cursor: RFC 3339}`; an empty or absent state means "start from the
 * configured start". Anything else is refused with the path and the fix, never silently reset (that would
 * re-read or skip data without anyone knowing).
 */
export function parseCursorState(stream: string, raw: Record<string, unknown> | null | undefined): number | undefined {
  if (raw === null || raw === undefined || Object.keys(raw).length === 0) return undefined;
  const value = raw['cursor'];
  const where = `state for stream ${stream}: stream_state.cursor`;
  if (typeof value !== 'string') {
    throw new StateError(
      `${where} is ${value === undefined ? 'missing' : `a ${typeof value}`}; expected an RFC 3339 timestamp like "2026-01-31T00:00:00.000Z". Reset this stream's state to start over.`,
    );
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    throw new StateError(`${where} "${value.slice(0, 64)}" is not an RFC 3339 timestamp with an offset (e.g. "2026-01-31T00:00:00.000Z").`);
  }
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw new StateError(`${where} "${value.slice(0, 64)}" is not a valid date.`);
  return at;
}

export interface WindowPlan {
  /** Configured start of the sync range (epoch ms); undefined = from the beginning of Concur time. */
  configStart: number | undefined;
  /** Exclusive end of the range: the configured end or the sync's start time, whichever is earlier. */
  end: number;
  /** The moment the sync started: the end of the windows of a stream whose range its own request applies. */
  now: number;
  sliceDays: number;
  /** Records of the stream between two checkpoints, as date windows are sized. */
  recordsPerCheckpoint: number;
  lookbackMs: number;
}

/** Concur data starts long after this; reading from here means "the whole history". */
export const HISTORY_START = Date.UTC(2000, 0, 1);

/** Where a sync starts: the saved cursor minus the lookback, never before the configured start. */
export function startOf(plan: WindowPlan, cursor: number | undefined): number {
  const floor = plan.configStart ?? HISTORY_START;
  return cursor === undefined ? floor : Math.max(floor, cursor - plan.lookbackMs);
}
