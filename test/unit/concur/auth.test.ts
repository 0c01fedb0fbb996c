import { afterEach, describe, expect, it } from 'vitest';
import { principalOf, subjectOf, type AccessToken, type Grant, type TokenProvider } from '../../../src/concur/auth.js';
import { ConcurAuthError, ConcurError, ConcurTokenEndpointError } from '../../../src/concur/errors.js';
import { createTransport, type HttpTransport } from '../../../src/concur/http.js';
import { buildTokens, effects, PASSWORD_GRANT, sendJson, startServer, T0, tokenBody, type Effects, type Loopback, type Recorded } from './loopback.js';

const TOKEN_PATH = '/oauth2/v0/token';
const COMPANY_GRANT: Grant = { kind: 'company', clientId: 'cid-2', clientSecret: 'csecret-2', companyId: 'f3b1c2d4-company', requestToken: 'reqtok-XYZ' };
const REFRESH_GRANT: Grant = { kind: 'refresh_token', clientId: 'cid-3', clientSecret: 'csecret-3', refreshToken: 'rt-1' };
const SECRETS = ['csecret-1', 'csecret-2', 'csecret-3', 'pw-S3cret!', 'reqtok-XYZ', 'rt-1'];

type Answer = { status: number; body: unknown; headers?: Record<string, string> };
/** Decides the token endpoint's answer from the submitted form. */
type TokenLogic = (form: URLSearchParams, req: Recorded) => Answer;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((close) => close()));
});

async function tokenServer(logic: TokenLogic): Promise<Loopback> {
  const server = await startServer((req, res) => {
    const { status, body, headers } = logic(new URLSearchParams(req.body), req);
    sendJson(res, status, body, headers);
  });
  cleanups.push(server.close);
  return server;
}

function setup(tokenUrl: string, options: { grant?: Grant; tokenUrlExplicit?: boolean } = {}): { fx: Effects; tokens: TokenProvider; transport: HttpTransport } {
  const fx = effects();
  const transport = createTransport({ maxSockets: 4, describeUrl: fx.describeUrl });
  cleanups.push(() => transport.close());
  const tokens = buildTokens(fx, transport, { tokenUrl, ...options });
  return { fx, tokens, transport };
}

const form = (req: Recorded | undefined) => Object.fromEntries(new URLSearchParams(req?.body ?? ''));
const ok = (accessToken: string, extra: Record<string, unknown> = {}): Answer => ({ status: 200, body: tokenBody(accessToken, extra) });
const refused = (code: number, error: string, description: string, extra: Record<string, unknown> = {}): Answer => ({
  status: 400,
  body: { code, error, error_description: description, ...extra },
});

async function authFailure(promise: Promise<unknown>): Promise<ConcurAuthError> {
  const error: unknown = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ConcurAuthError);
  return error as ConcurAuthError;
}

describe('token requests', () => {
  it('password grant: form-encoded fields, POSTed to the token path, secrets only in the body', async () => {
    const server = await tokenServer(() => ok('at-1'));
    const { tokens } = setup(`${server.url}${TOKEN_PATH}`);
    const token = await tokens.get();

    expect(token.value).toBe('at-1');
    const [req] = server.requests;
    expect(req?.method).toBe('POST');
    expect(req?.url).toBe(TOKEN_PATH);
    expect(req?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(req?.headers.accept).toBe('application/json');
    expect(req?.headers.authorization).toBeUndefined();
    expect(form(req)).toEqual({
      grant_type: 'password',
      credtype: 'password',
      client_id: 'cid-1',
      client_secret: 'csecret-1',
      username: 'ada@example.com',
      password: 'pw-S3cret!',
    });
    // Really form-encoded: the "!" and "@" are escaped on the wire.
    expect(req?.body).toContain('password=pw-S3cret%21');
    expect(req?.body).toContain('username=ada%40example.com');
  });

  it('company grant: credtype=authtoken, the company id as username, the request token as password', async () => {
    const server = await tokenServer(() => ok('at-1'));
    const { tokens } = setup(`${server.url}${TOKEN_PATH}`, { grant: COMPANY_GRANT });
    await tokens.get();
    expect(form(server.requests[0])).toEqual({
      grant_type: 'password',
      credtype: 'authtoken',
      client_id: 'cid-2',
      client_secret: 'csecret-2',
      username: 'f3b1c2d4-company',
      password: 'reqtok-XYZ',
    });
  });

  it('refresh grant: grant_type=refresh_token with the refresh token and client credentials only', async () => {
    const server = await tokenServer(() => ok('at-1', { refresh_token: 'rt-1' }));
    const { tokens } = setup(`${server.url}${TOKEN_PATH}`, { grant: REFRESH_GRANT });
    await tokens.get();
    expect(form(server.requests[0])).toEqual({ grant_type: 'refresh_token', client_id: 'cid-3', client_secret: 'csecret-3', refresh_token: 'rt-1' });
  });

  it.each([
    { what: 'string "1800"', expiresIn: '1800', lifetime: 1_800_000 },
    { what: 'number 1800', expiresIn: 1800, lifetime: 1_800_000 },
    { what: 'string "3600"', expiresIn: '3600', lifetime: 3_600_000 },
    { what: 'number 7200', expiresIn: 7200, lifetime: 7_200_000 },
    { what: 'garbage (default one hour)', expiresIn: 'soon', lifetime: 3_600_000 },
    { what: 'zero (default one hour)', expiresIn: 0, lifetime: 3_600_000 },
  ])('expires_in as $what', async ({ expiresIn, lifetime }) => {
    const server = await tokenServer(() => ok('at-1', { expires_in: expiresIn }));
    const { tokens } = setup(`${server.url}${TOKEN_PATH}`);
    const token = await tokens.get();
    expect(token.expiresAt).toBe(T0 + lifetime);
  });

  it('takes the geolocation from the response (trailing slash dropped), or the token URL origin when absent', async () => {
    const withGeo = await tokenServer(() => ok('at-1', { geolocation: 'https://eu2.api.concursolutions.com/' }));
    expect((await setup(`${withGeo.url}${TOKEN_PATH}`).tokens.get()).geolocation).toBe('https://eu2.api.concursolutions.com');
    const withoutGeo = await tokenServer(() => ok('at-2'));
    expect((await setup(`${withoutGeo.url}${TOKEN_PATH}`).tokens.get()).geolocation).toBe(withoutGeo.url);
  });

  it('concurrent callers share one token request, and the token is cached', async () => {
    const server = await tokenServer(() => ok('at-1'));
    const { tokens } = setup(`${server.url}${TOKEN_PATH}`);
    const all = await Promise.all([1, 2, 3, 4, 5].map(() => tokens.get()));
    expect(all.map((t) => t.value)).toEqual(['at-1', 'at-1', 'at-1', 'at-1', 'at-1']);
    await tokens.get();
    expect(server.requests).toHaveLength(1);
  });

  it('a caller that gives up does not cancel the shared token request for the others', async () => {
    const server = await startServer(async (_req, res) => {
      await new Promise((r) => setTimeout(r, 50));
      sendJson(res, 200, tokenBody('at-shared'));
    });
    cleanups.push(server.close);
    const { tokens } = setup(`${server.url}${TOKEN_PATH}`);
    const impatient = new AbortController();
    const first = tokens.get(impatient.signal);
    const second = tokens.get();
    impatient.abort(new Error('child stream stopped'));
    await expect(first).rejects.toThrow('child stream stopped');
    expect((await second).value).toBe('at-shared');
    expect(server.requests).toHaveLength(1);
  });

  it('a 200 without an access_token says the token URL is not a Concur token endpoint', async () => {
    const server = await tokenServer(() => ({ status: 200, body: { token_type: 'Bearer' } }));
    const error = await endpointFailure(setup(`${server.url}${TOKEN_PATH}`).tokens.get());
    expect(error.message).toMatch(/is not a Concur token endpoint: it answered HTTP 200 with application\/json without an access_token/);
  });
});

async function endpointFailure(promise: Promise<unknown>): Promise<ConcurTokenEndpointError> {
  const error: unknown = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ConcurTokenEndpointError);
  return error as ConcurTokenEndpointError;
}

describe('a token URL that is not a Concur token endpoint', () => {
  const page = (status: number, body: string, headers: Record<string, string> = {}) =>
    startServer((_req, res) => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers });
      res.end(body);
    }).then((server) => {
      cleanups.push(server.close);
      return server;
    });

  it('a 404 page: not found, and the URL configured is the one to fix', async () => {
    const server = await page(404, '<html>Not Found</html>');
    const error = await endpointFailure(setup(`${server.url}/oauth2/v0/tokn`).tokens.get());
    expect(error.configured).toBe(true);
    expect(error.message).toBe(`The token URL ${server.url}/oauth2/v0/tokn is not a Concur token endpoint: there is no page there (HTTP 404 Not Found).`);
    expect(server.requests).toHaveLength(1);
  });

  it('a redirect: names where it leads, and the credentials are not sent there', async () => {
    const target = await tokenServer(() => ok('at-1'));
    const server = await page(301, '', { location: `${target.url}${TOKEN_PATH}` });
    const error = await endpointFailure(setup(`${server.url}${TOKEN_PATH}`).tokens.get());
    expect(error.message).toMatch(new RegExp(`it redirects \\(HTTP 301\\) to ${target.url}${TOKEN_PATH}\\.$`));
    expect(target.requests).toHaveLength(0);
  });

  it('a web page answered with 200, or any 4xx without a Concur error body', async () => {
    const html = await page(200, '<html>Welcome</html>');
    expect((await endpointFailure(setup(`${html.url}/`).tokens.get())).message).toMatch(/it answered HTTP 200 with text\/html without an access_token/);
    const forbidden = await page(403, '<html>forbidden</html>');
    expect((await endpointFailure(setup(`${forbidden.url}${TOKEN_PATH}`).tokens.get())).message).toMatch(/it answered HTTP 403 with text\/html, not a Concur token error/);
  });

  it('a Concur error body at any 4xx is still Concur refusing the credentials', async () => {
    const server = await tokenServer(() => ({ status: 404, body: { code: 61, error: 'invalid_client', error_description: 'client not found' } }));
    expect((await authFailure(setup(`${server.url}${TOKEN_PATH}`).tokens.get())).message).toMatch(/Check the client id/);
  });

  it('a data center that Concur pointed to (code 16) is not the configured URL', async () => {
    const elsewhere = await page(404, 'gone');
    const server = await tokenServer(() => refused(16, 'invalid_request', 'user lives elsewhere', { geolocation: elsewhere.url }));
    const error = await endpointFailure(setup(`${server.url}${TOKEN_PATH}`).tokens.get());
    expect(error.configured).toBe(false);
  });
});

describe('renewal', () => {
  it('refreshes proactively five minutes before expiry, with the refresh token, at the token geolocation', async () => {
    const geo = await tokenServer((f) => (f.get('grant_type') === 'refresh_token' ? ok('at-2', { refresh_token: 'rt-A' }) : ok('wrong')));
    let geolocation = '';
    const first = await tokenServer(() => ok('at-1', { refresh_token: 'rt-A', geolocation }));
    geolocation = geo.url;
    const { fx, tokens } = setup(`${first.url}${TOKEN_PATH}`);

    expect((await tokens.get()).value).toBe('at-1');
    fx.clock.now = T0 + 55 * 60_000 - 1; // 5 min + 1 ms before expiry: still good
    expect((await tokens.get()).value).toBe('at-1');
    expect(first.requests).toHaveLength(1);
    expect(geo.requests).toHaveLength(0);

    fx.clock.now = T0 + 55 * 60_000;
    const renewed = await tokens.get();
    expect(renewed.value).toBe('at-2');
    expect(renewed.expiresAt).toBe(fx.clock.now + 3_600_000);
    expect(first.requests).toHaveLength(1);
    expect(geo.requests.map((r) => r.url)).toEqual([TOKEN_PATH]);
    expect(form(geo.requests[0])).toEqual({ grant_type: 'refresh_token', client_id: 'cid-1', client_secret: 'csecret-1', refresh_token: 'rt-A' });
  });

  it('an explicit token URL also receives the refreshes', async () => {
    const geo = await tokenServer(() => ok('from-geo'));
    let geolocation = '';
    const pinned = await tokenServer((f) => ok(f.get('grant_type') === 'refresh_token' ? 'at-2' : 'at-1', { refresh_token: 'rt-A', geolocation }));
    geolocation = geo.url;
    const { fx, tokens } = setup(`${pinned.url}${TOKEN_PATH}`, { tokenUrlExplicit: true });
    await tokens.get();
    fx.clock.now = T0 + 3_600_000;
    expect((await tokens.get()).value).toBe('at-2');
    expect(pinned.requests).toHaveLength(2);
    expect(geo.requests).toHaveLength(0);
  });

  it('without a refresh token, the password grant is repeated', async () => {
    const server = await tokenServer((_f, req) => ok(`at-${req.index + 1}`));
    const { fx, tokens } = setup(`${server.url}${TOKEN_PATH}`);
    await tokens.get();
    fx.clock.now = T0 + 3_600_000;
    expect((await tokens.get()).value).toBe('at-2');
    expect(server.requests.map((r) => form(r)['grant_type'])).toEqual(['password', 'password']);
  });

  it('renew() replaces a refused token once, and hands out the newer one to late callers', async () => {
    const server = await tokenServer((_f, req) => ok(`at-${req.index + 1}`));
    const { tokens } = setup(`${server.url}${TOKEN_PATH}`);
    const stale = await tokens.get();
    const [a, b] = await Promise.all([tokens.renew(stale), tokens.renew(stale)]);
    expect([a.value, b.value]).toEqual(['at-2', 'at-2']);
    // Someone still holding the stale token gets the current one without a new request.
    expect((await tokens.renew(stale)).value).toBe('at-2');
    expect(server.requests).toHaveLength(2);
  });
});

describe('data-center redirect (code 16)', () => {
  it('repeats the token request once at <geolocation>/oauth2/v0/token with the same form', async () => {
    const home = await tokenServer(() => ok('at-home'));
    const landing = await tokenServer(() => refused(16, 'invalid_request', 'user lives elsewhere', { geolocation: home.url }));
    const { tokens } = setup(`${landing.url}${TOKEN_PATH}`);
    const token = await tokens.get();
    expect(token.value).toBe('at-home');
    expect(token.geolocation).toBe(home.url);
    expect(landing.requests).toHaveLength(1);
    expect(home.requests.map((r) => r.url)).toEqual([TOKEN_PATH]);
    expect(form(home.requests[0])).toEqual(form(landing.requests[0]));
  });

  it('follows code 16 only once', async () => {
    let other = '';
    const a = await tokenServer(() => refused(16, 'invalid_request', 'user lives elsewhere', { geolocation: other }));
    const b = await tokenServer(() => refused(16, 'invalid_request', 'user lives elsewhere', { geolocation: a.url }));
    other = b.url;
    const { tokens } = setup(`${a.url}${TOKEN_PATH}`);
    const error = await authFailure(tokens.get());
    expect(error.code).toBe(16);
    expect(a.requests.length + b.requests.length).toBe(2);
  });

  it('refuses a code-16 geolocation over plain http to a remote host, without sending the credentials', async () => {
    const landing = await tokenServer(() => refused(16, 'invalid_request', 'user lives elsewhere', { geolocation: 'http://us2.api.concursolutions.com' }));
    const { tokens } = setup(`${landing.url}${TOKEN_PATH}`);
    await expect(tokens.get()).rejects.toThrow(/Refusing to send credentials to http:\/\/us2\.api\.concursolutions\.com/);
  });

  it('refuses a token whose geolocation is plain http to a remote host', async () => {
    const server = await tokenServer(() => ok('at-1', { geolocation: 'http://evil.example.com' }));
    const { tokens } = setup(`${server.url}${TOKEN_PATH}`);
    await expect(tokens.get()).rejects.toThrow(/Refusing to send credentials to http:\/\/evil\.example\.com \(geolocation/);
  });

  it('refuses an http token URL on a remote host before any request', async () => {
    const { tokens } = setup(`http://token.invalid${TOKEN_PATH}`);
    await expect(tokens.get()).rejects.toThrow(/Refusing to send credentials to http:\/\/token\.invalid \(token URL\)/);
  });
});

describe('token endpoint errors', () => {
  it.each([
    { code: 5, error: 'invalid_grant', grant: PASSWORD_GRANT, hint: /username and password/ },
    { code: 5, error: 'invalid_grant', grant: COMPANY_GRANT, hint: /company request token/ },
    { code: 61, error: 'invalid_client', grant: PASSWORD_GRANT, hint: /client id/ },
    { code: 64, error: 'invalid_client', grant: COMPANY_GRANT, hint: /client secret/ },
    { code: 108, error: 'invalid_grant', grant: REFRESH_GRANT, hint: /refresh token is invalid or expired/ },
    { code: 14, error: 'invalid_grant', grant: PASSWORD_GRANT, hint: /locked/ },
    { code: 999, error: 'invalid_request', grant: REFRESH_GRANT, hint: /update the refresh token/ },
  ])('code $code ($grant.kind) -> ConcurAuthError with a helpful message and no secrets', async ({ code, error, grant, hint }) => {
    const server = await tokenServer(() => refused(code, error, 'Incorrect Credentials. Please Retry'));
    const { tokens } = setup(`${server.url}${TOKEN_PATH}`, { grant });
    const failure = await authFailure(tokens.get());
    expect(failure.kind).toBe('auth');
    expect(failure.code).toBe(code);
    expect(failure.status).toBe(400);
    expect(failure.oauthError).toBe(error);
    expect(failure.concurMessage).toBe('Incorrect Credentials. Please Retry');
    expect(failure.message).toMatch(hint);
    expect(failure.message).toContain(`code ${code}`);
    const everything = `${failure.message} ${JSON.stringify(failure)} ${String(failure.stack)}`;
    for (const secret of SECRETS) expect(everything).not.toContain(secret);
    expect(server.requests).toHaveLength(1); // a refused credential is not retried
  });

  it('retries 5xx a bounded number of times, then fails as a server error', async () => {
    const server = await tokenServer(() => ({ status: 503, body: { message: 'maintenance' } }));
    const { fx, tokens } = setup(`${server.url}${TOKEN_PATH}`);
    const error: unknown = await tokens.get().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConcurError);
    expect((error as ConcurError).kind).toBe('server');
    expect((error as ConcurError).status).toBe(503);
    expect(server.requests).toHaveLength(4);
    expect(fx.sleeps).toEqual([750, 1500, 3000]);
  });

  it('recovers from a 5xx burst and honours Retry-After on a 429', async () => {
    const server = await tokenServer((_f, req) =>
      req.index === 0
        ? { status: 500, body: {} }
        : req.index === 1
          ? { status: 429, body: {}, headers: { 'retry-after': '3' } }
          : ok('at-1'),
    );
    const { fx, tokens } = setup(`${server.url}${TOKEN_PATH}`);
    expect((await tokens.get()).value).toBe('at-1');
    expect(fx.sleeps).toEqual([750, 3000]);
    expect(server.requests).toHaveLength(3);
  });
});

describe('refresh tokens', () => {
  it('a company connection with a stored refresh token uses it first', async () => {
    const server = await tokenServer(() => ok('at-1', { refresh_token: 'rt-stored' }));
    const { fx, tokens } = setup(`${server.url}${TOKEN_PATH}`, { grant: { ...COMPANY_GRANT, refreshToken: 'rt-stored' } });
    await tokens.get();
    expect(server.requests.map((r) => form(r)['grant_type'])).toEqual(['refresh_token']);
    expect(form(server.requests[0])['refresh_token']).toBe('rt-stored');
    expect(fx.refreshTokens).toEqual([]);
  });

  it('falls back to the company request token when the stored refresh token is refused', async () => {
    const server = await tokenServer((f) =>
      f.get('grant_type') === 'refresh_token' ? refused(108, 'invalid_grant', 'Refresh token expired') : ok('at-1', { refresh_token: 'rt-new' }),
    );
    const { fx, tokens } = setup(`${server.url}${TOKEN_PATH}`, { grant: { ...COMPANY_GRANT, refreshToken: 'rt-old' } });
    const token = await tokens.get();
    expect(token.value).toBe('at-1');
    expect(server.requests.map((r) => [form(r)['grant_type'], form(r)['credtype']])).toEqual([
      ['refresh_token', undefined],
      ['password', 'authtoken'],
    ]);
    expect(fx.refreshTokens).toEqual(['rt-new']);
    expect(token.refreshToken).toBe('rt-new');
    const warning = fx.logs.find((l) => l.level === 'warn');
    expect(warning?.message).toMatch(/refresh token was refused.*company request token/);
    expect(warning?.message).not.toContain('rt-old');
  });

  it('a refresh_token connection has nothing to fall back to', async () => {
    const server = await tokenServer(() => refused(108, 'invalid_grant', 'Refresh token expired'));
    const { tokens } = setup(`${server.url}${TOKEN_PATH}`, { grant: REFRESH_GRANT });
    expect((await authFailure(tokens.get())).code).toBe(108);
    expect(server.requests).toHaveLength(1);
  });

  it('a transient failure of the refresh grant does not fall back to the request token', async () => {
    const server = await tokenServer(() => ({ status: 503, body: {} }));
    const { tokens } = setup(`${server.url}${TOKEN_PATH}`, { grant: { ...COMPANY_GRANT, refreshToken: 'rt-old' } });
    await expect(tokens.get()).rejects.toMatchObject({ kind: 'server' });
    expect(server.requests.every((r) => form(r)['grant_type'] === 'refresh_token')).toBe(true);
  });

  it('onRefreshToken fires only when Concur rotates the configured refresh token', async () => {
    const issued = ['rt-1', 'rt-2', 'rt-2', 'rt-3'];
    const server = await tokenServer((_f, req) => ok(`at-${req.index + 1}`, { refresh_token: issued[req.index] }));
    const { fx, tokens } = setup(`${server.url}${TOKEN_PATH}`, { grant: REFRESH_GRANT });
    let token: AccessToken | undefined;
    for (let i = 0; i < issued.length; i++) {
      fx.clock.now = T0 + i * 3_600_000;
      token = await tokens.get();
    }
    expect(server.requests.map((r) => form(r)['refresh_token'])).toEqual(['rt-1', 'rt-1', 'rt-2', 'rt-2']);
    expect(fx.refreshTokens).toEqual(['rt-2', 'rt-3']);
    expect(token?.refreshToken).toBe('rt-3');
  });

  it('a company grant without a stored refresh token persists the one Concur issues', async () => {
    const server = await tokenServer(() => ok('at-1', { refresh_token: 'rt-company' }));
    const { fx, tokens } = setup(`${server.url}${TOKEN_PATH}`, { grant: COMPANY_GRANT });
    await tokens.get();
    expect(fx.refreshTokens).toEqual(['rt-company']);
  });

  it('the password grant never asks to persist a refresh token, but uses it for the next renewal', async () => {
    const server = await tokenServer((f) => ok(f.get('grant_type') === 'password' ? 'at-1' : 'at-2', { refresh_token: f.get('grant_type') === 'password' ? 'rt-p1' : 'rt-p2' }));
    const { fx, tokens } = setup(`${server.url}${TOKEN_PATH}`);
    await tokens.get();
    fx.clock.now = T0 + 3_600_000;
    await tokens.get();
    expect(fx.refreshTokens).toEqual([]);
    expect(server.requests.map((r) => form(r)['grant_type'])).toEqual(['password', 'refresh_token']);
    expect(form(server.requests[1])['refresh_token']).toBe('rt-p1');
  });

  it('hands every issued access, refresh and id token to onSecret', async () => {
    const server = await tokenServer((_f, req) => ok(`at-${req.index + 1}`, { refresh_token: `rt-${req.index + 1}`, id_token: `idt-${req.index + 1}` }));
    const { fx, tokens } = setup(`${server.url}${TOKEN_PATH}`, { grant: REFRESH_GRANT });
    await tokens.get();
    fx.clock.now = T0 + 3_600_000;
    await tokens.get();
    expect([...fx.secrets].sort()).toEqual(['at-1', 'at-2', 'idt-1', 'idt-2', 'rt-1', 'rt-2']);
    for (const line of fx.logs) for (const secret of fx.secrets) expect(line.message).not.toContain(secret);
  });
});

describe('principalOf (id_token concur.type)', () => {
  const jwt = (claims: unknown) => `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2ln`;
  it.each([
    [jwt({ sub: 'u', 'concur.type': 'user' }), 'user'],
    [jwt({ sub: 'c', 'concur.type': 'company' }), 'company'],
    [jwt({ sub: 'x' }), undefined],
    [jwt({ 'concur.type': 'app' }), undefined],
    ['not-a-jwt', undefined],
    ['a.!!!.b', undefined],
  ])('%s -> %s', (token, expected) => {
    expect(principalOf(token)).toBe(expected);
  });
  it.each([
    [jwt({ sub: '76459ad3-f77b-4d98-a21a-55333c9179f0', 'concur.type': 'user' }), '76459ad3-f77b-4d98-a21a-55333c9179f0'],
    [jwt({ sub: '', 'concur.type': 'company' }), undefined],
    [jwt({ sub: 42 }), undefined],
    [jwt(['sub']), undefined],
    ['not-a-jwt', undefined],
  ])('subject of %s -> %s', (token, expected) => {
    expect(subjectOf(token)).toBe(expected);
  });
});
