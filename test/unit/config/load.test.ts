import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../../src/assets.js';
import { DEFAULT_COMPANY_TOKEN_URL, DEFAULT_TOKEN_URL, loadConfig } from '../../../src/config/load.js';
import { ConfigError } from '../../../src/protocol/errors.js';
import { Redactor } from '../../../src/protocol/redact.js';

const NOW = Date.UTC(2026, 10, 28, 15, 30); // 2026-11-28T15:30Z
const DAY = 86_400_000;
const spec = loadSpec();
const password = { auth_type: 'password', client_id: 'cid', client_secret: 'csecret-1', username: 'jane@example.com', password: 'pw-secret-1' };
const load = (config: unknown, redactor = new Redactor()) => loadConfig(config, spec, NOW, redactor);
const error = (config: unknown): string => {
  try {
    load(config);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('loadConfig', () => {
  it('fills defaults and resolves the grant', () => {
    const config = load({ credentials: password });
    expect(config.user).toBe('ALL');
    expect(config.grant).toEqual({ kind: 'password', clientId: 'cid', clientSecret: 'csecret-1', username: 'jane@example.com', password: 'pw-secret-1' });
    expect(config.tokenUrl).toBe(DEFAULT_TOKEN_URL);
    expect(config.tokenUrlExplicit).toBe(false);
    expect(config.start).toBeUndefined();
    expect(config.end).toBe(NOW);
    expect(config.raw.lookback_minutes).toBe(60);
    expect([config.lookbackMs, config.sliceDays, config.maxConcurrency, config.timeoutMs]).toEqual([3_600_000, 30, 8, 120_000]);
  });

  it('uses the global landing zone for company request tokens', () => {
    const config = load({ credentials: { auth_type: 'company', client_id: 'c', client_secret: 's', company_id: 'co', company_request_token: 'rt' } });
    expect(config.tokenUrl).toBe(DEFAULT_COMPANY_TOKEN_URL);
    expect(config.grant).toMatchObject({ kind: 'company', companyId: 'co', requestToken: 'rt' });
  });

  it('registers every secret value for masking before validating', () => {
    const redactor = new Redactor();
    try {
      load({ credentials: { ...password, password: 'pw-secret-1', username: 42 } }, redactor);
    } catch {
      // invalid on purpose
    }
    expect(redactor.redact('csecret-1 pw-secret-1')).toBe('**** ****');
  });

  it.each([
    [{}, /config\.credentials is missing/],
    [{ credentials: 'x' }, /config\.credentials is not an object/],
    [{ credentials: { auth_type: 'oauth' } }, /auth_type must be one of "password", "company", "refresh_token"/],
    [{ credentials: { ...password, username: undefined } }, /config\.credentials\.username: is required/],
    [{ credentials: { auth_type: 'refresh_token', client_id: 'c', client_secret: 's' } }, /config\.credentials\.refresh_token: is required/],
    [{ credentials: password, user: 'two words' }, /config\.user: must match pattern/],
    [{ credentials: password, days_back: -1 }, /config\.days_back: must be >= 0/],
    [{ credentials: password, start_date: '2025-13-01' }, /config\.start_date/],
    [{ credentials: password, start_date: '2025-02-30' }, /must be a real date/],
    [{ credentials: password, slice_days: 0 }, /config\.slice_days: must be >= 1/],
  ])('names the field and the fix: %j', (config, message) => {
    expect(error(config)).toMatch(message);
  });

  it('refuses contradictory date settings', () => {
    expect(error({ credentials: password, start_date: '2025-01-01', days_back: 3 })).toMatch(/start_date.*days_back.*keep one/);
    expect(error({ credentials: password, end_date: '2025-01-01', end_days_back: 3 })).toMatch(/end_date.*end_days_back.*keep one/);
    expect(error({ credentials: password, start_date: '2025-06-01', end_date: '2025-05-01' })).toMatch(/after the end/);
    expect(error({ credentials: password, start_date: '2027-01-01' })).toMatch(/in the future/);
    expect(error({ credentials: password, days_back: 5, end_days_back: 10 })).toMatch(/after the end/);
  });

  it('resolves absolute and relative windows as whole UTC days, end inclusive', () => {
    const today = Date.UTC(2026, 10, 28);
    const absolute = load({ credentials: password, start_date: '2025-03-01', end_date: '2025-03-31' });
    expect([absolute.start, absolute.end]).toEqual([Date.UTC(2025, 2, 1), Date.UTC(2025, 3, 1)]);
    const oneDay = load({ credentials: password, start_date: '2025-03-01', end_date: '2025-03-01' });
    expect(oneDay.end - (oneDay.start ?? 0)).toBe(DAY);
    const relative = load({ credentials: password, days_back: 10, end_days_back: 5 });
    expect([relative.start, relative.end]).toEqual([today - 10 * DAY, today - 4 * DAY]);
    const toNow = load({ credentials: password, days_back: 0 });
    expect([toNow.start, toNow.end]).toEqual([today, NOW]);
  });

  it('puts the range on another report date when date_filter says so, keeping modification windows open', () => {
    const byModified = load({ credentials: password, start_date: '2025-03-01', end_date: '2025-03-31' });
    expect(byModified.reportDateRange).toBeUndefined();
    const bySubmit = load({ credentials: password, start_date: '2025-03-01', end_date: '2025-03-31', date_filter: 'submitted' });
    expect(bySubmit.reportDateRange).toEqual({ prefix: 'submitDate', start: Date.UTC(2025, 2, 1), end: Date.UTC(2025, 3, 1) });
    expect(load({ credentials: password, days_back: 7, date_filter: 'processing_payment' }).reportDateRange?.prefix).toBe('processingPaymentDate');
    expect(load({ credentials: password, date_filter: 'paid' }).reportDateRange).toBeUndefined(); // no range: nothing to filter
    expect(error({ credentials: password, date_filter: 'approved' })).toMatch(/config\.date_filter: must be one of "modified", "created"/);
  });

  it('takes approval status codes as a list, each checked', () => {
    expect(load({ credentials: password, approval_status_codes: ['A_PEND', 'A_APPR'] }).approvalStatusCodes).toEqual(['A_PEND', 'A_APPR']);
    expect(load({ credentials: password }).approvalStatusCodes).toEqual([]);
    expect(error({ credentials: password, approval_status_codes: ['pending'] })).toMatch(/config\.approval_status_codes\[0\]: must match pattern/);
    expect(error({ credentials: password, approval_status_codes: ['A_PEND', 'A_PEND'] })).toMatch(/approval_status_codes: must NOT have duplicate items/);
  });

  it('allows http only for loopback hosts', () => {
    expect(load({ credentials: password, token_url: 'http://127.0.0.1:9/oauth2/v0/token', base_url: 'http://localhost:9/' }).baseUrl).toBe('http://localhost:9');
    expect(error({ credentials: password, token_url: 'http://concur.example.com/oauth2/v0/token' })).toMatch(/token_url must use https/);
    expect(error({ credentials: password, base_url: 'http://10.0.0.1' })).toMatch(/base_url must use https/);
    expect(error({ credentials: password, base_url: 'ftp://x' })).toMatch(/base_url/);
  });

  it('names unknown top-level fields, with the option a typo most likely means; "_" fields are left alone', () => {
    const config = load({ credentials: password, start_dat: '2026-01-01', lookback_minute: 5, something_else: true, _note: 'mine' });
    expect(config.unknownFields).toEqual([
      'config.start_dat is not an option of this connector and is ignored (did you mean "start_date"?).',
      'config.lookback_minute is not an option of this connector and is ignored (did you mean "lookback_minutes"?).',
      'config.something_else is not an option of this connector and is ignored.',
    ]);
  });

  it('names a misspelt field inside credentials, with the field it likely means, when it is missing or ignored', () => {
    const { password: _password, ...withoutPassword } = password as Record<string, unknown>;
    expect(error({ credentials: { ...withoutPassword, pasword: 'x' } })).toMatch(
      /config\.credentials\.password: is required; config\.credentials\.pasword is not a field of auth_type "password" \(did you mean "password"\?\)/,
    );
    const config = load({ credentials: { ...password, client_secert: 'x', _mine: 1 } });
    expect(config.unknownFields).toEqual(['config.credentials.client_secert is not a field of auth_type "password" (did you mean "client_secret"?) and is ignored.']);
  });

  it('reads user ALL in any case as the keyword ALL, and keeps a login id as written', () => {
    for (const user of ['all', 'All', 'ALL']) expect(load({ credentials: password, user }).user).toBe('ALL');
    expect(load({ credentials: password, user: 'Jane.Doe@example.com' }).user).toBe('Jane.Doe@example.com');
  });

  it('refuses non-object configs', () => {
    for (const raw of [null, [], 'x', 3]) expect(error(raw)).toMatch(/config|JSON object/);
  });
});
