import { describe, expect, it } from 'vitest';
import { ConcurError } from '../../../src/concur/errors.js';
import { DEFAULT_RETRY_POLICY, parseRetryAfter, retryDelay, retrying, type Attempt, type RetryInput, type RetryPolicy } from '../../../src/concur/retry.js';

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const POLICY: RetryPolicy = { maxAttempts: 4, maxAttemptsRateLimited: 7, baseDelayMs: 1000, maxDelayMs: 10_000, maxRetryAfterMs: 60_000 };
const fixed = (value: number) => () => value;
const httpDate = (offsetMs: number) => new Date(NOW + offsetMs).toUTCString();

function delay(overrides: Partial<RetryInput>): number | undefined {
  return retryDelay({ attempt: 1, reason: 'server', now: NOW, random: fixed(0.5), policy: POLICY, ...overrides });
}

describe('retryDelay: Retry-After on 429', () => {
  it.each([
    { what: 'delta-seconds', retryAfter: '2', expected: 2000 },
    { what: 'delta-seconds with spaces', retryAfter: '  7 ', expected: 7000 },
    { what: 'zero', retryAfter: '0', expected: 0 },
    { what: 'fractional seconds', retryAfter: '1.5', expected: 1500 },
    { what: 'HTTP-date 30 s ahead of the injected now', retryAfter: httpDate(30_000), expected: 30_000 },
    { what: 'HTTP-date in the past', retryAfter: httpDate(-30_000), expected: 0 },
    { what: 'exactly maxRetryAfterMs', retryAfter: '60', expected: 60_000 },
    { what: 'longer than maxDelayMs (a server instruction is not capped by the backoff cap)', retryAfter: '30', expected: 30_000 },
  ])('$what: $retryAfter -> $expected ms', ({ retryAfter, expected }) => {
    // random would move an exponential delay; a Retry-After delay must not depend on it.
    expect(delay({ reason: 'rate_limited', retryAfter, random: fixed(0) })).toBe(expected);
    expect(delay({ reason: 'rate_limited', retryAfter, random: fixed(1) })).toBe(expected);
  });

  it('uses the injected now for an HTTP-date, not the wall clock', () => {
    const retryAfter = 'Thu, 01 Jan 2026 00:00:05 GMT';
    expect(retryDelay({ attempt: 1, reason: 'rate_limited', retryAfter, now: Date.UTC(2026, 0, 1), random: fixed(0.5), policy: POLICY })).toBe(5000);
    expect(retryDelay({ attempt: 1, reason: 'rate_limited', retryAfter, now: Date.UTC(2026, 0, 1, 0, 0, 2), random: fixed(0.5), policy: POLICY })).toBe(3000);
  });

  it.each([
    { what: 'delta-seconds', retryAfter: '61' },
    { what: 'HTTP-date', retryAfter: httpDate(61_000) },
    { what: 'hours away', retryAfter: '86400' },
  ])('a Retry-After beyond maxRetryAfterMs ($what) is not waited for', ({ retryAfter }) => {
    expect(delay({ reason: 'rate_limited', retryAfter })).toBeUndefined();
  });

  it.each(['soon', 'in a minute', '2 seconds', '1e3', '0x10', '-1', '', '   '])(
    'an unparseable Retry-After (%j) falls back to exponential backoff',
    (retryAfter) => {
      // attempt 3: step 4000 ms, equal jitter -> [2000, 4000]
      expect(delay({ reason: 'rate_limited', attempt: 3, retryAfter, random: fixed(0) })).toBe(2000);
      expect(delay({ reason: 'rate_limited', attempt: 3, retryAfter, random: fixed(1) })).toBe(4000);
    },
  );

  it('a missing Retry-After on 429 backs off exponentially', () => {
    expect(delay({ reason: 'rate_limited', attempt: 1, random: fixed(0) })).toBe(500);
    expect(delay({ reason: 'rate_limited', attempt: 1, random: fixed(1) })).toBe(1000);
    expect(delay({ reason: 'rate_limited', attempt: 2, random: fixed(0) })).toBe(1000);
    expect(delay({ reason: 'rate_limited', attempt: 2, random: fixed(1) })).toBe(2000);
  });

  it('Retry-After is honoured on a server error too (503 during maintenance)', () => {
    expect(delay({ reason: 'server', attempt: 1, retryAfter: '30', random: fixed(1) })).toBe(30_000);
  });
});

describe('retryDelay: exponential backoff with equal jitter', () => {
  // step = min(maxDelayMs, base * 2^(attempt-1)); delay in [step/2, step]
  it.each([
    { reason: 'server', attempt: 1, min: 500, max: 1000 },
    { reason: 'server', attempt: 2, min: 1000, max: 2000 },
    { reason: 'server', attempt: 3, min: 2000, max: 4000 },
    { reason: 'network', attempt: 1, min: 500, max: 1000 },
    { reason: 'network', attempt: 3, min: 2000, max: 4000 },
    { reason: 'timeout', attempt: 2, min: 1000, max: 2000 },
    { reason: 'rate_limited', attempt: 4, min: 4000, max: 8000 },
    { reason: 'rate_limited', attempt: 5, min: 5000, max: 10_000 }, // 16 s capped at 10 s
    { reason: 'rate_limited', attempt: 6, min: 5000, max: 10_000 }, // 32 s capped at 10 s
  ] as const)('$reason attempt $attempt -> [$min, $max]', ({ reason, attempt, min, max }) => {
    expect(delay({ reason, attempt, random: fixed(0) })).toBe(min);
    expect(delay({ reason, attempt, random: fixed(1) })).toBe(max);
    const middle = delay({ reason, attempt, random: fixed(0.5) });
    expect(middle).toBe((min + max) / 2);
  });

  it('grows with each attempt and never exceeds maxDelayMs', () => {
    const policy: RetryPolicy = { ...POLICY, maxAttempts: 50 };
    let previous = 0;
    for (let attempt = 1; attempt < 50; attempt++) {
      const value = retryDelay({ attempt, reason: 'server', now: NOW, random: fixed(1), policy });
      expect(value).toBeDefined();
      expect(value as number).toBeGreaterThanOrEqual(previous);
      expect(value as number).toBeLessThanOrEqual(policy.maxDelayMs);
      previous = value as number;
    }
    expect(previous).toBe(policy.maxDelayMs);
  });

  it('uses DEFAULT_RETRY_POLICY when none is given', () => {
    expect(retryDelay({ attempt: 1, reason: 'server', now: NOW, random: fixed(1) })).toBe(DEFAULT_RETRY_POLICY.baseDelayMs);
    expect(retryDelay({ attempt: 20, reason: 'rate_limited', now: NOW, random: fixed(1) })).toBeUndefined();
    expect(retryDelay({ attempt: 9, reason: 'rate_limited', now: NOW, random: fixed(1) })).toBe(DEFAULT_RETRY_POLICY.maxDelayMs);
  });
});

describe('retryDelay: attempt limits', () => {
  it.each([
    { reason: 'server', lastRetried: 3, limit: 4 },
    { reason: 'network', lastRetried: 3, limit: 4 },
    { reason: 'timeout', lastRetried: 3, limit: 4 },
    { reason: 'rate_limited', lastRetried: 6, limit: 7 },
  ] as const)('$reason: attempts 1..$lastRetried are retried, attempt $limit is the last', ({ reason, lastRetried, limit }) => {
    for (let attempt = 1; attempt <= lastRetried; attempt++) expect(delay({ reason, attempt })).toBeTypeOf('number');
    expect(delay({ reason, attempt: limit })).toBeUndefined();
    expect(delay({ reason, attempt: limit + 1 })).toBeUndefined();
  });

  it('a Retry-After does not extend the 429 attempt limit', () => {
    expect(delay({ reason: 'rate_limited', attempt: 7, retryAfter: '1' })).toBeUndefined();
  });

  it('a one-attempt policy never retries', () => {
    const policy: RetryPolicy = { ...POLICY, maxAttempts: 1, maxAttemptsRateLimited: 1 };
    expect(retryDelay({ attempt: 1, reason: 'server', now: NOW, random: fixed(0), policy })).toBeUndefined();
    expect(retryDelay({ attempt: 1, reason: 'rate_limited', retryAfter: '1', now: NOW, random: fixed(0), policy })).toBeUndefined();
  });
});

describe('parseRetryAfter', () => {
  it.each([
    { value: '0', expected: 0 },
    { value: '120', expected: 120_000 },
    { value: '0.25', expected: 250 },
    { value: '2.5', expected: 2500 },
    { value: ' 3 ', expected: 3000 },
    { value: httpDate(90_000), expected: 90_000 },
    { value: httpDate(1000), expected: 1000 },
    { value: httpDate(-1000), expected: 0 },
    { value: 'Wed, 21 Oct 2015 07:28:00 GMT', expected: 0 },
    { value: 'Thursday, 15-Jan-26 12:00:10 GMT', expected: 10_000 }, // RFC 850 form
  ])('$value -> $expected', ({ value, expected }) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });

  // V8's Date.parse reads "-1", "+5", ".5" and "foo 2" as dates in 2001, which would mean "retry now".
  it.each(['', '  ', 'soon', '2 seconds', '1e3', '-1', '+5', '1.', '.5', 'foo 2', 'NaN', 'Infinity', 'Mon, 99 Foo 2026 25:00:00 GMT'])('%j -> undefined', (value) => {
    expect(parseRetryAfter(value, NOW)).toBeUndefined();
  });
});

describe('retrying', () => {
  function loop(outcomes: Attempt<string>[]) {
    const sleeps: number[] = [];
    const retries: Array<{ attempt: number; delay: number; reason: string }> = [];
    let tries = 0;
    const run = retrying(
      { now: () => NOW, random: fixed(0.5), sleep: async (ms) => void sleeps.push(ms) },
      {
        policy: POLICY,
        attempt: async () => outcomes[tries++] as Attempt<string>,
        onRetry: ({ attempt, delay, reason }) => void retries.push({ attempt, delay, reason }),
      },
    );
    return { run, sleeps, retries, tries: () => tries };
  }
  const failed = (kind: 'server' | 'rate_limited' | 'timeout' | 'payload', retryAfter?: string): Attempt<string> => ({
    failure: new ConcurError(kind, `${kind} failure`),
    retryAfter,
  });

  it('tries again after each retryable failure, telling onRetry before each wait, until a try succeeds', async () => {
    const { run, sleeps, retries, tries } = loop([failed('timeout'), failed('rate_limited', '3'), failed('payload'), { value: 'ok' }]);
    expect(await run).toBe('ok');
    expect(tries()).toBe(4);
    expect(sleeps).toEqual([750, 3000, 3000]);
    expect(retries).toEqual([
      { attempt: 1, delay: 750, reason: 'timeout' },
      { attempt: 2, delay: 3000, reason: 'rate_limited' },
      { attempt: 3, delay: 3000, reason: 'server' },
    ]);
  });

  it('throws the last failure once the policy gives up, without waiting for it', async () => {
    const outcomes = [1, 2, 3, 4].map(() => failed('server'));
    const { run, sleeps, tries } = loop(outcomes);
    await expect(run).rejects.toBe((outcomes[3] as { failure: ConcurError }).failure);
    expect(tries()).toBe(POLICY.maxAttempts);
    expect(sleeps).toEqual([750, 1500, 3000]);
  });
});
