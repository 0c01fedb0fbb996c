import { paginate, SCIM_PAGES } from '../../concur/paging.js';
import type { RecordData } from '../../engine/define.js';
import type { StreamContext } from '../env.js';

export const IDENTITY_USERS = '/profile/identity/v4.1/Users';
/** Identity v4.1's maximum `count`. */
export const IDENTITY_PAGE_SIZE = 1000;

/** Every user of the company (Identity v4.1, company tokens only), page by page, as SCIM resources. */
export function identityUserPages(ctx: StreamContext, onTotal?: (total: number) => void): AsyncGenerator<RecordData[]> {
  return paginate(ctx.options.client, SCIM_PAGES, { path: IDENTITY_USERS, query: { count: IDENTITY_PAGE_SIZE } }, ctx.signal, onTotal);
}
