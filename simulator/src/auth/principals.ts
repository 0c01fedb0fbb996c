import { timingSafeEqual } from 'node:crypto';
import type { Tenant } from '../tenant/tenant.js';

/** Who an access token acts for. Company tokens act with admin rights (docs/concur-api.md#who-the-token-acts-for). */
export interface Principal {
  readonly kind: 'user' | 'company';
  /** Tenant user index; null for the company principal (it owns no reports). */
  readonly userIndex: number | null;
  /** User login, or the company id. */
  readonly login: string;
  /** Holds the Web Services Administrator role (needed for any `user=` parameter). */
  readonly isAdmin: boolean;
  /** What the request log shows as `user`. */
  readonly logLabel: string;
  /** Subject of the id_token / access token (user UUID or company id). */
  readonly subject: string;
}

export interface Credentials {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly adminPassword: string;
  readonly userPassword: string;
  readonly companyId: string;
  readonly companyRequestToken: string;
  readonly refreshToken: string;
}

/** The credential directory of the simulated company (users come from the tenant). */
export class Directory {
  readonly company: Principal;

  /**
   * @param requestTokenExpiresMs when the company request token stops working: Concur's last 24 hours. An expired
   * one is refused like a wrong one (the docs show no other answer for it).
   */
  constructor(
    private readonly tenant: Tenant,
    private readonly credentials: Credentials,
    private readonly requestTokenExpiresMs = Number.POSITIVE_INFINITY,
  ) {
    this.company = {
      kind: 'company',
      userIndex: null,
      login: credentials.companyId,
      isAdmin: true,
      logLabel: `company:${credentials.companyId}`,
      subject: credentials.companyId,
    };
  }

  /** 'ok', 'unknown' (code 61) or 'bad-secret' (code 64). */
  checkClient(clientId: string, clientSecret: string): 'ok' | 'unknown' | 'bad-secret' {
    if (clientId !== this.credentials.clientId) return 'unknown';
    return sameSecret(clientSecret, this.credentials.clientSecret) ? 'ok' : 'bad-secret';
  }

  userByLogin(login: string): Principal | undefined {
    const index = this.tenant.userByLogin(login);
    return index === undefined ? undefined : this.userPrincipal(index);
  }

  userPrincipal(index: number): Principal {
    const user = this.tenant.user(index);
    return { kind: 'user', userIndex: index, login: user.loginId, isAdmin: user.isAdmin, logLabel: user.loginId, subject: user.id };
  }

  /** The admin has --admin-password; every other user has --user-password. */
  passwordMatches(principal: Principal, password: string): boolean {
    if (principal.kind !== 'user') return false;
    const expected = principal.userIndex === 0 ? this.credentials.adminPassword : this.credentials.userPassword;
    return sameSecret(password, expected);
  }

  /** credtype=authtoken: username = company id (case-insensitive UUID), password = request token. */
  companyFor(username: string): Principal | undefined {
    return username.toLowerCase() === this.credentials.companyId.toLowerCase() ? this.company : undefined;
  }

  companyTokenMatches(requestToken: string, nowMs: number): boolean {
    return nowMs < this.requestTokenExpiresMs && sameSecret(requestToken, this.credentials.companyRequestToken);
  }
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
