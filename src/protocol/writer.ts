import type { Writable } from 'node:stream';
import type { AirbyteMessage, JsonObject, RecordChange } from './messages.js';
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

  /**
   * Records of one stream, written as `write` writes each of them, with one await per batch instead of per
   * record (the records are buffered and flushed at the same high-water mark).
   */
  async writeRecords(stream: string, records: readonly { data: JsonObject; changes?: RecordChange[] | undefined }[], emittedAt: number): Promise<void> {
    if (this.failure) throw new Error(`stdout is closed: ${this.failure.message}`);
    if (this.drained) await this.drained;
    let lines: string[] = [];
    let size = 0;
    const push = async (): Promise<void> => {
      // Secrets are looked for once in the joined lines (a scan per line cost more than all else in the writer);
      // only lines of a part that has one are masked one by one.
      let text = lines.join('');
      if (this.redactor.size > 0 && this.redactor.redact(text) !== text) text = lines.map((line) => this.maskRecord(line)).join('');
      lines = [];
      size = 0;
      this.chunks.push(text);
      this.size += text.length;
      if (this.size >= HIGH_WATER) await this.flush();
    };
    for (const { data, changes } of records) {
      const line = recordLine({ type: 'RECORD', record: changes && changes.length > 0 ? { stream, data, emitted_at: emittedAt, meta: { changes } } : { stream, data, emitted_at: emittedAt } });
      lines.push(line);
      size += line.length;
      if (size >= HIGH_WATER) await push();
    }
    if (lines.length > 0) await push();
    if (this.size > 0 && !this.timer) {
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
    const data = this.chunks.length === 1 ? (this.chunks[0] as string) : this.chunks.join('');
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

  /** Records are data and are not walked one by one (hot path): a secret in one is caught by this check. */
  private maskRecord(line: string): string {
    return this.redactor.size > 0 && this.redactor.redact(line) !== line ? JSON.stringify(this.redactor.redactDeep(JSON.parse(line) as AirbyteMessage)) + '\n' : line;
  }

  private serialize(message: AirbyteMessage): string {
    switch (message.type) {
      case 'LOG':
      case 'TRACE':
      case 'CONNECTION_STATUS':
        // The messages that carry free text (errors, URLs, stack traces): masked whole.
        return JSON.stringify(this.redactor.redactDeep(message)) + '\n';
      case 'RECORD':
        return this.maskRecord(recordLine(message));
      default:
        // SPEC and CATALOG are static, STATE holds cursors, and CONTROL must carry the real credentials: the
        // platform stores the config it contains (it is how a rotated refresh token survives).
        return JSON.stringify(message) + '\n';
    }
  }
}

type RecordMessage = Extract<AirbyteMessage, { type: 'RECORD' }>;

/** The line of a record, made to fit the size limit (see record-size.ts). */
function recordLine(message: RecordMessage): string {
  const line = serializeRecord(message);
  const fitted = fitRecord(message.record.data, line.length);
  if (!fitted) return line;
  const changes = [...(message.record.meta?.changes ?? []), ...fitted.changes];
  return JSON.stringify({ ...message, record: { ...message.record, data: fitted.data, meta: { changes } } }) + '\n';
}

/** One record line; a record nested too deeply to serialize is cut at MAX_DEPTH and says so in meta.changes. */
function serializeRecord(message: RecordMessage): string {
  try {
    return JSON.stringify(message) + '\n';
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    const changes = [...(message.record.meta?.changes ?? []), ...limitDepth(message.record.data)];
    return JSON.stringify({ ...message, record: { ...message.record, meta: { changes } } }) + '\n';
  }
}
