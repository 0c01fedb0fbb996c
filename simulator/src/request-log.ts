import { FAULT_NAMES, type FaultName } from './faults.js';
import { COLLECTIONS, type CollectionName, type ListenerName } from './route.js';

/**
 * What tests and users can observe about traffic. Entries never hold header values,
 * tokens, passwords, client secrets or request tokens: the token route logs no body, and
 * query values whose names look secret are replaced.
 */
export interface LogEntry {
  readonly seq: number;
  readonly at: string;
  readonly listener: ListenerName;
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly status: number;
  readonly fault: string | null;
  readonly user: string | null;
  readonly grant: string | null;
  readonly bytes: number;
}

/** Keep the most recent entries only, so a long-running simulator stays small. */
const CAPACITY = 100_000;
const SECRET_NAME = /token|secret|password|passwd|authorization|credential|assertion/i;

export class RequestLog {
  private entries: LogEntry[] = [];
  private seq = 0;

  nextSeq(): number {
    return ++this.seq;
  }

  add(entry: LogEntry): void {
    this.entries.push(entry);
    if (this.entries.length > CAPACITY) this.entries = this.entries.slice(-CAPACITY / 2);
  }

  list(): LogEntry[] {
    return [...this.entries].sort((a, b) => a.seq - b.seq);
  }

  clear(): void {
    this.entries = [];
  }
}

/** Query parameters for the log, with secret-looking values replaced. */
export function loggableQuery(search: URLSearchParams, redactAll: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of search) {
    if (key in out) continue;
    out[key] = redactAll || SECRET_NAME.test(key) ? '[redacted]' : value;
  }
  return out;
}

export interface StatsSnapshot {
  readonly requests: number;
  readonly byPath: Readonly<Record<string, number>>;
  readonly itemsServed: Readonly<Record<CollectionName, number>>;
  readonly faultsInjected: Readonly<Record<FaultName, number>>;
  readonly tokensIssued: number;
  readonly refreshes: number;
}

export class Stats {
  private requests = 0;
  private byPath = new Map<string, number>();
  private itemsServed = zeroes(COLLECTIONS);
  private faultsInjected = zeroes(FAULT_NAMES);
  private tokensIssued = 0;
  private refreshes = 0;

  request(routeKey: string): void {
    this.requests++;
    this.byPath.set(routeKey, (this.byPath.get(routeKey) ?? 0) + 1);
  }

  served(collection: CollectionName, count: number): void {
    this.itemsServed[collection] += count;
  }

  fault(name: FaultName): void {
    this.faultsInjected[name]++;
  }

  tokenIssued(refresh: boolean): void {
    this.tokensIssued++;
    if (refresh) this.refreshes++;
  }

  snapshot(): StatsSnapshot {
    return {
      requests: this.requests,
      byPath: Object.fromEntries([...this.byPath].sort(([a], [b]) => a.localeCompare(b))),
      itemsServed: { ...this.itemsServed },
      faultsInjected: { ...this.faultsInjected },
      tokensIssued: this.tokensIssued,
      refreshes: this.refreshes,
    };
  }

  reset(): void {
    this.requests = 0;
    this.byPath = new Map();
    this.itemsServed = zeroes(COLLECTIONS);
    this.faultsInjected = zeroes(FAULT_NAMES);
    this.tokensIssued = 0;
    this.refreshes = 0;
  }
}

function zeroes<K extends string>(keys: readonly K[]): Record<K, number> {
  const out = {} as Record<K, number>;
  for (const key of keys) out[key] = 0;
  return out;
}
