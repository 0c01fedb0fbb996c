import type { Writable } from 'node:stream';
import type { AirbyteMessage, JsonObject, RecordChange } from './messages.js';
import { fitRecord, limitDepth, MAX_RECORD_CHARS } from './record-size.js';
import type { Redactor } from './redact.js';

const HIGH_WATER = 64 * 1024;
const IDLE_FLUSH_MS = 50;
/** What ends a wait for a full pipe: it drained, or it will never take more (closed, or failed). */
const DRAIN_OR_END = ['drain', 'close', 'error'] as const;

/**
 * The only writer to stdout: one JSON line per message. Lines are batched (records only) and written with
 * back-pressure: when the pipe is full, `write` does not resolve until it drains, so a slow reader slows the
 * HTTP fetching instead of growing memory. Every non-record message is flushed at once, so a STATE is never
 * held back behind a timer; records before it are always written before it.
 */
export class MessageWriter {
  /** Masked lines, ready to write. */
  private chunks: string[] = [];
  /** Record lines not yet looked at for secrets: that happens once per chunk, not per record or batch. */
  private records: string[] = [];
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
    this.checkOpen();
    if (this.drained) await this.drained;
    if (message.type === 'RECORD') {
      this.addRecord(recordLine(message));
      if (this.full) await this.flush();
      else this.flushLater();
      return;
    }
    // Records before a message are always written before it.
    this.sealRecords();
    const line = this.serialize(message);
    this.chunks.push(line);
    this.size += line.length;
    await this.flush();
  }

  /**
   * Records of one stream, written as `write` writes each of them, with one await per batch instead of per
   * record (the records are buffered and flushed at the same high-water mark).
   */
  async writeRecords(stream: string, records: readonly { data: JsonObject; changes?: RecordChange[] | undefined }[], emittedAt: number): Promise<void> {
    this.checkOpen();
    if (this.drained) await this.drained;
    // The part of every line that is the same for the whole batch, serialized once.
    const head = `{"type":"RECORD","record":{"stream":${JSON.stringify(stream)},"data":`;
    const tail = `,"emitted_at":${emittedAt}}}\n`;
    for (const { data, changes } of records) {
      this.addRecord(changes && changes.length > 0 ? recordLine({ type: 'RECORD', record: { stream, data, emitted_at: emittedAt, meta: { changes } } }) : plainRecordLine(head, data, tail, stream, emittedAt));
      if (this.full) await this.flush();
    }
    this.flushLater();
  }

  /** Writes whatever is buffered and waits until the stream accepted it. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.drained) await this.drained;
    this.sealRecords();
    if (this.size === 0) return;
    const data = this.chunks.length === 1 ? (this.chunks[0] as string) : this.chunks.join('');
    this.chunks = [];
    this.size = 0;
    if (!this.out.write(data)) {
      this.drained = new Promise<void>((resolve) => {
        const done = (): void => {
          for (const event of DRAIN_OR_END) this.out.off(event, done);
          this.drained = undefined;
          resolve();
        };
        for (const event of DRAIN_OR_END) this.out.on(event, done);
      });
      await this.drained;
    }
    this.checkOpen();
  }

  /** Throws once stdout has failed: nothing more can reach the platform. */
  private checkOpen(): void {
    if (this.failure) throw new Error(`stdout is closed: ${this.failure.message}`);
  }

  /** The buffer reached the high-water mark: write it now rather than on the idle timer. */
  private get full(): boolean {
    return this.size >= HIGH_WATER;
  }

  private addRecord(line: string): void {
    this.records.push(line);
    this.size += line.length;
  }

  private flushLater(): void {
    if (this.size > 0 && !this.timer) {
      this.timer = setTimeout(() => void this.flush().catch(() => undefined), IDLE_FLUSH_MS);
      this.timer.unref();
    }
  }

  /**
   * Records are data and are not walked one by one (hot path): the buffered lines are looked at for a secret
   * once, joined; only lines of a chunk that has one are masked one by one.
   */
  private sealRecords(): void {
    if (this.records.length === 0) return;
    let text = this.records.join('');
    if (this.redactor.holdsSecret(text)) text = this.records.map((line) => this.maskRecord(line)).join('');
    this.records = [];
    this.chunks.push(text);
  }

  private maskRecord(line: string): string {
    return this.redactor.holdsSecret(line) ? JSON.stringify(this.redactor.redactDeep(JSON.parse(line) as AirbyteMessage)) + '\n' : line;
  }

  private serialize(message: AirbyteMessage): string {
    switch (message.type) {
      case 'LOG':
      case 'TRACE':
      case 'CONNECTION_STATUS':
        // The messages that carry free text (errors, URLs, stack traces): masked whole.
        return JSON.stringify(this.redactor.redactDeep(message)) + '\n';
      default:
        // SPEC and CATALOG are static, STATE holds cursors, and CONTROL must carry the real credentials: the
        // platform stores the config it contains (it is how a rotated refresh token survives).
        return JSON.stringify(message) + '\n';
    }
  }
}

/** A record line from its pieces, as `recordLine` would make it for a record without changes. */
function plainRecordLine(head: string, data: JsonObject, tail: string, stream: string, emittedAt: number): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(data);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
  }
  if (json !== undefined && head.length + json.length + tail.length <= MAX_RECORD_CHARS) return head + json + tail;
  // Too deep to serialize, or too big: recordLine cuts or fits it and says what it changed.
  return recordLine({ type: 'RECORD', record: { stream, data, emitted_at: emittedAt } });
}

type RecordMessage = Extract<AirbyteMessage, { type: 'RECORD' }>;

/** The line of a record, made to fit the size limit (see record-size.ts). */
function recordLine(message: RecordMessage): string {
  const line = serializeRecord(message);
  const fitted = fitRecord(message.record.data, line.length);
  return fitted ? lineWithChanges(message, fitted.data, fitted.changes) : line;
}

/** One record line; a record nested too deeply to serialize is cut at MAX_DEPTH and says so in meta.changes. */
function serializeRecord(message: RecordMessage): string {
  try {
    return JSON.stringify(message) + '\n';
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    const cut = limitDepth(message.record.data);
    return lineWithChanges(message, message.record.data, cut);
  }
}

/** The record's line with `data`, the changes it already declared followed by `more`. */
function lineWithChanges(message: RecordMessage, data: JsonObject, more: RecordChange[]): string {
  const changes = [...(message.record.meta?.changes ?? []), ...more];
  return JSON.stringify({ ...message, record: { ...message.record, data, meta: { changes } } }) + '\n';
}
