import { ApiError } from '../errors.js';
import type { Route, RouteResult, RequestContext, CollectionName } from '../route.js';
import type { Tenant } from '../tenant/tenant.js';
import {
  ATTENDEE_TYPES_V4,
  LISTS_V4,
  LIST_ITEMS_V4,
  attendeeTypeV4Record,
  childrenOf,
  listItemV4Index,
  listItemV4Record,
  listV4Index,
  listV4Record,
} from '../tenant/v4-config.js';
import { principalOf } from './v3/common.js';

export interface V4Deps {
  readonly tenant: Tenant;
}

/** List v4 and List Item v4 pages hold a fixed 100 records. */
const PAGE_SIZE = 100;

function json(body: unknown, collection: CollectionName, count: number): RouteResult {
  return { kind: 'json', status: 200, body, items: { collection, count } };
}

/** `?page=` from 1 (default 1); anything else is a 400, as a Spring binder answers. */
function pageOf(ctx: RequestContext): number {
  const raw = ctx.query.get('page');
  if (raw === undefined || raw === '') return 1;
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < 1) throw new ApiError(400, `Invalid value '${raw.slice(0, 32)}' for parameter page: a page number starts at 1.`);
  return Number(raw);
}

/** `?isDeleted=` as a boolean (eq: allowed, as List v4's filter syntax); undefined when absent. */
function isDeletedOf(ctx: RequestContext): boolean | undefined {
  const raw = ctx.query.get('isDeleted');
  if (raw === undefined || raw === '') return undefined;
  const value = raw.toLowerCase().replace(/^eq:/, '');
  if (value !== 'true' && value !== 'false') throw new ApiError(400, `Invalid value '${raw.slice(0, 32)}' for parameter isDeleted: true or false.`);
  return value === 'true';
}

/** One numbered page of `records` in the v4 wrapper. */
function paged(ctx: RequestContext, records: readonly (() => unknown)[], collection: CollectionName): RouteResult {
  const page = pageOf(ctx);
  const content = records.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map((make) => make());
  const body = {
    links: [],
    content,
    page: { size: PAGE_SIZE, totalElements: records.length, totalPages: Math.ceil(records.length / PAGE_SIZE), number: page },
  };
  return json(body, collection, content.length);
}

/**
 * Attendee Types v4 (GET /v4/attendeetypes: a top-level array, no paging; company-level tokens only, a user
 * token gets 403) and List v4 / List Item v4 (page numbers; lists, a list's first level, an item's children by
 * list or across lists). Errors are the v4 ErrorMessage. Items are listed without the deleted ones unless
 * ?isDeleted=true, which shows them too; lists are filtered by ?isDeleted (equals; default: live lists only).
 */
export function v4Routes(deps: V4Deps): Route[] {
  const t = deps.tenant;
  const list = (ctx: RequestContext): number => {
    const id = ctx.params['listId'] ?? '';
    const l = listV4Index(t, id);
    if (l === undefined) throw new ApiError(404, `List ${id.slice(0, 64)} not found.`);
    return l;
  };
  const item = (ctx: RequestContext): number => {
    const id = ctx.params['itemId'] ?? '';
    const i = listItemV4Index(t, id);
    if (i === undefined) throw new ApiError(404, `List item ${id.slice(0, 64)} not found.`);
    return i;
  };
  const items = (ctx: RequestContext, indexes: readonly number[]): RouteResult => {
    const withDeleted = isDeletedOf(ctx) === true;
    const shown = indexes.filter((i) => withDeleted || LIST_ITEMS_V4[i]?.deleted !== true);
    return paged(ctx, shown.map((i) => () => listItemV4Record(t, i)), 'list_items_v4');
  };
  const route = (pattern: string, handle: (ctx: RequestContext) => RouteResult): Route => ({ method: 'GET', pattern, kind: 'data', format: 'json', errors: 'v4', handle });
  return [
    route('/v4/attendeetypes', (ctx) => {
      if (principalOf(ctx).kind !== 'company') throw new ApiError(403, 'Attendee Types v4 accepts a company level access token only; this is a user token.');
      const body = ATTENDEE_TYPES_V4.map((_, i) => attendeeTypeV4Record(t, i));
      return json(body, 'attendee_types_v4', body.length);
    }),
    route('/list/v4/lists', (ctx) => {
      const deleted = isDeletedOf(ctx) ?? false;
      const shown = LISTS_V4.flatMap((l, i) => (l.deleted === deleted ? [() => listV4Record(t, i)] : []));
      return paged(ctx, shown, 'lists_v4');
    }),
    route('/list/v4/lists/{listId}/children', (ctx) => {
      const l = list(ctx);
      return items(ctx, childrenOf(l, undefined));
    }),
    route('/list/v4/lists/{listId}/items/{itemId}/children', (ctx) => {
      const l = list(ctx);
      const i = item(ctx);
      if (LIST_ITEMS_V4[i]?.list !== l) throw new ApiError(404, `List item ${ctx.params['itemId'] ?? ''} not found in list ${ctx.params['listId'] ?? ''}.`);
      return items(ctx, childrenOf(l, i));
    }),
    route('/list/v4/items/{itemId}/children', (ctx) => {
      const i = item(ctx);
      return items(ctx, childrenOf(LIST_ITEMS_V4[i]?.list ?? -1, i));
    }),
  ];
}
