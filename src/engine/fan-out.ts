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
  const run = new FanOut(source, worker, typeof concurrency === 'number' ? () => concurrency : concurrency, signal, status);
  try {
    run.pull();
    for (;;) {
      const ready = run.ready();
      if (ready === 'end') return;
      if (ready) for (const item of ready) yield item;
      else await run.change();
    }
  } finally {
    await run.stop();
  }
}

/** The state of one fan-out: the source being pulled, the tasks in source order, and the consumer waiting on them. */
class FanOut<T, R> {
  private readonly controller = new AbortController();
  private readonly iterator: AsyncIterator<T>;
  private readonly tasks: Task<R>[] = [];
  private running = 0;
  private pulling = false;
  private exhausted = false;
  private stopped = false;
  private sourceFailure: { error: unknown } | undefined;
  private waiter: (() => void) | undefined;
  private readonly abort = (): void => this.controller.abort(this.signal.reason);
  private readonly changed = (): void => {
    const wake = this.waiter;
    this.waiter = undefined;
    wake?.();
  };
  private readonly finished = (): void => {
    this.running--;
    this.pull();
  };

  constructor(
    source: AsyncIterable<T>,
    private readonly worker: (item: T, signal: AbortSignal) => AsyncIterable<R>,
    private readonly limit: () => number,
    private readonly signal: AbortSignal,
    private readonly status: { pulling: boolean } | undefined,
  ) {
    // Every request of every worker listens on it while in flight or queued; how many is bounded by `concurrency`
    // and the client's limiter, not by Node's leak warning (10).
    setMaxListeners(0, this.controller.signal);
    signal.addEventListener('abort', this.abort, { once: true });
    this.iterator = source[Symbol.asyncIterator]();
  }

  /** Asks the source for its next item, unless one is on its way or enough work is running or waiting. */
  pull(): void {
    const most = Math.max(1, this.limit());
    if (this.pulling || this.exhausted || this.stopped || this.sourceFailure || this.running >= most || this.tasks.length >= 2 * most) return;
    this.setPulling(true);
    this.iterator.next().then(
      (next) => this.pulled(next),
      (error: unknown) => {
        this.setPulling(false);
        this.sourceFailure = { error };
        this.changed();
      },
    );
  }

  private pulled(next: IteratorResult<T>): void {
    this.setPulling(false);
    if (next.done) {
      this.exhausted = true;
    } else if (this.stopped) {
      // The consumer left while this item was on its way: close the source now that it is idle.
      void Promise.resolve(this.iterator.return?.()).catch(() => undefined);
      return;
    } else {
      this.running++;
      const item = next.value;
      this.tasks.push(new Task(() => this.worker(item, this.controller.signal), this.changed, this.finished));
    }
    this.changed();
    this.pull();
  }

  private setPulling(pulling: boolean): void {
    this.pulling = pulling;
    if (this.status) this.status.pulling = pulling;
  }

  /**
   * The head task's items as they are ready, in source order; 'end' once everything is yielded; undefined while
   * the head is still at work. Throws the failure that comes next in order.
   */
  ready(): R[] | 'end' | undefined {
    for (;;) {
      const head = this.tasks[0];
      if (!head) {
        if (this.sourceFailure) throw this.sourceFailure.error;
        return this.exhausted ? 'end' : undefined;
      }
      if (head.items.length > 0) {
        const batch = head.items;
        head.items = [];
        return batch;
      }
      if (!head.done) return undefined;
      if (head.failed) throw head.error;
      this.tasks.shift();
      this.pull();
    }
  }

  /** Resolves at the next change: an item, a finished task, a pulled source item or a source failure. */
  change(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.waiter = resolve;
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.signal.removeEventListener('abort', this.abort);
    if (this.tasks.length > 0 || !this.exhausted) this.controller.abort(new Error('fan-out stopped'));
    // A pull still in flight finishes on its own (its requests see the caller's signal) and closes the source
    // then; waiting for it here would hold the consumer up for a whole request.
    if (!this.exhausted && !this.pulling) await this.iterator.return?.();
  }
}

/** Up to `depth` items of `source` read ahead in the background, in order (a fan-out that only passes them on). */
export function prefetch<T>(source: AsyncIterable<T>, depth: number, signal: AbortSignal, status?: { pulling: boolean }): AsyncGenerator<T> {
  return fanOut(source, passOn, depth, signal, status);
}

async function* passOn<T>(item: T): AsyncGenerator<T> {
  yield item;
}
