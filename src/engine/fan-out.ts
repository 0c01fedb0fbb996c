/** One child request set in flight; its output waits here until every earlier one has been yielded. */
class Task<R> {
  items: R[] = [];
  done = false;
  failed = false;
  error: unknown;
  private waiter: (() => void) | undefined;

  constructor(run: () => AsyncIterable<R>) {
    void this.start(run);
  }

  private async start(run: () => AsyncIterable<R>): Promise<void> {
    try {
      for await (const item of run()) {
        this.items.push(item);
        this.wake();
      }
    } catch (error) {
      this.failed = true;
      this.error = error;
    } finally {
      this.done = true;
      this.wake();
    }
  }

  changed(): Promise<void> {
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }
}

/**
 * Runs `worker` for each source item, up to `concurrency` at a time, and yields the results in source order.
 * Output order (and therefore where checkpoints fall) is the same as a sequential read; only the waiting overlaps.
 * On an error, or when the consumer stops early, the remaining work is aborted.
 */
export async function* fanOut<T, R>(
  source: AsyncIterable<T>,
  worker: (item: T, signal: AbortSignal) => AsyncIterable<R>,
  concurrency: number,
  signal: AbortSignal,
): AsyncGenerator<R> {
  const controller = new AbortController();
  const abort = (): void => controller.abort(signal.reason);
  signal.addEventListener('abort', abort, { once: true });
  const iterator = source[Symbol.asyncIterator]();
  const tasks: Task<R>[] = [];
  let exhausted = false;
  const fill = async (): Promise<void> => {
    while (!exhausted && tasks.length < concurrency) {
      const next = await iterator.next();
      if (next.done) {
        exhausted = true;
        return;
      }
      tasks.push(new Task(() => worker(next.value, controller.signal)));
    }
  };
  try {
    await fill();
    while (tasks.length > 0) {
      const head = tasks[0] as Task<R>;
      for (;;) {
        if (head.items.length > 0) {
          const batch = head.items;
          head.items = [];
          for (const item of batch) yield item;
          continue;
        }
        if (head.done) break;
        await head.changed();
      }
      if (head.failed) throw head.error;
      tasks.shift();
      await fill();
    }
  } finally {
    signal.removeEventListener('abort', abort);
    if (tasks.length > 0 || !exhausted) controller.abort(new Error('fan-out stopped'));
    if (!exhausted) await iterator.return?.();
  }
}
