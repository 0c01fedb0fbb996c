import { afterEach, describe, expect, it } from 'vitest';
import { ConcurError } from '../../../src/concur/errors.js';
import { DEFAULT_RETRY_POLICY } from '../../../src/concur/retry.js';
import { concurError, sendJson, startConcur, startServer, T0, type ConcurFixture, type Handler, type Loopback, type Recorded } from './loopback.js';

const REPORTS = '/api/v3.0/expense/reports';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const OK = { Items: [{ ID: 'r1' }], NextPage: null };

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((close) => close()));
});

async function concur(handler: Handler, options: Parameters<typeof startConcur>[1] = {}): Promise<ConcurFixture> {
  const fixture = await startConcur(handler, options);
  cleanups.push(fixture.close);
  return fixture;
}

async function server(handler: Handler): Promise<Loopback> {
  const started = await startServer(handler);
  cleanups.push(started.close);
  return started;
}

/** Answers the scripted responses in order, then 200 OK for every later request. */
function script(...steps: Array<Handler>): Handler {
  return (req, res) => {
    const step = steps[req.index];
    if (step) return step(req, res);
    sendJson(res, 200, OK);
  };
}

async function failure(promise: Promise<unknown>): Promise<ConcurError> {
  const error: unknown = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ConcurError);
  return error as ConcurError;
}

const warnings = (fx: ConcurFixture) => fx.fx.logs.filter((l) => l.level === 'warn').map((l) => l.message);
const bearer = (req: Recorded) => req.headers.authorization;

describe('ConcurClient requests', () => {
  it('sends the Bearer token, a correlation id, Accept and User-Agent', async () => {
    const fx = await concur((_req, res) => sendJson(res, 200, OK));
    expect(await fx.client.getJson(REPORTS, { limit: 100 })).toEqual(OK);
    const [request] = fx.data.requests;
    expect(request?.method).toBe('GET');
    expect(request?.headers.authorization).toBe('Bearer tok-1');
    expect(request?.headers['concur-correlationid']).toMatch(UUID);
    expect(request?.headers.accept).toBe('application/json');
    expect(request?.headers['user-agent']).toBe('source-concur/test');
  });

  it('uses a fresh correlation id for every attempt, and logs them', async () => {
    const fx = await concur(script((_req, res) => concurError(res, 503, 'maintenance')));
    await fx.client.getJson(REPORTS);
    const ids = fx.data.requests.map((r) => r.headers['concur-correlationid']);
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);
    for (const id of ids) expect(fx.fx.logs.some((l) => l.level === 'debug' && l.message.includes(String(id)))).toBe(true);
  });

  it('getXml asks for XML and parses it', async () => {
    const fx = await concur((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.end('<Report><ID>1</ID></Report>');
    });
    const parsed = await fx.client.getXml('/api/expense/expensereport/v2.0/report/1', {});
    expect(parsed).toEqual({ Report: { ID: '1' } });
    expect(fx.data.requests[0]?.headers.accept).toBe('application/xml');
  });

  it('encodes query values and leaves out undefined ones', async () => {
    const fx = await concur((_req, res) => sendJson(res, 200, OK));
    await fx.client.getJson(REPORTS, { user: 'ada lovelace@example.com', approvalStatusCode: undefined, limit: 100, flag: true });
    expect(fx.data.requests[0]?.url).toBe(`${REPORTS}?user=ada+lovelace%40example.com&limit=100&flag=true`);
  });

  it('authenticate() obtains a token without calling the data center', async () => {
    const fx = await concur((_req, res) => sendJson(res, 200, OK));
    const token = await fx.client.authenticate();
    expect(token.value).toBe('tok-1');
    expect(token.geolocation).toBe(fx.data.url);
    expect(fx.data.requests).toHaveLength(0);
  });
});

describe('ConcurClient retries', () => {
  it('429 with Retry-After: 2 waits 2000 ms, then succeeds, and halves the concurrency', async () => {
    const fx = await concur(script((_req, res) => concurError(res, 429, 'Too many requests', { 'retry-after': '2' })));
    expect(await fx.client.getJson(REPORTS)).toEqual(OK);
    expect(fx.fx.sleeps).toEqual([2000]);
    expect(fx.data.requests).toHaveLength(2);
    expect(fx.limiter.limit).toBe(2);
    expect(fx.client.stats).toEqual({ requests: 2, retries: 1, throttled: 1 });
  });

  it('429 with an HTTP-date Retry-After waits until that moment of the injected clock', async () => {
    const at = new Date(T0 + 7000).toUTCString();
    const fx = await concur(script((_req, res) => concurError(res, 429, 'slow down', { 'retry-after': at })));
    await fx.client.getJson(REPORTS);
    expect(fx.fx.sleeps).toEqual([7000]);
  });

  it('429 without Retry-After backs off exponentially', async () => {
    const throttle: Handler = (_req, res) => concurError(res, 429, 'slow down');
    const fx = await concur(script(throttle, throttle, throttle));
    await fx.client.getJson(REPORTS);
    // random = 0.5: 3/4 of 1 s, 2 s, 4 s
    expect(fx.fx.sleeps).toEqual([750, 1500, 3000]);
  });

  it('a Retry-After beyond the longest acceptable wait fails at once as rate_limited', async () => {
    const fx = await concur((_req, res) => concurError(res, 429, 'come back tomorrow', { 'retry-after': '86400' }));
    const error = await failure(fx.client.getJson(REPORTS));
    expect(error.kind).toBe('rate_limited');
    expect(fx.fx.sleeps).toEqual([]);
    expect(fx.data.requests).toHaveLength(1);
  });

  it('retries a 500/502/503 burst with growing delays', async () => {
    const fx = await concur(
      script(
        (_req, res) => concurError(res, 503, 'maintenance'),
        (_req, res) => concurError(res, 500, 'oops'),
        (_req, res) => concurError(res, 502, 'bad gateway'),
        (_req, res) => concurError(res, 504, 'gateway timeout'),
      ),
    );
    expect(await fx.client.getJson(REPORTS)).toEqual(OK);
    expect(fx.fx.sleeps).toEqual([750, 1500, 3000, 6000]);
    expect(fx.data.requests).toHaveLength(5);
    expect(fx.limiter.limit).toBe(4); // server errors are not throttling
    expect(fx.client.stats).toEqual({ requests: 5, retries: 4, throttled: 0 });
  });

  it('gives up on persistent 503 after maxAttempts with a server error carrying status and correlation id', async () => {
    const fx = await concur((req, res) => concurError(res, 503, 'Service in maintenance', { 'concur-correlationid': `srv-${req.index + 1}` }));
    const error = await failure(fx.client.getJson(REPORTS, { limit: 100 }));
    expect(error.kind).toBe('server');
    expect(error.status).toBe(503);
    expect(error.correlationId).toBe(`srv-${DEFAULT_RETRY_POLICY.maxAttempts}`);
    expect(error.concurMessage).toBe('Service in maintenance');
    expect(error.message).toContain(`concur-correlationid srv-${DEFAULT_RETRY_POLICY.maxAttempts}`);
    expect(error.message).toContain('HTTP 503');
    expect(error.url).toBe(`${fx.data.url}${REPORTS}?limit=100`);
    expect(error.retryable).toBe(true);
    expect(fx.data.requests).toHaveLength(DEFAULT_RETRY_POLICY.maxAttempts);
    expect(fx.fx.sleeps).toHaveLength(DEFAULT_RETRY_POLICY.maxAttempts - 1);
  });

  it('gives up on persistent 429 after the separate rate-limit attempt budget', async () => {
    const fx = await concur((_req, res) => concurError(res, 429, 'Too many requests'));
    const error = await failure(fx.client.getJson(REPORTS));
    expect(error.kind).toBe('rate_limited');
    expect(error.status).toBe(429);
    // Concur sent no correlation id: the error quotes the one the client sent on the last attempt.
    expect(error.correlationId).toBe(fx.data.requests.at(-1)?.headers['concur-correlationid']);
    expect(fx.data.requests).toHaveLength(DEFAULT_RETRY_POLICY.maxAttemptsRateLimited);
    expect(fx.limiter.limit).toBe(1);
    expect(fx.client.stats.throttled).toBe(DEFAULT_RETRY_POLICY.maxAttemptsRateLimited - 1);
  });

  it('honours a custom retry policy', async () => {
    const fx = await concur((_req, res) => concurError(res, 500, 'boom'), { retry: { ...DEFAULT_RETRY_POLICY, maxAttempts: 2, baseDelayMs: 10 } });
    expect((await failure(fx.client.getJson(REPORTS))).kind).toBe('server');
    expect(fx.data.requests).toHaveLength(2);
    expect(fx.fx.sleeps).toEqual([8]);
  });

  it('retries a socket destroyed in the middle of the body', async () => {
    const fx = await concur(
      script((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"Items": [{"ID": "r1"}, {"ID"', () => res.socket?.destroy());
      }),
    );
    expect(await fx.client.getJson(REPORTS)).toEqual(OK);
    expect(fx.data.requests).toHaveLength(2);
    expect(fx.fx.sleeps).toHaveLength(1);
    expect(warnings(fx).some((w) => /Network error/.test(w))).toBe(true);
  });

  it('retries a body shorter than its Content-Length', async () => {
    const fx = await concur(
      script((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' });
        res.write('{"Items": [', () => res.socket?.end());
      }),
    );
    expect(await fx.client.getJson(REPORTS)).toEqual(OK);
    expect(fx.data.requests).toHaveLength(2);
    expect(fx.fx.sleeps).toHaveLength(1);
    expect(warnings(fx).some((w) => /Network error/.test(w))).toBe(true);
  });

  it('retries a request the server does not answer within the timeout', async () => {
    const fx = await concur(script(() => undefined /* never answers */), { timeoutMs: 250 });
    const started = Date.now();
    expect(await fx.client.getJson(REPORTS)).toEqual(OK);
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    expect(fx.data.requests).toHaveLength(2);
    expect(fx.fx.sleeps).toEqual([750]);
    expect(warnings(fx).some((w) => /did not answer/.test(w))).toBe(true);
  });

  it('a server that never answers ends as a timeout error after the attempts', async () => {
    const fx = await concur(() => undefined, { timeoutMs: 150, retry: { ...DEFAULT_RETRY_POLICY, maxAttempts: 2 } });
    const error = await failure(fx.client.getJson(REPORTS));
    expect(error.kind).toBe('timeout');
    expect(fx.data.requests).toHaveLength(2);
  });

  it('a refused connection is a network error, retried', async () => {
    const closed = await startServer(() => undefined);
    await closed.close();
    const fx = await concur(() => undefined, { baseUrlOverride: closed.url, retry: { ...DEFAULT_RETRY_POLICY, maxAttempts: 3 } });
    const error = await failure(fx.client.getJson(REPORTS));
    expect(error.kind).toBe('network');
    expect(fx.fx.sleeps).toHaveLength(2);
    expect(fx.client.stats.requests).toBe(3);
  });

  it('retries malformed JSON on a 200', async () => {
    const fx = await concur(
      script((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"Items": [ <html>');
      }),
    );
    expect(await fx.client.getJson(REPORTS)).toEqual(OK);
    expect(fx.data.requests).toHaveLength(2);
    expect(fx.fx.sleeps).toHaveLength(1);
  });

  it('persistent malformed JSON ends as a payload error', async () => {
    const fx = await concur((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'concur-correlationid': 'cid-html' });
      res.end('<html>proxy login</html>');
    });
    const error = await failure(fx.client.getJson(REPORTS));
    expect(error.kind).toBe('payload');
    expect(error.status).toBe(200);
    expect(error.correlationId).toBe('cid-html');
    expect(error.retryable).toBe(false);
    expect(fx.data.requests).toHaveLength(DEFAULT_RETRY_POLICY.maxAttempts);
  });
});

describe('ConcurClient token handling', () => {
  it('refreshes the token once on 401 and retries with the new one', async () => {
    const fx = await concur((req, res) => (bearer(req) === 'Bearer tok-1' ? concurError(res, 401, 'Invalid token') : sendJson(res, 200, OK)));
    expect(await fx.client.getJson(REPORTS)).toEqual(OK);
    expect(fx.token.requests).toHaveLength(2);
    expect(fx.data.requests.map(bearer)).toEqual(['Bearer tok-1', 'Bearer tok-2']);
    expect(fx.fx.sleeps).toEqual([]); // a refresh is not a backoff
  });

  it('five concurrent requests refused with 401 share one refresh (single flight)', async () => {
    const held: Array<() => void> = [];
    const fx = await concur(
      (req, res) => {
        if (bearer(req) !== 'Bearer tok-1') return sendJson(res, 200, { ID: req.url });
        // Hold the five stale-token requests until all have arrived, then refuse them together.
        held.push(() => concurError(res, 401, 'Expired token'));
        if (held.length === 5) for (const refuse of held.splice(0)) refuse();
      },
      { maxConcurrency: 8 },
    );
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => fx.client.getJson(`${REPORTS}/r${n}`)));
    expect(results).toEqual([1, 2, 3, 4, 5].map((n) => ({ ID: `${REPORTS}/r${n}` })));
    expect(fx.token.requests).toHaveLength(2); // the first token and exactly one refresh
    expect(fx.data.requests.filter((r) => bearer(r) === 'Bearer tok-1')).toHaveLength(5);
    expect(fx.data.requests.filter((r) => bearer(r) === 'Bearer tok-2')).toHaveLength(5);
  });

  it('a fresh token that is refused too is renewed again (a concurrent burst may have spent it), at most three times', async () => {
    let refused = 0;
    const fx = await concur((req, res) => (bearer(req) !== 'Bearer tok-3' ? (refused++, concurError(res, 401, 'Invalid token')) : sendJson(res, 200, OK)));
    expect(await fx.client.getJson(REPORTS)).toEqual(OK);
    expect(refused).toBe(2);
    expect(fx.token.requests).toHaveLength(3);
  });

  it('a 401 that persists through three renewals is an auth error', async () => {
    const fx = await concur((_req, res) => concurError(res, 401, 'Invalid token'));
    const error = await failure(fx.client.getJson(REPORTS));
    expect(error.kind).toBe('auth');
    expect(error.status).toBe(401);
    expect(fx.token.requests).toHaveLength(4);
    expect(fx.data.requests).toHaveLength(4);
  });

  it.each(['Token expired', 'The access token has been revoked', 'Authentication failed'])('refreshes on a 403 saying %j', async (message) => {
    const fx = await concur((req, res) => (bearer(req) === 'Bearer tok-1' ? concurError(res, 403, message) : sendJson(res, 200, OK)));
    expect(await fx.client.getJson(REPORTS)).toEqual(OK);
    expect(fx.token.requests).toHaveLength(2);
  });

  it('refreshes on a SCIM 403 (Identity v4.1) whose detail says the token expired', async () => {
    const fx = await concur((req, res) => {
      if (bearer(req) !== 'Bearer tok-1') return sendJson(res, 200, OK);
      res.writeHead(403, { 'content-type': 'application/scim+json' });
      res.end(JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '403', detail: 'The access token has expired.' }));
    });
    expect(await fx.client.getJson(REPORTS)).toEqual(OK);
    expect(fx.token.requests).toHaveLength(2);
  });

  it('refreshes on an XML 403 saying the token expired', async () => {
    const fx = await concur((req, res) => {
      if (bearer(req) !== 'Bearer tok-1') return sendJson(res, 200, OK);
      res.writeHead(403, { 'content-type': 'application/xml' });
      res.end('<Error><Message>Token expired</Message><Server-Time>2026-01-15T04:00:00</Server-Time><Id>X</Id></Error>');
    });
    await fx.client.getJson(REPORTS);
    expect(fx.token.requests).toHaveLength(2);
  });

  it('a 403 for a missing role with user= is a permission error naming the Web Services Administrator role', async () => {
    const fx = await concur((_req, res) => concurError(res, 403, 'The user does not have the required role.', { 'concur-correlationid': 'cid-403' }));
    const error = await failure(fx.client.getJson(REPORTS, { user: 'ALL' }));
    expect(error.kind).toBe('permission');
    expect(error.status).toBe(403);
    expect(error.correlationId).toBe('cid-403');
    expect(error.message).toContain('Web Services Administrator');
    expect(error.message).toMatch(/other users/);
    expect(error.message).toContain('The user does not have the required role.');
    expect(fx.token.requests).toHaveLength(1); // not an expiry: no refresh
    expect(fx.data.requests).toHaveLength(1);
  });

  it('a 403 without user= gets the general role hint', async () => {
    const fx = await concur((_req, res) => concurError(res, 403, 'Forbidden'));
    const error = await failure(fx.client.getJson(REPORTS));
    expect(error.kind).toBe('permission');
    expect(error.message).not.toMatch(/other users/);
    expect(error.message).toMatch(/lacks a role/);
  });

  it('a 403 "token expired" that persists through the renewals becomes a permission error', async () => {
    const fx = await concur((_req, res) => concurError(res, 403, 'Token expired'));
    const error = await failure(fx.client.getJson(REPORTS, { user: 'ada' }));
    expect(error.kind).toBe('permission');
    expect(fx.token.requests).toHaveLength(4);
    expect(fx.data.requests).toHaveLength(4);
  });

  it('re-uses the cached token across requests and refreshes it ahead of expiry', async () => {
    const fx = await concur((_req, res) => sendJson(res, 200, OK));
    await fx.client.getJson(REPORTS);
    fx.fx.clock.now = T0 + 50 * 60_000;
    await fx.client.getJson(REPORTS);
    expect(fx.token.requests).toHaveLength(1);
    fx.fx.clock.now = T0 + 56 * 60_000; // within 5 minutes of the 60-minute expiry
    await fx.client.getJson(REPORTS);
    expect(fx.token.requests).toHaveLength(2);
    expect(fx.data.requests.map(bearer)).toEqual(['Bearer tok-1', 'Bearer tok-1', 'Bearer tok-2']);
  });
});

describe('ConcurClient refusals', () => {
  it.each([
    { status: 404, kind: 'not_found' },
    { status: 400, kind: 'bad_request' },
    { status: 410, kind: 'gone' },
    { status: 405, kind: 'bad_request' },
  ] as const)('$status -> $kind, not retried', async ({ status, kind }) => {
    const fx = await concur((_req, res) => concurError(res, status, `said ${status}`));
    const error = await failure(fx.client.getJson(`${REPORTS}/nope`));
    expect(error.kind).toBe(kind);
    expect(error.status).toBe(status);
    expect(error.concurMessage).toBe(`said ${status}`);
    expect(error.retryable).toBe(false);
    expect(fx.data.requests).toHaveLength(1);
    expect(fx.fx.sleeps).toEqual([]);
  });

  it.each([301, 302, 307, 308])('a %i redirect is not followed: unsafe, and the target never sees the token', async (status) => {
    const elsewhere = await server((_req, res) => sendJson(res, 200, OK));
    const fx = await concur((_req, res) => {
      res.writeHead(status, { location: `${elsewhere.url}${REPORTS}` });
      res.end();
    });
    const error = await failure(fx.client.getJson(REPORTS));
    expect(error.kind).toBe('unsafe');
    expect(error.status).toBe(status);
    expect(elsewhere.requests).toHaveLength(0);
    expect(fx.data.requests).toHaveLength(1);
  });
});

describe('ConcurClient deprecation headers and logs', () => {
  it('warns once per endpoint about x-api-warn / sunset, whatever the ids', async () => {
    const fx = await concur((req, res) => {
      const headers: Record<string, string> = req.url.startsWith(`${REPORTS}/`)
        ? { 'x-api-warn': 'Deprecated API, use v4', sunset: 'Wed, 30 Sep 2026 00:00:00 GMT' }
        : req.url.startsWith('/api/v3.0/expense/entries')
          ? { sunset: 'Thu, 31 Dec 2026 00:00:00 GMT' }
          : req.url.startsWith('/api/v3.0/expense/expensegroupconfigurations')
            ? { sunset: 'Fri, 26 Jun 2026 00:00:00 GMT' }
            : {};
      sendJson(res, 200, { ID: 'x' }, headers);
    });
    for (const id of ['gWqAbC$pZ1xyz', 'gWqDeF$pZ2abc', '12345', 'nWpR2lA8Y5BnVYbQo0Zh7xL3qk3Gn4ZVy']) await fx.client.getJson(`${REPORTS}/${id}`, { user: 'ada' });
    await fx.client.getJson('/api/v3.0/expense/entries', { reportID: 'r1' });
    await fx.client.getJson('/api/v3.0/expense/entries', { reportID: 'r2' });
    await fx.client.getJson('/api/v3.0/expense/attendees');
    await fx.client.getJson('/api/v3.0/expense/expensegroupconfigurations');

    const deprecations = warnings(fx).filter((w) => w.includes('deprecated'));
    expect(deprecations).toHaveLength(3);
    expect(deprecations[0]).toContain(`${REPORTS}/{id}`);
    expect(deprecations[0]).toContain('Deprecated API, use v4');
    expect(deprecations[0]).toContain('Wed, 30 Sep 2026 00:00:00 GMT');
    expect(deprecations[1]).toContain('/api/v3.0/expense/entries');
    expect(deprecations[1]).toContain('Thu, 31 Dec 2026');
    // A long word of the path is not an id (it was once taken for one, and the warning named /expense/{id}).
    expect(deprecations[2]).toContain('/api/v3.0/expense/expensegroupconfigurations is deprecated');
  });

  it('never logs the access token, even across a refresh and retries', async () => {
    const fx = await concur(
      script(
        (_req, res) => concurError(res, 401, 'Invalid token'),
        (_req, res) => concurError(res, 503, 'maintenance'),
        (_req, res) => concurError(res, 429, 'slow down', { 'retry-after': '1' }),
      ),
    );
    await fx.client.getJson(REPORTS, { user: 'ALL' });
    const debug = fx.fx.logs.filter((l) => l.level === 'debug');
    expect(debug.filter((l) => l.message.startsWith('GET '))).toHaveLength(8); // request + response line for 4 attempts
    for (const line of fx.fx.logs) {
      expect(line.message).not.toContain('tok-1');
      expect(line.message).not.toContain('tok-2');
      expect(line.message).not.toMatch(/bearer/i);
    }
    // Every token the provider obtained was handed to the redactor.
    expect(fx.fx.secrets).toEqual(['tok-1', 'tok-2']);
  });
});

describe('ConcurError', () => {
  it('is retryable only for transient kinds', () => {
    const kinds = ['auth', 'permission', 'not_found', 'gone', 'bad_request', 'rate_limited', 'server', 'network', 'timeout', 'payload', 'unsafe'] as const;
    expect(kinds.filter((kind) => new ConcurError(kind, 'x').retryable)).toEqual(['rate_limited', 'server', 'network', 'timeout']);
  });
});
