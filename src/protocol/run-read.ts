import { CancelledError, ConnectorError, describeFailure } from './errors.js';
import {
  errorTraceMessage,
  estimateMessage,
  logMessage,
  stateMessage,
  streamStatusMessage,
  type AirbyteMessage,
  type JsonObject,
  type RecordChange,
} from './messages.js';
import type { MessageWriter } from './writer.js';

/** What a stream yields to the runner. The engine decides when a checkpoint is safe; the runner only counts. */
export type ReadItem =
  /** Records in a batch (a page): a round of async iteration per record would cost more than writing it. */
  | { kind: 'records'; records: { data: JsonObject; changes?: RecordChange[] | undefined }[] }
  | { kind: 'checkpoint'; state: JsonObject }
  | { kind: 'estimate'; rows: number };

export interface StreamRun {
  name: string;
  /** The state the platform handed in, re-emitted if the stream fails before its first checkpoint. */
  initialState: JsonObject | null;
  /** Set when the configured stream cannot run at all (unknown stream, bad entry). */
  failure?: ConnectorError;
  read?: (signal: AbortSignal) => AsyncIterable<ReadItem>;
  /** More to say in a progress line while the stream runs (requests so far, say). */
  progress?: () => string;
}

export interface ReadOutcome {
  failed: string[];
  cancelled: boolean;
  summaries: StreamSummary[];
}

export interface StreamSummary {
  stream: string;
  status: 'COMPLETE' | 'INCOMPLETE';
  records: number;
  states: number;
  seconds: number;
}

export interface RunReadOptions {
  now: () => number;
  signal: AbortSignal;
  /** Re-emit the last state when nothing was written for this long, so the platform heartbeat stays fed. */
  heartbeatMs?: number;
  /** Log how far the running stream has got this often, so a long sync is never silent. */
  progressMs?: number;
}

/**
 * Reads the configured streams one after the other: STARTED, RUNNING (at the first item), records and STATE
 * with the exact count since the previous STATE, then COMPLETE; on failure the last good state, INCOMPLETE and
 * an ERROR trace, and the next stream still runs.
 */
export class ReadRunner {
  private current: { name: string; running: boolean } | undefined;
  private reported = false;

  constructor(
    private readonly out: MessageWriter,
    private readonly options: RunReadOptions,
  ) {}

  /** Called by the HTTP layer (through the wiring) while it waits on a 429. */
  async rateLimited(quotaResetMs: number | undefined): Promise<void> {
    const current = this.current;
    if (!current) return;
    current.running = true;
    await this.out.write(
      streamStatusMessage(current.name, 'RUNNING', this.options.now(), [
        { type: 'RATE_LIMITED', ...(quotaResetMs !== undefined ? { rate_limited: { quota_reset: quotaResetMs } } : {}) },
      ]),
    );
  }

  async run(streams: readonly StreamRun[]): Promise<ReadOutcome> {
    const outcome: ReadOutcome = { failed: [], cancelled: false, summaries: [] };
    for (const stream of streams) {
      if (this.options.signal.aborted) {
        outcome.cancelled = true;
        break;
      }
      const summary = await this.runOne(stream);
      outcome.summaries.push(summary);
      if (summary.status === 'INCOMPLETE') outcome.failed.push(stream.name);
      if (this.options.signal.aborted) {
        outcome.cancelled = true;
        break;
      }
    }
    this.current = undefined;
    const stopReason = this.stopReason();
    if (stopReason && !this.reported) {
      // Stopped between streams: no stream was in flight to carry the reason, so it is reported on its own.
      this.reported = true;
      await this.out.write(errorTraceMessage(describeFailure(stopReason), this.options.now()));
    }
    if (stopReason) {
      const skipped = streams.map((s) => s.name).filter((name) => !outcome.summaries.some((s) => s.stream === name));
      outcome.failed.push(...skipped);
    }
    return outcome;
  }

  /** Why the sync was stopped, when that was a failure (the memory guard) rather than the platform's cancel. */
  private stopReason(): ConnectorError | undefined {
    const reason: unknown = this.options.signal.aborted ? this.options.signal.reason : undefined;
    return reason instanceof ConnectorError ? reason : undefined;
  }

  private async runOne(stream: StreamRun): Promise<StreamSummary> {
    const { out, options } = this;
    const started = options.now();
    const current = { name: stream.name, running: false };
    this.current = current;
    const tally = new StreamTally(stream, out, options);
    const stopTimers = this.startTimers(stream, tally, started);
    const summary = (status: 'COMPLETE' | 'INCOMPLETE'): StreamSummary => ({
      stream: stream.name,
      status,
      records: tally.records,
      states: tally.states,
      seconds: (options.now() - started) / 1000,
    });

    await out.write(streamStatusMessage(stream.name, 'STARTED', options.now()));
    try {
      await this.readAll(stream, current, tally);
      await out.write(streamStatusMessage(stream.name, 'COMPLETE', options.now()));
      return summary('COMPLETE');
    } catch (error) {
      await this.fail(stream, tally, error);
      return summary('INCOMPLETE');
    } finally {
      stopTimers();
      this.current = undefined;
    }
  }

  /** The heartbeat and the progress log, when asked for; returns what stops them. */
  private startTimers(stream: StreamRun, tally: StreamTally, started: number): () => void {
    const { out, options } = this;
    const heartbeat =
      options.heartbeatMs !== undefined
        ? setInterval(() => {
            if (options.now() - tally.lastWrite >= (options.heartbeatMs ?? 0)) void tally.emitState(tally.lastState ?? {}).catch(() => undefined);
          }, Math.max(1000, Math.floor(options.heartbeatMs / 4)))
        : undefined;
    heartbeat?.unref();
    const progress =
      options.progressMs !== undefined
        ? setInterval(
            () => void out.write(logMessage('INFO', progressLine(stream, tally.records, tally.states, tally.lastState, options.now() - started))).catch(() => undefined),
            options.progressMs,
          )
        : undefined;
    progress?.unref();
    return () => {
      if (heartbeat) clearInterval(heartbeat);
      if (progress) clearInterval(progress);
    };
  }

  /** Writes what the stream yields until it ends; throws when it fails or the sync is cancelled. */
  private async readAll(stream: StreamRun, current: { running: boolean }, tally: StreamTally): Promise<void> {
    const { out, options } = this;
    if (stream.failure) throw stream.failure;
    if (!stream.read) throw new Error(`stream ${stream.name} has no reader`);
    for await (const item of stream.read(options.signal)) {
      if (options.signal.aborted) throw new CancelledError();
      if (!current.running) {
        current.running = true;
        await out.write(streamStatusMessage(stream.name, 'RUNNING', options.now()));
      }
      await this.writeItem(stream.name, item, tally);
    }
    if (options.signal.aborted) throw new CancelledError();
  }

  private async writeItem(name: string, item: ReadItem, tally: StreamTally): Promise<void> {
    const { out, options } = this;
    switch (item.kind) {
      case 'records':
        await out.writeRecords(name, item.records, options.now());
        tally.wrote(item.records.length);
        break;
      case 'checkpoint':
        await tally.emitState(item.state);
        break;
      case 'estimate':
        await out.write(estimateMessage(name, item.rows, options.now()));
        break;
    }
  }

  private async fail(stream: StreamRun, tally: StreamTally, error: unknown): Promise<void> {
    const { out, options } = this;
    // Records emitted since the last checkpoint are covered by re-stating the last good state: the platform
    // keeps its counts exact and the next sync resumes from a point that loses nothing.
    if (tally.lastState !== null && (tally.count > 0 || tally.states === 0)) await tally.emitState(tally.lastState);
    await out.write(streamStatusMessage(stream.name, 'INCOMPLETE', options.now()));
    const stopReason = this.stopReason();
    if (stopReason) {
      // The sync was stopped on purpose (memory): the stream in flight carries the reason.
      this.reported = true;
      await out.write(streamErrorMessage(stream.name, stopReason, options.now()));
    } else if (error instanceof CancelledError || options.signal.aborted) {
      await out.write(logMessage('WARN', `Stream ${stream.name} stopped: the sync was cancelled.`));
    } else {
      await out.write(streamErrorMessage(stream.name, error, options.now()));
    }
  }
}

/** What one stream has written so far, and its STATE messages (each with the records since the one before). */
class StreamTally {
  /** Records since the last STATE. */
  count = 0;
  records = 0;
  states = 0;
  lastState: JsonObject | null;
  lastWrite: number;

  constructor(
    private readonly stream: StreamRun,
    private readonly out: MessageWriter,
    private readonly options: RunReadOptions,
  ) {
    this.lastState = stream.initialState;
    this.lastWrite = options.now();
  }

  async emitState(state: JsonObject): Promise<void> {
    await this.out.write(stateMessage(this.stream.name, state, this.count));
    this.count = 0;
    this.states++;
    this.lastState = state;
    this.lastWrite = this.options.now();
  }

  wrote(records: number): void {
    this.count += records;
    this.records += records;
    this.lastWrite = this.options.now();
  }
}

/** The ERROR trace of a stream that failed, its name leading the message. */
function streamErrorMessage(stream: string, error: unknown, now: number): AirbyteMessage {
  const failure = describeFailure(error);
  return errorTraceMessage({ ...failure, message: `${stream}: ${failure.message}`, stream }, now);
}

/** "Progress: expense_entries: 12345 records in 40 s (309 records/s), 4 checkpoints, the last {"cursor":…}; …" */
function progressLine(stream: StreamRun, records: number, states: number, lastState: JsonObject | null, elapsedMs: number): string {
  const seconds = Math.max(elapsedMs / 1000, 0.001);
  const checkpoints = states === 0 ? 'no checkpoint yet' : `${states} checkpoint${states === 1 ? '' : 's'}, the last ${JSON.stringify(lastState).slice(0, 200)}`;
  const extra = stream.progress?.();
  return `Progress: ${stream.name}: ${records} records in ${Math.round(seconds)} s (${Math.round(records / seconds)} records/s), ${checkpoints}${extra ? `; ${extra}` : ''}.`;
}
