import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { recordMessage, type AirbyteMessage } from '../../../src/protocol/messages.js';
import { MAX_RECORD_CHARS } from '../../../src/protocol/record-size.js';
import { Redactor } from '../../../src/protocol/redact.js';
import { MessageWriter } from '../../../src/protocol/writer.js';
import { hostileCase } from '../../helpers/fault-report.js';

// Hostile payloads: one giant or pathologically nested value must not stall the pipe, crash the
// serializer or cost the record; it is nulled and named in meta.changes.
// For `npm run test:faults`: each oversized or deep record is one hostile input, handled when the assertions hold.
const SUITE = 'oversized records';

async function written(data: Record<string, unknown>): Promise<{ line: string; message: AirbyteMessage }> {
  const sink = new PassThrough();
  const chunks: string[] = [];
  sink.on('data', (c: Buffer) => chunks.push(c.toString()));
  const out = new MessageWriter(sink, new Redactor());
  await out.write(recordMessage('s', data, 1));
  await out.flush();
  const line = chunks.join('');
  return { line, message: JSON.parse(line) as AirbyteMessage };
}

describe('oversized and deeply nested records', () => {
  it('leaves a normal record exactly as JSON.stringify writes it', async () => {
    const data = { ID: 'a', Name: 'x', Nested: { List: [1, 2, { Deep: true }] } };
    const { line } = await written(data);
    expect(line).toBe(JSON.stringify(recordMessage('s', { ...data }, 1)) + '\n');
  });

  it('nulls a 50 MB field, keeps the rest of the record and reports the field', async () => {
    await hostileCase(SUITE, 'oversized record (writer)', async () => {
      const { line, message } = await written({ ID: 'big', Comment: 'x'.repeat(50 * 1024 * 1024), Amount: 12.5, Other: 'kept' });
      expect(line.length).toBeLessThan(MAX_RECORD_CHARS);
      expect(message.type === 'RECORD' && message.record).toMatchObject({
        data: { ID: 'big', Comment: null, Amount: 12.5, Other: 'kept' },
        meta: { changes: [{ field: 'Comment', change: 'NULLED', reason: 'SOURCE_FIELD_SIZE_LIMITATION' }] },
      });
    });
  });

  it('nulls the biggest values first when many large ones add up, nested ones included', async () => {
    await hostileCase(SUITE, 'oversized record (writer)', async () => {
      const six = 'y'.repeat(6 * 1024 * 1024);
      const { line, message } = await written({ ID: 'many', A: six, B: { C: six }, D: [six], E: 'small' });
      expect(line.length).toBeLessThan(MAX_RECORD_CHARS);
      const record = message.type === 'RECORD' ? message.record : undefined;
      expect(record?.data['E']).toBe('small');
      expect(record?.meta?.changes.length).toBeGreaterThanOrEqual(1);
      expect(record?.meta?.changes.every((c) => c.reason === 'SOURCE_FIELD_SIZE_LIMITATION')).toBe(true);
    });
  });

  it('cuts a value nested 100,000 levels deep (JSON.stringify cannot) and says where', async () => {
    await hostileCase(SUITE, 'oversized record (writer)', async () => {
      let deep: unknown = 'bottom';
      for (let i = 0; i < 100_000; i++) deep = [deep];
      const { message } = await written({ ID: 'deep', Custom: deep, Name: 'kept' });
      const record = message.type === 'RECORD' ? message.record : undefined;
      expect(record?.data['ID']).toBe('deep');
      expect(record?.data['Name']).toBe('kept');
      expect(record?.meta?.changes).toHaveLength(1);
      expect(record?.meta?.changes[0]).toMatchObject({ change: 'NULLED', reason: 'SOURCE_SERIALIZATION_ERROR' });
      expect(record?.meta?.changes[0]?.field.startsWith('Custom.0.0')).toBe(true);
    });
  });
});
