import type { Principal } from '../concur/auth.js';
import type { ConcurClient } from '../concur/client.js';
import { ConcurError } from '../concur/errors.js';
import type { ResolvedConfig } from '../config/load.js';
import type { FetchContext } from '../engine/define.js';

/**
 * What every stream's fetch functions get: the Concur client, what the token is, and the resolved options as the
 * config gives them (a new option is read straight from here, with nothing to copy across).
 */
export type StreamEnv = Readonly<Omit<ResolvedConfig, 'raw' | 'grant' | 'unknownFields'>> & {
  readonly client: ConcurClient;
  /** Whether the token is a user's or the company's, when known (the grant, or Concur's id_token). */
  readonly principal: Principal | undefined;
  /** The login the token acts for, where the config names it (password grant); lower case. */
  readonly tokenUser: string | undefined;
  /** The company UUID the config names (company grant: its username), which the v4 company paths take. */
  readonly grantCompanyId: string | undefined;
};

export type StreamContext = FetchContext<StreamEnv>;

/** The streams' environment for one command. */
export function streamEnv(config: ResolvedConfig, client: ConcurClient, principal: Principal | undefined): StreamEnv {
  // The credentials stay out of the streams' reach: they need none of them.
  const { raw: _raw, grant, unknownFields: _unknown, ...options } = config;
  return {
    ...options,
    client,
    principal,
    tokenUser: grant.kind === 'password' ? grant.username.toLowerCase() : undefined,
    grantCompanyId: grant.kind === 'company' ? grant.companyId : undefined,
  };
}

/**
 * The `user` parameter for APIs that document only one login (not ALL): with ALL, the token user's own data
 * (no parameter); with a login id, that user.
 */
export function singleUser(env: StreamEnv): string | undefined {
  return env.user === 'ALL' ? undefined : asUser(env, env.user);
}

/**
 * A login as the `user` parameter, left out when it is the token's own user: Concur reads the token user's data
 * by default, and any `user` value needs the Web Services Administrator role (docs/concur-api.md#the-user-parameter),
 * which a user reading only their own reports does not have.
 */
export function asUser(env: StreamEnv, login: string): string | undefined {
  return env.tokenUser !== undefined && login.toLowerCase() === env.tokenUser ? undefined : login;
}

/** The parent's field as a request parameter; a parent without it is a Concur payload problem, not ours to guess. */
export function parentField(ctx: StreamContext, field: string): string {
  const value = ctx.parent?.[field];
  if (typeof value !== 'string' || value === '') {
    throw new ConcurError('payload', `A parent record from Concur has no ${field}, so its children cannot be requested.`);
  }
  return value;
}
