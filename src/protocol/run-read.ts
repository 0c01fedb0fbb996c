import { CancelledError, ConnectorError, describeFailure } from './errors.js';
import {
  errorTraceMessage,
  estimateMessage,
  logMessage,
  recordMessage,
  stateMessage,
  streamStatusMessage,
  type JsonObject,
  type RecordChange,
} from './messages.js';
import type { MessageWriter } from './writer.js';

/** What a stream yields to the runner. The engine decides when a checkpoint is safe; the runner only counts. */
export type ReadItem =
  | { kind: 'record'; data: JsonObject; changes?: RecordChange[] }
  /** Records in a batch (a page), for streams that read many: written as records one by one would be. */
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
    let count = 0;
    let records = 0;
    let states = 0;
    let lastState = stream.initialState;
    let lastWrite = options.now();
    const emitState = async (state: JsonObject): Promise<void> => {
      await out.write(stateMessage(stream.name, state, count));
      count = 0;
      states++;
      lastState = state;
      lastWrite = options.now();
    };
    const heartbeat =
      options.heartbeatMs !== undefined
        ? setInterval(() => {
            if (options.now() - lastWrite >= (options.heartbeatMs ?? 0)) void emitState(lastState ?? {}).catch(() => undefined);
          }, Math.max(1000, Math.floor(options.heartbeatMs / 4)))
        : undefined;
    heartbeat?.unref();
    const progress =
      options.progressMs !== undefined
        ? setInterval(() => void out.write(logMessage('INFO', progressLine(stream, records, states, lastState, options.now() - started))).catch(() => undefined), options.progressMs)
        : undefined;
    progress?.unref();
    const summary = (status: 'COMPLETE' | 'INCOMPLETE'): StreamSummary => ({
      stream: stream.name,
      status,
      records,
      states,
      seconds: (options.now() - started) / 1000,
    });

    await out.write(streamStatusMessage(stream.name, 'STARTED', options.now()));
    try {
      if (stream.failure) throw stream.failure;
      if (!stream.read) throw new Error(`stream ${stream.name} has no reader`);
      for await (const item of stream.read(options.signal)) {
        if (options.signal.aborted) throw new CancelledError();
        if (!current.running) {
          current.running = true;
          await out.write(streamStatusMessage(stream.name, 'RUNNING', options.now()));
        }
        switch (item.kind) {
          case 'record':
            await out.write(recordMessage(stream.name, item.data, options.now(), item.changes));
            count++;
            records++;
            lastWrite = options.now();
            break;
          case 'records':
            await out.writeRecords(stream.name, item.records, options.now());
            count += item.records.length;
            records += item.records.length;
            lastWrite = options.now();
            break;
          case 'checkpoint':
            await emitState(item.state);
            break;
          case 'estimate':
            await out.write(estimateMessage(stream.name, item.rows, options.now()));
            break;
        }
      }
      if (options.signal.aborted) throw new CancelledError();
      await out.write(streamStatusMessage(stream.name, 'COMPLETE', options.now()));
      return summary('COMPLETE');
    } catch (error) {
      // Records emitted since the last checkpoint are covered by re-stating the last good state: the platform
      // keeps its counts exact and the next sync resumes from a point that loses nothing.
      if (lastState !== null && (count > 0 || states === 0)) await emitState(lastState);
      await out.write(streamStatusMessage(stream.name, 'INCOMPLETE', options.now()));
      const stopReason = this.stopReason();
      if (stopReason) {
        // The sync was stopped on purpose (memory): the stream in flight carries the reason.
        this.reported = true;
        const failure = describeFailure(stopReason);
        await out.write(errorTraceMessage({ ...failure, message: `${stream.name}: ${failure.message}`, stream: stream.name }, options.now()));
      } else if (error instanceof CancelledError || options.signal.aborted) {
        await out.write(logMessage('WARN', `Stream ${stream.name} stopped: the sync was cancelled.`));
      } else {
        const failure = describeFailure(error);
        await out.write(errorTraceMessage({ ...failure, message: `${stream.name}: ${failure.message}`, stream: stream.name }, options.now()));
      }
      return summary('INCOMPLETE');
    } finally {
      if (heartbeat) clearInterval(heartbeat);
      if (progress) clearInterval(progress);
      this.current = undefined;
    }
  }
}

/** "Progress: expense_entries: 12345 records in 40 s (309 records/s), 4 checkpoints, the last {"cursor":…}; …" */
function progressLine(stream: StreamRun, records: number, states: number, lastState: JsonObject | null, elapsedMs: number): string {
  const seconds = Math.max(elapsedMs / 1000, 0.001);
  const checkpoints = states === 0 ? 'no checkpoint yet' : `${states} checkpoint${states === 1 ? '' : 's'}, the last ${JSON.stringify(lastState).slice(0, 200)}`;
  const extra = stream.progress?.();
  return `Progress: ${stream.name}: ${records} records in ${Math.round(seconds)} s (${Math.round(records / seconds)} records/s), ${checkpoints}${extra ? `; ${extra}` : ''}.`;
}
