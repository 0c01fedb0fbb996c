/**
 * A concurrency limit shared by every request of the run. On throttling it halves (multiplicative decrease);
 * after a run of successes it grows back by one (additive increase), never above the configured maximum.
 */
export class AdaptiveLimiter {
  private current: number;
  private inFlight = 0;
  private successes = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    readonly max: number,
    private readonly successesPerStep = 20,
  ) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError('max must be a positive integer');
    this.current = max;
  }

  get limit(): number {
    return this.current;
  }

  get active(): number {
    return this.inFlight;
  }

  /** Resolves with a release function once a slot is free. Waiters are served first come, first served. */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('aborted');
    if (this.inFlight < this.current && this.waiting.length === 0) {
      this.inFlight++;
    } else {
      // The slot is counted by wakeNext when it hands it over, so a burst of wake-ups cannot overshoot.
      await new Promise<void>((resolve, reject) => {
        const wake = (): void => {
          signal?.removeEventListener('abort', abort);
          resolve();
        };
        const abort = (): void => {
          const at = this.waiting.indexOf(wake);
          if (at >= 0) this.waiting.splice(at, 1);
          reject(signal?.reason ?? new Error('aborted'));
        };
        if (signal?.aborted) return abort();
        signal?.addEventListener('abort', abort, { once: true });
        this.waiting.push(wake);
      });
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight--;
      this.wakeNext();
    };
  }

  onThrottled(): void {
    this.successes = 0;
    this.current = Math.max(1, Math.floor(this.current / 2));
  }

  onSuccess(): void {
    if (this.current >= this.max) return;
    if (++this.successes >= this.successesPerStep) {
      this.successes = 0;
      this.current++;
      this.wakeNext();
    }
  }

  private wakeNext(): void {
    while (this.inFlight < this.current) {
      const next = this.waiting.shift();
      if (!next) break;
      this.inFlight++;
      next();
    }
  }
}
