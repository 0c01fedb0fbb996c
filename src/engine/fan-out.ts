import { setMaxListeners } from 'node:events';

/** One child request set in flight; its output waits here until every earlier one has been yielded. */
class Task<R> {
  items: R[] = [];
  done = false;
  failed = false;
  error: unknown;

  /** `changed` is called on every new item and at the end, after `finished`. */
  constructor(run: () => AsyncIterable<R>, changed: () => void, finished: () => void) {
    void this.start(run, changed, finished);
  }

  private async start(run: () => AsyncIterable<R>, changed: () => void, finished: () => void): Promise<void> {
    try {
      for await (const item of run()) {
        this.items.push(item);
        changed();
      }
    } catch (error) {
      this.failed = true;
      this.error = error;
    } finally {
      this.done = true;
      finished();
      changed();
    }
  }
}

/**
 * Runs `worker` for each source item, up to `concurrency` at a time, and yields the results in source order.
 * Output order (and therefore where checkpoints fall) is the same as a sequential read; only the waiting overlaps.
 * The source is pulled in the background, so its own requests (the next parent page) overlap the workers instead
 * of holding them up; a new worker starts as soon as any one finishes. Finished work waiting for an earlier one
 * is bounded (twice `concurrency` tasks), so a slow head cannot make memory grow.
 * A source error surfaces after the results of everything before it; a worker error likewise, and then (or when
 * the consumer stops early) the remaining work is aborted.
 */
export async function* fanOut<T, R>(
  source: AsyncIterable<T>,
  worker: (item: T, signal: AbortSignal) => AsyncIterable<R>,
  concurrency: number | (() => number),
  signal: AbortSignal,
  /** Told whether the source is being read (a pull in flight), for a caller that shares slots with it. */
  status?: { pulling: boolean },
): AsyncGenerator<R> {
  const limit = typeof concurrency === 'number' ? () => concurrency : concurrency;
  const controller = new AbortController();
  // Every request of every worker listens on it while in flight or queued; how many is bounded by `concurrency`
  // and the client's limiter, not by Node's leak warning (10).
  setMaxListeners(0, controller.signal);
  const abort = (): void => controller.abort(signal.reason);
  signal.addEventListener('abort', abort, { once: true });
  const iterator = source[Symbol.asyncIterator]();
  const tasks: Task<R>[] = [];
  let running = 0;
  let pulling = false;
  let exhausted = false;
  let stopped = false;
  let sourceFailure: { error: unknown } | undefined;
  let waiter: (() => void) | undefined;
  const changed = (): void => {
    const wake = waiter;
    waiter = undefined;
    wake?.();
  };
  const pull = (): void => {
    const most = Math.max(1, limit());
    if (pulling || exhausted || stopped || sourceFailure || running >= most || tasks.length >= 2 * most) return;
    pulling = true;
    if (status) status.pulling = true;
    iterator.next().then(
      (next) => {
        pulling = false;
        if (status) status.pulling = false;
        if (next.done) {
          exhausted = true;
        } else if (stopped) {
          // The consumer left while this item was on its way: close the source now that it is idle.
          void Promise.resolve(iterator.return?.()).catch(() => undefined);
          return;
        } else {
          running++;
          tasks.push(new Task(() => worker(next.value, controller.signal), changed, finished));
        }
        changed();
        pull();
      },
      (error: unknown) => {
        pulling = false;
        if (status) status.pulling = false;
        sourceFailure = { error };
        changed();
      },
    );
  };
  const finished = (): void => {
    running--;
    pull();
  };
  try {
    pull();
    for (;;) {
      const head = tasks[0];
      if (head) {
        if (head.items.length > 0) {
          const batch = head.items;
          head.items = [];
          for (const item of batch) yield item;
          continue;
        }
        if (head.done) {
          if (head.failed) throw head.error;
          tasks.shift();
          pull();
          continue;
        }
      } else {
        if (sourceFailure) throw sourceFailure.error;
        if (exhausted) return;
      }
      await new Promise<void>((resolve) => {
        waiter = resolve;
      });
    }
  } finally {
    stopped = true;
    signal.removeEventListener('abort', abort);
    if (tasks.length > 0 || !exhausted) controller.abort(new Error('fan-out stopped'));
    // A pull still in flight finishes on its own (its requests see the caller's signal) and closes the source
    // then; waiting for it here would hold the consumer up for a whole request.
    if (!exhausted && !pulling) await iterator.return?.();
  }
}

/** Up to `depth` items of `source` read ahead in the background, in order (a fan-out that only passes them on). */
export function prefetch<T>(source: AsyncIterable<T>, depth: number, signal: AbortSignal, status?: { pulling: boolean }): AsyncGenerator<T> {
  return fanOut(source, passOn, depth, signal, status);
}

async function* passOn<T>(item: T): AsyncGenerator<T> {
  yield item;
}
