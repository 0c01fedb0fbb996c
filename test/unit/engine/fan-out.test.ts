import { describe, expect, it } from 'vitest';
import { fanOut } from '../../../src/engine/fan-out.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function* from<T>(items: T[]) {
  for (const item of items) yield item;
}
async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
}

describe('fanOut', () => {
  it('yields results in source order even when later work finishes first', async () => {
    const result = await collect(
      fanOut(from([30, 5, 20, 1]), async function* (ms) {
        await sleep(ms);
        yield `${ms}a`;
        yield `${ms}b`;
      }, 4, new AbortController().signal),
    );
    expect(result).toEqual(['30a', '30b', '5a', '5b', '20a', '20b', '1a', '1b']);
  });

  it('never runs more than `concurrency` workers at once, and does overlap them', async () => {
    let active = 0;
    let peak = 0;
    await collect(
      fanOut(from(Array.from({ length: 20 }, (_, i) => i)), async function* (i) {
        active++;
        peak = Math.max(peak, active);
        await sleep(2);
        active--;
        yield i;
      }, 3, new AbortController().signal),
    );
    expect(peak).toBe(3);
  });

  it('surfaces a worker error in order, after the earlier results, and aborts the rest', async () => {
    const aborted: number[] = [];
    const seen: number[] = [];
    const run = async () => {
      for await (const value of fanOut(from([1, 2, 3, 4]), async function* (i, signal) {
        signal.addEventListener('abort', () => aborted.push(i));
        if (i === 2) throw new Error('child 2 failed');
        await sleep(20);
        yield i;
      }, 4, new AbortController().signal)) {
        seen.push(value);
      }
    };
    await expect(run()).rejects.toThrow('child 2 failed');
    expect(seen).toEqual([1]);
    // Workers 3 and 4 were still sleeping when 2 failed: they are told to stop.
    expect(aborted).toEqual(expect.arrayContaining([3, 4]));
  });

  it('stops pulling the source when the consumer stops early', async () => {
    let pulled = 0;
    async function* source() {
      for (let i = 0; i < 100; i++) {
        pulled++;
        yield i;
      }
    }
    for await (const value of fanOut(source(), async function* (i) {
      yield i;
    }, 2, new AbortController().signal)) {
      if (value === 3) break;
    }
    expect(pulled).toBeLessThan(10);
  });
});
