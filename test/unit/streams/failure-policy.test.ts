import { describe, expect, it } from 'vitest';
import { ConcurError } from '../../../src/concur/errors.js';
import { OptionError, type RecordData } from '../../../src/engine/define.js';
import type { StreamContext } from '../../../src/streams/env.js';
import { withFailurePolicy } from '../../../src/streams/failure-policy.js';

function context(warnings: string[]): StreamContext {
  return { options: {} as StreamContext['options'], windowQuery: {}, signal: new AbortController().signal, log: { debug: () => undefined, info: () => undefined, warn: (m) => void warnings.push(m) } };
}

const failing = (error: Error) =>
  async function* (): AsyncGenerator<RecordData[]> {
    yield [{ ID: 'first' }];
    throw error;
  };

async function drain(pages: AsyncIterable<readonly RecordData[]>): Promise<RecordData[]> {
  const out: RecordData[] = [];
  for await (const page of pages) out.push(...page);
  return out;
}

describe('withFailurePolicy', () => {
  it('skip: the records read so far stand, a warning names the stream and what Concur said', async () => {
    const warnings: string[] = [];
    const pages = withFailurePolicy('s', { not_found: 'skip' }, failing(new ConcurError('not_found', 'Concur answered 404 Not Found: GET /x/1.')));
    expect(await drain(pages(context(warnings)))).toEqual([{ ID: 'first' }]);
    expect(warnings).toEqual(['s: Concur answered 404 Not Found: GET /x/1. It was deleted in Concur after it was listed; skipped.']);
  });

  it('a fix: an option error with Concur’s message and what to change', async () => {
    const pages = withFailurePolicy('s', { permission: () => 'Set config.x.' }, failing(new ConcurError('permission', 'Concur refused access.')));
    const failure = drain(pages(context([])));
    await expect(failure).rejects.toBeInstanceOf(OptionError);
    await expect(drain(pages(context([])))).rejects.toThrow('Concur refused access. Set config.x.');
  });

  it('a rule that finds nothing to fix, another kind, or not a Concur error: the error as it was', async () => {
    const error = new ConcurError('not_found', 'gone');
    await expect(drain(withFailurePolicy('s', { not_found: () => undefined }, failing(error))(context([])))).rejects.toBe(error);
    await expect(drain(withFailurePolicy('s', { permission: 'skip' }, failing(error))(context([])))).rejects.toBe(error);
    const plain = new Error('ours');
    await expect(drain(withFailurePolicy('s', { not_found: 'skip' }, failing(plain))(context([])))).rejects.toBe(plain);
  });
});
