import type { Writable } from 'node:stream';
import type { AirbyteMessage } from './messages.js';
import { fitRecord, limitDepth } from './record-size.js';
import type { Redactor } from './redact.js';

const HIGH_WATER = 64 * 1024;
const IDLE_FLUSH_MS = 50;

/**
 * The only writer to stdout: one JSON line per message. Lines are batched (records only) and written with
 * back-pressure: when the pipe is full, `write` does not resolve until it drains, so a slow reader slows the
 * HTTP fetching instead of growing memory. Every non-record message is flushed at once, so a STATE is never
 * held back behind a timer; records before it are always written before it.
 */
export class MessageWriter {
  private chunks: string[] = [];
  private size = 0;
  private drained: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private failure: Error | undefined;

  constructor(
    private readonly out: Writable,
    private readonly redactor: Redactor,
  ) {
    out.on('error', (error: Error) => {
      this.failure = error;
    });
  }

  async write(message: AirbyteMessage): Promise<void> {
    if (this.failure) throw new Error(`stdout is closed: ${this.failure.message}`);
    if (this.drained) await this.drained;
    const line = this.serialize(message);
    this.chunks.push(line);
    this.size += line.length;
    if (message.type !== 'RECORD' || this.size >= HIGH_WATER) {
      await this.flush();
    } else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush().catch(() => undefined), IDLE_FLUSH_MS);
      this.timer.unref();
    }
  }

  /** Writes whatever is buffered and waits until the stream accepted it. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.drained) await this.drained;
    if (this.size === 0) return;
    const data = this.chunks.join('');
    this.chunks = [];
    this.size = 0;
    if (!this.out.write(data)) {
      this.drained = new Promise<void>((resolve) => {
        const done = (): void => {
          this.out.off('drain', done);
          this.out.off('close', done);
          this.out.off('error', done);
          this.drained = undefined;
          resolve();
        };
        this.out.on('drain', done);
        this.out.on('close', done);
        this.out.on('error', done);
      });
      await this.drained;
    }
    if (this.failure) throw new Error(`stdout is closed: ${this.failure.message}`);
  }

  private serialize(message: AirbyteMessage): string {
    switch (message.type) {
      case 'LOG':
      case 'TRACE':
      case 'CONNECTION_STATUS':
        // The messages that carry free text (errors, URLs, stack traces): masked whole.
        return JSON.stringify(this.redactor.redactDeep(message)) + '\n';
      case 'RECORD': {
        // Records are data and are not walked one by one (hot path); a secret in one is caught by this check.
        let line = serializeRecord(message);
        const fitted = fitRecord(message.record.data, line.length);
        if (fitted) {
          const changes = [...(message.record.meta?.changes ?? []), ...fitted.changes];
          line = JSON.stringify({ ...message, record: { ...message.record, data: fitted.data, meta: { changes } } }) + '\n';
        }
        return this.redactor.size > 0 && this.redactor.redact(line) !== line ? JSON.stringify(this.redactor.redactDeep(JSON.parse(line) as AirbyteMessage)) + '\n' : line;
      }
      default:
        // SPEC and CATALOG are static, STATE holds cursors, and CONTROL must carry the real credentials: the
        // platform stores the config it contains (it is how a rotated refresh token survives).
        return JSON.stringify(message) + '\n';
    }
  }
}

/** One record line; a record nested too deeply to serialize is cut at MAX_DEPTH and says so in meta.changes. */
function serializeRecord(message: Extract<AirbyteMessage, { type: 'RECORD' }>): string {
  try {
    return JSON.stringify(message) + '\n';
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    const changes = [...(message.record.meta?.changes ?? []), ...limitDepth(message.record.data)];
    return JSON.stringify({ ...message, record: { ...message.record, meta: { changes } } }) + '\n';
  }
}
