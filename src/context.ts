import { logMessage, type LogLevel } from './protocol/messages.js';
import type { Redactor } from './protocol/redact.js';
import type { MessageWriter } from './protocol/writer.js';

/** What a command runs with: where its messages go, and the clock, randomness and signal it uses (tests supply their own). */
export interface Context {
  out: MessageWriter;
  redactor: Redactor;
  now: () => number;
  random: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  signal: AbortSignal;
  debug: boolean;
  /** Milliseconds without output after which the last state is re-emitted (platform heartbeat). */
  heartbeatMs?: number;
  /** How often a running stream logs its progress. */
  progressMs?: number;
  /** CPU seconds and peak resident memory of this process so far, for the end-of-sync summary. */
  usage?: () => { cpuSeconds: number; peakRssMb: number };
}

/** Log lines as Airbyte LOG messages; the Concur client and the engine log through this. */
export interface Log {
  readonly debugging: boolean;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export function createLog(ctx: Context): Log {
  const emit = (level: LogLevel, message: string): void => {
    void ctx.out.write(logMessage(level, message)).catch(() => undefined);
  };
  return {
    get debugging() {
      return ctx.debug;
    },
    debug: (message) => {
      if (ctx.debug) emit('DEBUG', message);
    },
    info: (message) => emit('INFO', message),
    warn: (message) => emit('WARN', message),
    error: (message) => emit('ERROR', message),
  };
}
