import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { logMessage, recordMessage, stateMessage } from '../../../src/protocol/messages.js';
import { Redactor } from '../../../src/protocol/redact.js';
import { MessageWriter } from '../../../src/protocol/writer.js';

/** A pipe whose reader takes one chunk every `everyMs`, with a small buffer: a slow consumer. */
function slowSink(highWaterMark: number, everyMs: number) {
  const chunks: string[] = [];
  let pending = 0;
  const sink = new Writable({
    highWaterMark,
    write(chunk: Buffer, _encoding, done) {
      pending++;
      setTimeout(() => {
        chunks.push(chunk.toString());
        pending--;
        done();
      }, everyMs);
    },
  });
  return { sink, chunks, buffered: () => sink.writableLength, pending: () => pending };
}

describe('MessageWriter', () => {
  it('writes one JSON object per line, records batched and flushed before any other message', async () => {
    const { sink, chunks } = slowSink(1 << 20, 0);
    const out = new MessageWriter(sink, new Redactor());
    await out.write(recordMessage('s', { a: 1 }, 1));
    await out.write(recordMessage('s', { a: 2 }, 2));
    expect(chunks.join('')).toBe('');
    await out.write(stateMessage('s', { cursor: 'x' }, 2));
    await new Promise((r) => setTimeout(r, 5));
    const lines = chunks.join('').trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string });
    expect(lines.map((l) => l.type)).toEqual(['RECORD', 'RECORD', 'STATE']);
  });

  it('flushes buffered records after a short idle time', async () => {
    const { sink, chunks } = slowSink(1 << 20, 0);
    const out = new MessageWriter(sink, new Redactor());
    await out.write(recordMessage('s', { a: 1 }, 1));
    await new Promise((r) => setTimeout(r, 120));
    expect(chunks.join('')).toContain('"RECORD"');
  });

  it('applies back-pressure: a slow reader stops the producer instead of growing memory', async () => {
    const { sink, buffered } = slowSink(16 * 1024, 2);
    const out = new MessageWriter(sink, new Redactor());
    const big = 'x'.repeat(1000);
    let maxBuffered = 0;
    for (let i = 0; i < 2000; i++) {
      await out.write(recordMessage('s', { i, big }, i));
      maxBuffered = Math.max(maxBuffered, buffered());
    }
    await out.flush();
    // 2 MB went through; never more than about one batch (64 KiB) plus the sink's own buffer was held.
    expect(maxBuffered).toBeLessThan(200 * 1024);
  });

  it('masks secrets in every non-record message, and in a record that carries one', async () => {
    const { sink, chunks } = slowSink(1 << 20, 0);
    const redactor = new Redactor();
    redactor.add('s3cr3t-value');
    const out = new MessageWriter(sink, redactor);
    await out.write(logMessage('INFO', 'token s3cr3t-value in https://x/?a=s3cr3t-value'));
    await out.write(recordMessage('s', { note: 'has s3cr3t-value inside' }, 1));
    await out.flush();
    await new Promise((r) => setTimeout(r, 5));
    const text = chunks.join('');
    expect(text).not.toContain('s3cr3t-value');
    expect(text).toContain('****');
    for (const line of text.trimEnd().split('\n')) expect(() => JSON.parse(line) as unknown).not.toThrow();
  });

  it('rejects writes once stdout has failed (reader gone)', async () => {
    const sink = new Writable({
      write(_chunk, _enc, done) {
        done(new Error('EPIPE'));
      },
    });
    const out = new MessageWriter(sink, new Redactor());
    await out.write(logMessage('INFO', 'first')).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 5));
    await expect(out.write(logMessage('INFO', 'second'))).rejects.toThrow(/stdout is closed/);
  });
});
