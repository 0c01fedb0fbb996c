import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { SystemError } from './errors.js';

/** What one look at memory found: bytes in use against the bytes allowed, and which limit that was. */
export interface MemoryReading {
  used: number;
  limit: number;
  source: 'container' | 'heap';
}

export interface MemoryGuardOptions {
  /** Where the cgroup filesystem is mounted; tests point it at a directory of their own. */
  cgroupRoot?: string;
  /** Share of a limit at which the sync stops, before the kernel (or V8) kills the process. */
  stopAt?: number;
  /** Share of a limit at which one WARN is logged. */
  warnAt?: number;
  intervalMs?: number;
  onWarn: (message: string) => void;
  onLimit: (error: MemoryLimitError) => void;
  /** Injected in unit tests; defaults read the cgroup files and V8's heap statistics. */
  readFile?: (path: string) => string | undefined;
  heap?: () => { used: number; limit: number };
}

/** Memory ran out: a system error, raised while the emitted state still stands, so a retry resumes from it. */
export class MemoryLimitError extends SystemError {}

const mb = (bytes: number): string => `${Math.round(bytes / 1048576)} MB`;

/**
 * Watches the container's memory (cgroup v2, then v1) and the V8 heap. An out-of-memory kill loses the records
 * written since the last STATE and tells the user nothing, so near the limit the sync is stopped on purpose:
 * fetching ends, the stream re-states its last good state, and a system_error TRACE says what happened and
 * what to change. Page cache (inactive file pages) is not counted: the kernel reclaims it before it kills.
 */
export class MemoryGuard {
  private readonly root: string;
  private readonly stopAt: number;
  private readonly warnAt: number;
  private readonly readFile: (path: string) => string | undefined;
  private readonly heap: () => { used: number; limit: number };
  private timer: NodeJS.Timeout | undefined;
  private warned = false;
  private stopped = false;

  constructor(private readonly options: MemoryGuardOptions) {
    this.root = options.cgroupRoot ?? '/sys/fs/cgroup';
    this.stopAt = options.stopAt ?? 0.9;
    this.warnAt = options.warnAt ?? 0.8;
    this.readFile = options.readFile ?? readText;
    this.heap =
      options.heap ??
      (() => {
        const stats = getHeapStatistics();
        return { used: stats.used_heap_size, limit: stats.heap_size_limit };
      });
  }

  start(): this {
    this.check();
    this.timer = setInterval(() => this.check(), this.options.intervalMs ?? 1000);
    this.timer.unref();
    return this;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The reading closest to its limit, or undefined when no limit is known. */
  read(): MemoryReading | undefined {
    const readings: MemoryReading[] = [];
    const container = this.container();
    if (container) readings.push(container);
    const heap = this.heap();
    if (heap.limit > 0) readings.push({ used: heap.used, limit: heap.limit, source: 'heap' });
    return readings.sort((a, b) => b.used / b.limit - a.used / a.limit)[0];
  }

  check(): void {
    if (this.stopped) return;
    const reading = this.read();
    if (!reading) return;
    const share = reading.used / reading.limit;
    const where = reading.source === 'container' ? "the container's memory limit" : "Node's heap limit";
    if (share >= this.stopAt) {
      this.stopped = true;
      this.stop();
      this.options.onLimit(
        new MemoryLimitError(
          `Memory use reached ${Math.round(share * 100)}% of ${where} (${mb(reading.used)} of ${mb(reading.limit)}), so the sync ` +
            'stopped before the process would be killed. Everything up to the last STATE is kept and the next sync resumes ' +
            'from it. Give the connector more memory (the source resource requirements in Airbyte, or docker --memory), ' +
            'or lower max_concurrency.',
        ),
      );
    } else if (share >= this.warnAt && !this.warned) {
      this.warned = true;
      this.options.onWarn(
        `Memory use is at ${Math.round(share * 100)}% of ${where} (${mb(reading.used)} of ${mb(reading.limit)}); ` +
          `the sync stops on purpose at ${Math.round(this.stopAt * 100)}%.`,
      );
    }
  }

  private container(): MemoryReading | undefined {
    const v2 = this.limitAndUsage('memory.max', 'memory.current', 'inactive_file');
    return v2 ?? this.limitAndUsage('memory/memory.limit_in_bytes', 'memory/memory.usage_in_bytes', 'total_inactive_file');
  }

  private limitAndUsage(limitFile: string, usageFile: string, inactiveKey: string): MemoryReading | undefined {
    const limit = Number(this.readFile(join(this.root, limitFile))?.trim());
    const usage = Number(this.readFile(join(this.root, usageFile))?.trim());
    // "max" (v2) or a huge number (v1) means no limit.
    if (!Number.isFinite(limit) || limit <= 0 || limit >= 2 ** 60 || !Number.isFinite(usage)) return undefined;
    const statFile = join(this.root, limitFile.replace(/[^/]+$/, 'memory.stat'));
    const inactive = Number(new RegExp(`^${inactiveKey} (\\d+)$`, 'm').exec(this.readFile(statFile) ?? '')?.[1] ?? 0);
    return { used: Math.max(0, usage - inactive), limit, source: 'container' };
  }
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
