import type { BodyFormat } from './route.js';

/**
 * Deterministic, counter-based fault injection (no randomness). Grammar:
 *   SPEC = name[:key=value[,key=value]...]
 * Request faults count eligible data requests per fault from 1 and fire on every Nth one
 * (`every`), optionally only for paths containing `path`, stopping after `count` injections.
 */

export const FAULT_NAMES = [
  '429',
  '500',
  '503',
  'latency',
  'slow',
  'reset',
  'truncate',
  'malformed-json',
  'malformed-xml',
  'token-expiry',
  'rotate-refresh',
  'deny-admin',
] as const;
export type FaultName = (typeof FAULT_NAMES)[number];

export type RetryAfter = { readonly kind: 'seconds'; readonly seconds: number } | { readonly kind: 'date' } | { readonly kind: 'none' };

export interface FaultSpec {
  /** Canonical text of the spec (as accepted). */
  readonly spec: string;
  readonly name: FaultName;
  readonly every: number;
  readonly count: number | null;
  readonly path: string | null;
  readonly burst: number;
  readonly ms: number;
  readonly after: number;
  readonly retryAfter: RetryAfter;
}

export class FaultSpecError extends Error {
  override readonly name = 'FaultSpecError';
}

const REQUEST_KEYS = ['every', 'path', 'count'] as const;
const ALLOWED_KEYS: Readonly<Record<FaultName, readonly string[]>> = {
  '429': [...REQUEST_KEYS, 'retry-after'],
  '500': [...REQUEST_KEYS, 'burst'],
  '503': [...REQUEST_KEYS, 'burst', 'retry-after'],
  latency: [...REQUEST_KEYS, 'ms'],
  slow: [...REQUEST_KEYS, 'ms'],
  reset: REQUEST_KEYS,
  truncate: REQUEST_KEYS,
  'malformed-json': REQUEST_KEYS,
  'malformed-xml': REQUEST_KEYS,
  'token-expiry': ['after', 'path', 'count'],
  'rotate-refresh': [],
  'deny-admin': ['path'],
};

const DEFAULT_MS: Partial<Record<FaultName, number>> = { latency: 100, slow: 10_000 };

function isFaultName(name: string): name is FaultName {
  return (FAULT_NAMES as readonly string[]).includes(name);
}

export function parseFaultSpec(text: string): FaultSpec {
  const trimmed = text.trim();
  const colon = trimmed.indexOf(':');
  const name = colon < 0 ? trimmed : trimmed.slice(0, colon);
  if (!isFaultName(name)) {
    throw new FaultSpecError(`unknown fault '${name}' in '${text}' (known: ${FAULT_NAMES.join(', ')})`);
  }
  const values = new Map<string, string>();
  if (colon >= 0) {
    for (const pair of trimmed.slice(colon + 1).split(',')) {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new FaultSpecError(`expected key=value, got '${pair}' in '${text}'`);
      const key = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (!ALLOWED_KEYS[name].includes(key)) {
        throw new FaultSpecError(`fault '${name}' does not take '${key}' (allowed: ${ALLOWED_KEYS[name].join(', ') || 'none'})`);
      }
      if (values.has(key)) throw new FaultSpecError(`'${key}' given twice in '${text}'`);
      values.set(key, value);
    }
  }
  const int = (key: string, fallback: number, min: number): number => {
    const raw = values.get(key);
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < min) throw new FaultSpecError(`'${key}' must be an integer ≥ ${min} in '${text}'`);
    return Number(raw);
  };
  if (name === 'token-expiry' && !values.has('after')) throw new FaultSpecError(`token-expiry needs after=N in '${text}'`);
  const path = values.get('path');
  if (path === '') throw new FaultSpecError(`'path' must not be empty in '${text}'`);
  return {
    spec: trimmed,
    name,
    every: int('every', 1, 1),
    count: values.has('count') ? int('count', 1, 1) : null,
    path: path ?? null,
    burst: int('burst', 1, 1),
    ms: int('ms', DEFAULT_MS[name] ?? 0, 0),
    after: int('after', 0, 0),
    // A 429 says when to come back by default; a 503 only when asked to (maintenance windows do, others don't).
    retryAfter: name === '503' && !values.has('retry-after') ? { kind: 'none' } : parseRetryAfter(values.get('retry-after'), text),
  };
}

function parseRetryAfter(raw: string | undefined, text: string): RetryAfter {
  if (raw === undefined) return { kind: 'seconds', seconds: 1 };
  if (raw === 'date') return { kind: 'date' };
  if (raw === 'none') return { kind: 'none' };
  if (/^\d+$/.test(raw)) return { kind: 'seconds', seconds: Number(raw) };
  throw new FaultSpecError(`retry-after must be seconds, 'date' or 'none' in '${text}'`);
}

/** What the core does to one data request. */
export interface RequestPlan {
  /** Faults that fired for this request (in active-list order). */
  readonly fired: readonly FaultName[];
  readonly delayMs: number;
  readonly status: { readonly status: number; readonly retryAfter: RetryAfter | null } | null;
  readonly corrupt: 'reset' | 'truncate' | 'malformed-json' | 'malformed-xml' | null;
}

export interface FaultStatus {
  readonly spec: string;
  readonly name: FaultName;
  readonly eligible: number;
  readonly injected: number;
}

interface ActiveFault {
  readonly spec: FaultSpec;
  eligible: number;
  injected: number;
}

export class FaultEngine {
  private active: ActiveFault[] = [];

  constructor(specs: readonly FaultSpec[]) {
    this.replace(specs);
  }

  /** Replace the active set; counters restart from zero. */
  replace(specs: readonly FaultSpec[]): void {
    this.active = specs.map((spec) => ({ spec, eligible: 0, injected: 0 }));
  }

  describe(): FaultStatus[] {
    return this.active.map((f) => ({ spec: f.spec.spec, name: f.spec.name, eligible: f.eligible, injected: f.injected }));
  }

  /** Count this data request against every request fault and decide what fires. */
  planRequest(path: string, format: BodyFormat): RequestPlan {
    const fired: FaultName[] = [];
    let delayMs = 0;
    let status: RequestPlan['status'] = null;
    let corrupt: RequestPlan['corrupt'] = null;
    for (const f of this.active) {
      const { name } = f.spec;
      if (name === 'token-expiry' || name === 'rotate-refresh' || name === 'deny-admin') continue;
      if (name === 'malformed-json' && format !== 'json') continue;
      if (name === 'malformed-xml' && format !== 'xml') continue;
      if (f.spec.path !== null && !path.includes(f.spec.path)) continue;
      f.eligible++;
      if (f.spec.count !== null && f.injected >= f.spec.count) continue;
      const m = f.eligible - f.spec.every;
      const burst = name === '500' || name === '503' ? f.spec.burst : 1;
      if (m < 0 || m % f.spec.every >= burst) continue;
      if (name === '429' || name === '500' || name === '503') {
        if (status !== null) continue; // one status per response: the first active fault wins
        status = { status: Number(name), retryAfter: name === '500' ? null : f.spec.retryAfter };
      } else if (name === 'latency' || name === 'slow') {
        delayMs += f.spec.ms;
      } else {
        if (corrupt !== null) continue;
        corrupt = name;
      }
      f.injected++;
      fired.push(name);
    }
    return { fired, delayMs, status, corrupt };
  }

  /**
   * token-expiry: whether a token already used for `uses` data requests is rejected on this request. A spec with
   * `path` applies only to matching requests (the uses still count every request); `count` caps its rejections.
   */
  expireToken(path: string, uses: number): boolean {
    for (const f of this.active) {
      if (f.spec.name !== 'token-expiry') continue;
      if (f.spec.path !== null && !path.includes(f.spec.path)) continue;
      f.eligible++;
      if (uses < f.spec.after || (f.spec.count !== null && f.injected >= f.spec.count)) continue;
      f.injected++;
      return true;
    }
    return false;
  }

  rotateRefresh(): boolean {
    return this.active.some((f) => f.spec.name === 'rotate-refresh');
  }

  denyAdmin(path: string): boolean {
    return this.active.some((f) => f.spec.name === 'deny-admin' && (f.spec.path === null || path.includes(f.spec.path)));
  }

  /** Record an injection decided outside planRequest (rotate-refresh, deny-admin; token-expiry counts itself). */
  noteInjected(name: FaultName): void {
    if (name === 'token-expiry') return;
    const f = this.active.find((a) => a.spec.name === name);
    if (f !== undefined) {
      f.eligible++;
      f.injected++;
    }
  }
}
