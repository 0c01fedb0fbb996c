import type { Principal } from '../concur/auth.js';
import type { ConcurClient } from '../concur/client.js';
import { ConcurError } from '../concur/errors.js';
import type { FetchContext } from '../engine/define.js';

/** What every stream's fetch functions get: the Concur client and the resolved options that shape requests. */
export interface StreamEnv {
  client: ConcurClient;
  /** ALL, or one login id (config `user`). */
  user: string;
  /** v2 status buckets for reports_detail. */
  reportStatuses: readonly string[];
  /** Extract definitions to read jobs of; empty = all. */
  extractDefinitionIds: readonly string[];
  includeInactiveDelegators: boolean;
  userInformationApi: 'identity_v4_1' | 'user_v1';
  /** ISO country codes for locations; empty = all. */
  locationCountries: readonly string[];
  /** Expense report approval status codes; empty = all. */
  approvalStatusCodes: readonly string[];
  /** A range on a report date other than LastModifiedDate (config date_filter), sent as …After/…Before. */
  reportDateRange: { prefix: string; start: number | undefined; end: number | undefined } | undefined;
  /** The login the token acts for, where the config names it (password grant); lower case. */
  tokenUser?: string | undefined;
  /** Whether the token is a user's or the company's, when known (the grant, or Concur's id_token). */
  principal: Principal | undefined;
}

export type StreamContext = FetchContext<StreamEnv>;

/**
 * The `user` parameter for APIs that document only one login (not ALL): with ALL, the token user's own data
 * (no parameter); with a login id, that user.
 */
export function singleUser(ctx: StreamContext): string | undefined {
  return ctx.options.user === 'ALL' ? undefined : asUser(ctx, ctx.options.user);
}

/**
 * A login as the `user` parameter, left out when it is the token's own user: Concur reads the token user's data
 * by default, and any `user` value needs the Web Services Administrator role (docs/concur-api.md#the-user-parameter), which a
 * user reading only their own reports does not have.
 */
export function asUser(ctx: StreamContext, login: string): string | undefined {
  return ctx.options.tokenUser !== undefined && login.toLowerCase() === ctx.options.tokenUser ? undefined : login;
}

/** The parent's field as a request parameter; a parent without it is a Concur payload problem, not ours to guess. */
export function parentField(ctx: StreamContext, field: string): string {
  const value = ctx.parent?.[field];
  if (typeof value !== 'string' || value === '') {
    throw new ConcurError('payload', `A parent record from Concur has no ${field}, so its children cannot be requested.`);
  }
  return value;
}
