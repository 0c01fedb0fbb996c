// Retry policy, pure: docs/concur-api.md#throttling-and-retry-after (429 "slow the rate", 500/503 "retry", timeouts "wait and retry") and the
// Python CDK's defaults (bounded attempts, exponential backoff with jitter, Retry-After honoured).
// The retry loop is pure too: its clock, randomness and sleep are handed in.

import type { ConcurError } from './errors.js';

export interface RetryPolicy {
  /** Attempts in total (first try included) for 5xx, network errors and timeouts. */
  maxAttempts: number;
  /** Attempts in total for 429: throttling is expected and worth more patience. */
  maxAttemptsRateLimited: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the stream fails as transient and the next sync resumes. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  maxAttemptsRateLimited: 10,
  baseDelayMs: 1000,
  maxDelayMs: 60_000,
  maxRetryAfterMs: 15 * 60_000,
};

export type RetryReason = 'rate_limited' | 'server' | 'network' | 'timeout';

export interface RetryInput {
  /** 1-based number of the attempt that just failed. */
  attempt: number;
  reason: RetryReason;
  /** Raw Retry-After header value, if any. */
  retryAfter?: string | undefined;
  now: number;
  random: () => number;
  policy?: RetryPolicy;
}

/** Milliseconds to wait before the next attempt, or undefined when the request should not be retried again. */
export function retryDelay(input: RetryInput): number | undefined {
  const policy = input.policy ?? DEFAULT_RETRY_POLICY;
  const limit = input.reason === 'rate_limited' ? policy.maxAttemptsRateLimited : policy.maxAttempts;
  if (input.attempt >= limit) return undefined;
  // RFC 9110 §10.2.3: 429 and 503 (Concur's maintenance answers, docs/concur-api.md#server-errors-and-timeouts) may both say how long to wait.
  if (input.retryAfter !== undefined) {
    const told = parseRetryAfter(input.retryAfter, input.now);
    if (told !== undefined) return told > policy.maxRetryAfterMs ? undefined : told;
  }
  // Exponential backoff with "equal jitter": never less than half the step, so retries spread but still back off.
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (input.attempt - 1));
  return Math.round(step / 2 + (input.random() * step) / 2);
}

/** Retry-After as delta-seconds or an HTTP-date (RFC 9110 §10.2.3); undefined when unparseable. */
export function parseRetryAfter(value: string, now: number): number | undefined {
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // Date.parse is lenient ("-1" and "foo 2" parse as dates in 2001, i.e. "retry now"): only the HTTP-date forms,
  // which all start with a day name and carry a time of day, are handed to it.
  if (!/^(mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s.*\b\d{2}:\d{2}:\d{2}\b/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** One try's outcome: the value, or a failure a later try may not meet (with the answer's Retry-After, if any). */
export type Attempt<T> = { value: T } | { failure: ConcurError; retryAfter: string | undefined };

export interface RetryEffects {
  now(): number;
  random(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface Retrying<T> {
  /** One try; throws what no retry can fix. */
  attempt: () => Promise<Attempt<T>>;
  policy: RetryPolicy;
  signal?: AbortSignal | undefined;
  /** Told of each retry before its wait, to count, log or slow down. */
  onRetry: (retry: { failure: ConcurError; attempt: number; delay: number; reason: RetryReason }) => void;
}

/** Tries until a try succeeds or the policy gives up, then throws the last failure. */
export async function retrying<T>(effects: RetryEffects, loop: Retrying<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const result = await loop.attempt();
    if (!('failure' in result)) return result.value;
    const reason = retryReason(result.failure);
    const delay = retryDelay({ attempt, reason, retryAfter: result.retryAfter, now: effects.now(), random: effects.random, policy: loop.policy });
    if (delay === undefined) throw result.failure;
    loop.onRetry({ failure: result.failure, attempt, delay, reason });
    await effects.sleep(delay, loop.signal);
  }
}

function retryReason(failure: ConcurError): RetryReason {
  switch (failure.kind) {
    case 'rate_limited':
    case 'timeout':
    case 'network':
      return failure.kind;
    default:
      return 'server';
  }
}
