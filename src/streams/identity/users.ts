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

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** The company's id as Identity v4.1 gives it: the enterprise extension's companyId of the first user that has one. */
export async function identityCompanyId(ctx: StreamContext): Promise<string | undefined> {
  const body = await ctx.options.client.getJson(IDENTITY_USERS, { count: 10 }, ctx.signal);
  const users = typeof body === 'object' && body !== null ? (body as RecordData)['Resources'] : undefined;
  if (!Array.isArray(users)) return undefined;
  for (const user of users) {
    const enterprise = typeof user === 'object' && user !== null ? (user as RecordData)[ENTERPRISE] : undefined;
    const id = typeof enterprise === 'object' && enterprise !== null ? (enterprise as RecordData)['companyId'] : undefined;
    if (typeof id === 'string' && id !== '') return id;
  }
  return undefined;
}
