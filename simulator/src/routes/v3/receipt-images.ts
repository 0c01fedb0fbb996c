import { ApiError } from '../../errors.js';
import type { Route } from '../../route.js';
import { pageIndexes } from '../../tenant/listing.js';
import { receiptImageCount, receiptImageRecord, receiptImageRef } from '../../tenant/user-data.js';
import { escapeXml } from '../../xml.js';
import { NO_OWNER, V3, itemResult, listResult, notFound, pageLimit, principalOf, requireAdminRole, startPosition, type V3Deps } from './common.js';

export const IMAGE_NAMESPACE = 'http://www.concursolutions.com/api/image/2011/02';
/** Lifetime of the temporary image URL (Image v1: 15 minutes). */
const URL_LIFETIME_S = 900;

/**
 * Receipt Image v3: the receipt store of the token user (`user=<login>` needs the admin role; `user=ALL` is
 * not documented and answers 400). The list items are only {ID, URI}; GET by id answers the temporary image
 * URL, as JSON {"ID","URI"} for Accept: application/json, else as the XML <Image><Id/><Url/></Image> of the
 * reference (docs/concur-api.md#receipt-image-urls-expire).
 */
export function receiptImageRoutes(deps: V3Deps): Route[] {
  const t = deps.tenant;
  const owner = (user: string | undefined, principalUser: number | null): number => {
    if (user === undefined) return principalUser ?? NO_OWNER;
    if (user.toUpperCase() === 'ALL') {
      throw new ApiError(400, "The 'user' parameter does not accept ALL for receipt images. Pass the login ID of one user.");
    }
    return t.userByLogin(user) ?? NO_OWNER;
  };
  return [
    {
      method: 'GET',
      pattern: `${V3}/expense/receiptimages`,
      kind: 'data',
      format: 'json',
      api: 'receipt-images',
      handle: (ctx) => {
        const limit = pageLimit(ctx, deps);
        const start = startPosition(ctx, deps, 'receipt_images', 1);
        const user = ctx.query.get('user');
        const u = owner(user, principalOf(ctx).userIndex);
        if (user !== undefined) requireAdminRole(ctx, deps);
        const count = u === NO_OWNER ? 0 : receiptImageCount(t, u);
        const page = pageIndexes(count, start, limit, () => true, (j) => receiptImageRecord(t, u, j, ctx.requestBase));
        return listResult(ctx, deps, 'receipt_images', page);
      },
    },
    {
      method: 'GET',
      pattern: `${V3}/expense/receiptimages/{id}`,
      kind: 'data',
      format: 'json',
      api: 'receipt-images',
      handle: (ctx) => {
        const id = ctx.params['id'] ?? '';
        const user = ctx.query.get('user');
        const u = owner(user, principalOf(ctx).userIndex);
        if (user !== undefined) requireAdminRole(ctx, deps);
        const ref = receiptImageRef(t, id);
        if (ref === undefined || ref.u !== u) throw notFound('receipt image', id);
        const expires = Math.floor(ctx.nowMs / 1000) + URL_LIFETIME_S;
        const url = `${ctx.requestBase}/_sim/images/receipt/${encodeURIComponent(id)}.pdf?expires=${expires}`;
        const accept = String(ctx.headers.accept ?? '').toLowerCase();
        if (accept.includes('application/json')) return itemResult('receipt_images', { ID: id, URI: url });
        return {
          kind: 'text',
          status: 200,
          contentType: 'application/xml; charset=utf-8',
          body: `<Image xmlns="${IMAGE_NAMESPACE}">\n  <Id>${escapeXml(id)}</Id>\n  <Url>${escapeXml(url)}</Url>\n</Image>`,
          items: { collection: 'receipt_images', count: 1 },
        };
      },
    },
  ];
}
