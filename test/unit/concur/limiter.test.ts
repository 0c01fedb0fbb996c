import { describe, expect, it } from 'vitest';
import { AdaptiveLimiter } from '../../../src/concur/limiter.js';

/** Lets every pending promise callback run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Starts an acquire and records when (and whether) it was granted. */
function track(limiter: AdaptiveLimiter, signal?: AbortSignal) {
  const state: { release?: () => void; error?: unknown } = {};
  const promise = limiter.acquire(signal).then(
    (release) => {
      state.release = release;
    },
    (error: unknown) => {
      state.error = error;
    },
  );
  return { state, promise };
}

describe('AdaptiveLimiter', () => {
  it('rejects a maximum that is not a positive integer', () => {
    expect(() => new AdaptiveLimiter(0)).toThrow(RangeError);
    expect(() => new AdaptiveLimiter(-1)).toThrow(RangeError);
    expect(() => new AdaptiveLimiter(1.5)).toThrow(RangeError);
  });

  it('never has more than `limit` tasks in flight with many concurrent acquirers', async () => {
    const limiter = new AdaptiveLimiter(3);
    let running = 0;
    let peak = 0;
    let done = 0;
    const task = async (i: number) => {
      const release = await limiter.acquire();
      running++;
      peak = Math.max(peak, running);
      expect(limiter.active).toBeLessThanOrEqual(3);
      await new Promise((resolve) => setTimeout(resolve, i % 4));
      running--;
      done++;
      release();
    };
    await Promise.all(Array.from({ length: 40 }, (_, i) => task(i)));
    expect(done).toBe(40);
    expect(peak).toBe(3);
    expect(limiter.active).toBe(0);
  });

  it('grants slots first come, first served', async () => {
    const limiter = new AdaptiveLimiter(1);
    const first = await limiter.acquire();
    const order: number[] = [];
    const waiters = [1, 2, 3, 4].map((n) =>
      limiter.acquire().then((release) => {
        order.push(n);
        release();
      }),
    );
    await settle();
    expect(order).toEqual([]);
    first();
    await Promise.all(waiters);
    expect(order).toEqual([1, 2, 3, 4]);
  });

  it('a newcomer does not jump the queue when a slot frees up', async () => {
    const limiter = new AdaptiveLimiter(1);
    const release = await limiter.acquire();
    const queued = track(limiter);
    await settle();
    release();
    // The slot was handed to the queued waiter, so a fresh acquire has to wait.
    const late = track(limiter);
    await settle();
    expect(queued.state.release).toBeTypeOf('function');
    expect(late.state.release).toBeUndefined();
    queued.state.release?.();
    await late.promise;
    expect(late.state.release).toBeTypeOf('function');
  });

  it('halves on throttling, never below 1', () => {
    const limiter = new AdaptiveLimiter(10);
    const seen: number[] = [];
    for (let i = 0; i < 5; i++) {
      limiter.onThrottled();
      seen.push(limiter.limit);
    }
    expect(seen).toEqual([5, 2, 1, 1, 1]);
  });

  it('grows by one after `successesPerStep` successes, up to the maximum', () => {
    const limiter = new AdaptiveLimiter(4, 3);
    limiter.onThrottled();
    limiter.onThrottled();
    expect(limiter.limit).toBe(1);
    const after: number[] = [];
    for (let i = 0; i < 12; i++) {
      limiter.onSuccess();
      after.push(limiter.limit);
    }
    expect(after).toEqual([1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 4]);
    expect(limiter.max).toBe(4);
  });

  it('throttling resets the success count', () => {
    const limiter = new AdaptiveLimiter(8, 3);
    limiter.onThrottled(); // 4
    limiter.onSuccess();
    limiter.onSuccess();
    limiter.onThrottled(); // 2, count reset
    limiter.onSuccess();
    limiter.onSuccess();
    expect(limiter.limit).toBe(2);
    limiter.onSuccess();
    expect(limiter.limit).toBe(3);
  });

  it('a shrunk limit holds back new acquirers until enough slots are released', async () => {
    const limiter = new AdaptiveLimiter(4);
    const releases = await Promise.all([1, 2, 3, 4].map(() => limiter.acquire()));
    limiter.onThrottled(); // limit 2 with 4 in flight
    const waiter = track(limiter);
    await settle();
    releases[0]?.();
    releases[1]?.();
    await settle();
    expect(limiter.active).toBe(2);
    expect(waiter.state.release).toBeUndefined();
    releases[2]?.();
    await waiter.promise;
    expect(waiter.state.release).toBeTypeOf('function');
    expect(limiter.active).toBe(2);
  });

  it('wakes waiters when the limit grows', async () => {
    const limiter = new AdaptiveLimiter(2, 1);
    limiter.onThrottled(); // limit 1
    const held = await limiter.acquire();
    const waiter = track(limiter);
    await settle();
    expect(waiter.state.release).toBeUndefined();
    limiter.onSuccess(); // limit 2: the waiter gets the new slot without anyone releasing
    await waiter.promise;
    expect(limiter.limit).toBe(2);
    expect(limiter.active).toBe(2);
    held();
    waiter.state.release?.();
    expect(limiter.active).toBe(0);
  });

  it('an aborted waiting acquire rejects and leaves the queue', async () => {
    const limiter = new AdaptiveLimiter(1);
    const held = await limiter.acquire();
    const controller = new AbortController();
    const aborted = track(limiter, controller.signal);
    const next = track(limiter);
    await settle();
    const reason = new Error('stream cancelled');
    controller.abort(reason);
    await aborted.promise;
    expect(aborted.state.error).toBe(reason);
    expect(aborted.state.release).toBeUndefined();
    // The slot goes to the next waiter, not to the aborted one, and nothing leaks.
    held();
    await next.promise;
    expect(next.state.release).toBeTypeOf('function');
    expect(limiter.active).toBe(1);
    next.state.release?.();
    expect(limiter.active).toBe(0);
    const again = await limiter.acquire();
    expect(limiter.active).toBe(1);
    again();
  });

  it('an already-aborted signal rejects a waiting acquire at once', async () => {
    const limiter = new AdaptiveLimiter(1);
    const held = await limiter.acquire();
    const controller = new AbortController();
    controller.abort(new Error('gone'));
    await expect(limiter.acquire(controller.signal)).rejects.toThrow('gone');
    held();
    expect(limiter.active).toBe(0);
    const next = track(limiter);
    await next.promise;
    expect(limiter.active).toBe(1);
  });

  it('an already-aborted signal takes no free slot', async () => {
    const limiter = new AdaptiveLimiter(1);
    const controller = new AbortController();
    controller.abort(new Error('gone'));
    await expect(limiter.acquire(controller.signal)).rejects.toThrow('gone');
    expect(limiter.active).toBe(0);
  });

  it('aborting after the slot was granted changes nothing', async () => {
    const limiter = new AdaptiveLimiter(1);
    const held = await limiter.acquire();
    const controller = new AbortController();
    const waiter = track(limiter, controller.signal);
    await settle();
    held();
    await waiter.promise;
    controller.abort();
    await settle();
    expect(waiter.state.error).toBeUndefined();
    expect(limiter.active).toBe(1);
    waiter.state.release?.();
    expect(limiter.active).toBe(0);
  });

  it('a double release is harmless', async () => {
    const limiter = new AdaptiveLimiter(2);
    const a = await limiter.acquire();
    const b = await limiter.acquire();
    a();
    a();
    a();
    expect(limiter.active).toBe(1);
    // Had the extra releases counted, three more acquirers would get in instead of one.
    const waiters = [track(limiter), track(limiter), track(limiter)];
    await settle();
    expect(waiters.filter((w) => w.state.release).length).toBe(1);
    expect(limiter.active).toBe(2);
    b();
    b();
    await settle();
    expect(waiters.filter((w) => w.state.release).length).toBe(2);
    expect(limiter.active).toBe(2);
  });
});
