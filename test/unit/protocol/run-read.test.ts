import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { ConfigError, TransientError } from '../../../src/protocol/errors.js';
import type { AirbyteMessage } from '../../../src/protocol/messages.js';
import { Redactor } from '../../../src/protocol/redact.js';
import { ReadRunner, type ReadItem, type StreamRun } from '../../../src/protocol/run-read.js';
import { MessageWriter } from '../../../src/protocol/writer.js';

async function runAll(runs: StreamRun[], options: { abort?: AbortController } = {}) {
  const sink = new PassThrough();
  const text: string[] = [];
  sink.on('data', (chunk: Buffer) => text.push(chunk.toString()));
  const out = new MessageWriter(sink, new Redactor());
  const controller = options.abort ?? new AbortController();
  const outcome = await new ReadRunner(out, { now: () => 1000, signal: controller.signal }).run(runs);
  await out.flush();
  const messages = text.join('').trimEnd().split('\n').map((l) => JSON.parse(l) as AirbyteMessage);
  return { outcome, messages };
}

const items = (list: ReadItem[], failAfter?: Error) =>
  async function* (): AsyncGenerator<ReadItem> {
    for (const item of list) yield item;
    if (failAfter) throw failAfter;
  };
const rec = (n: number): ReadItem => ({ kind: 'records', records: [{ data: { n } }] });
const cp = (cursor: string): ReadItem => ({ kind: 'checkpoint', state: { cursor } });

function summary(messages: AirbyteMessage[]) {
  return messages.map((m) => {
    if (m.type === 'RECORD') return `R:${m.record.stream}`;
    if (m.type === 'STATE') return `S:${m.state.stream.stream_descriptor.name}:${JSON.stringify(m.state.stream.stream_state)}:${m.state.sourceStats?.recordCount}`;
    if (m.type === 'TRACE' && m.trace.type === 'STREAM_STATUS') return `${m.trace.stream_status.stream_descriptor.name}:${m.trace.stream_status.status}`;
    if (m.type === 'TRACE' && m.trace.type === 'ERROR') return `E:${m.trace.error.failure_type}:${m.trace.error.stream_descriptor?.name}`;
    return m.type;
  });
}

describe('ReadRunner', () => {
  it('emits STARTED, RUNNING, records, STATE with exact counts since the last STATE, COMPLETE', async () => {
    const { outcome, messages } = await runAll([
      { name: 'a', initialState: null, read: items([rec(1), rec(2), cp('1'), rec(3), cp('2'), cp('3')]) },
    ]);
    expect(summary(messages)).toEqual(['a:STARTED', 'a:RUNNING', 'R:a', 'R:a', 'S:a:{"cursor":"1"}:2', 'R:a', 'S:a:{"cursor":"2"}:1', 'S:a:{"cursor":"3"}:0', 'a:COMPLETE']);
    expect(outcome.failed).toEqual([]);
  });

  it('counts RUNNING for a stream that yields only a checkpoint, so statuses are STARTED, RUNNING, COMPLETE', async () => {
    const { messages } = await runAll([{ name: 'a', initialState: null, read: items([cp('x')]) }]);
    expect(summary(messages)).toEqual(['a:STARTED', 'a:RUNNING', 'S:a:{"cursor":"x"}:0', 'a:COMPLETE']);
  });

  it('on failure re-states the last good state for the records after it, then INCOMPLETE and a trace, and goes on', async () => {
    const { outcome, messages } = await runAll([
      { name: 'a', initialState: { cursor: '0' }, read: items([rec(1), cp('1'), rec(2), rec(3)], new TransientError('boom')) },
      { name: 'b', initialState: null, read: items([rec(1), cp('b')]) },
    ]);
    expect(summary(messages)).toEqual([
      'a:STARTED', 'a:RUNNING', 'R:a', 'S:a:{"cursor":"1"}:1', 'R:a', 'R:a', 'S:a:{"cursor":"1"}:2', 'a:INCOMPLETE', 'E:transient_error:a',
      'b:STARTED', 'b:RUNNING', 'R:b', 'S:b:{"cursor":"b"}:1', 'b:COMPLETE',
    ]);
    expect(outcome.failed).toEqual(['a']);
  });

  it('re-states the incoming state when a stream fails before its first checkpoint', async () => {
    const { messages } = await runAll([{ name: 'a', initialState: { cursor: '0' }, read: items([rec(1)], new Error('bug')) }]);
    expect(summary(messages)).toEqual(['a:STARTED', 'a:RUNNING', 'R:a', 'S:a:{"cursor":"0"}:1', 'a:INCOMPLETE', 'E:system_error:a']);
  });

  it('reports a stream that cannot run (unknown, invalid entry) as INCOMPLETE with a config error', async () => {
    const { outcome, messages } = await runAll([{ name: 'nope', initialState: null, failure: new ConfigError('not offered') }]);
    expect(summary(messages)).toEqual(['nope:STARTED', 'nope:INCOMPLETE', 'E:config_error:nope']);
    expect(outcome.failed).toEqual(['nope']);
  });

  it('stops at cancellation without an error trace and reads no further streams', async () => {
    const abort = new AbortController();
    const { outcome, messages } = await runAll(
      [
        {
          name: 'a',
          initialState: null,
          read: async function* () {
            yield rec(1);
            yield cp('1');
            abort.abort();
            yield rec(2);
          },
        },
        { name: 'b', initialState: null, read: items([rec(1)]) },
      ],
      { abort },
    );
    expect(outcome.cancelled).toBe(true);
    expect(summary(messages).filter((m) => m.startsWith('b'))).toEqual([]);
    expect(summary(messages)).toContain('a:INCOMPLETE');
    expect(summary(messages).some((m) => m.startsWith('E:'))).toBe(false);
  });

  it('marks the current stream RUNNING with a RATE_LIMITED reason while throttled', async () => {
    const sink = new PassThrough();
    const text: string[] = [];
    sink.on('data', (c: Buffer) => text.push(c.toString()));
    const out = new MessageWriter(sink, new Redactor());
    const runner = new ReadRunner(out, { now: () => 5, signal: new AbortController().signal });
    await runner.run([
      {
        name: 'a',
        initialState: null,
        read: async function* () {
          await runner.rateLimited(99_000);
          yield rec(1);
          yield cp('1');
        },
      },
    ]);
    await out.flush();
    const statuses = text.join('').trimEnd().split('\n').map((l) => JSON.parse(l) as AirbyteMessage).filter((m) => m.type === 'TRACE');
    expect(statuses.map((m) => m.type === 'TRACE' && m.trace.type === 'STREAM_STATUS' && m.trace.stream_status)).toEqual([
      { stream_descriptor: { name: 'a' }, status: 'STARTED' },
      { stream_descriptor: { name: 'a' }, status: 'RUNNING', reasons: [{ type: 'RATE_LIMITED', rate_limited: { quota_reset: 99_000 } }] },
      { stream_descriptor: { name: 'a' }, status: 'COMPLETE' },
    ]);
  });

  it('re-emits the last state while a stream waits (a long Retry-After), so the platform heartbeat is fed', async () => {
    vi.useFakeTimers();
    try {
      const sink = new PassThrough();
      const text: string[] = [];
      sink.on('data', (c: Buffer) => text.push(c.toString()));
      const out = new MessageWriter(sink, new Redactor());
      let release: () => void = () => undefined;
      const waiting = new Promise<void>((resolve) => (release = resolve));
      const runner = new ReadRunner(out, { now: () => Date.now(), signal: new AbortController().signal, heartbeatMs: 60_000 });
      const done = runner.run([
        {
          name: 'a',
          initialState: null,
          read: async function* () {
            yield rec(1);
            yield cp('1');
            yield rec(2);
            await waiting; // e.g. a 10-minute Retry-After
            yield cp('2');
          },
        },
      ]);
      await vi.advanceTimersByTimeAsync(10 * 60_000);
      release();
      await done;
      await out.flush();
      const states = summary(text.join('').trimEnd().split('\n').map((l) => JSON.parse(l) as AirbyteMessage)).filter((m) => m.startsWith('S:'));
      // One per minute of silence; the first counts the record read since the checkpoint, the others nothing new.
      expect(states.length).toBeGreaterThanOrEqual(2 + 8);
      expect(states[0]).toBe('S:a:{"cursor":"1"}:1');
      expect(states[1]).toBe('S:a:{"cursor":"1"}:1');
      expect(new Set(states.slice(2, -1))).toEqual(new Set(['S:a:{"cursor":"1"}:0']));
      expect(states.at(-1)).toBe('S:a:{"cursor":"2"}:0');
    } finally {
      vi.useRealTimers();
    }
  });
});
