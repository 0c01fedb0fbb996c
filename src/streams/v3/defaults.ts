import { formatConcurFilter } from '../../concur/dates.js';
import type { Query } from '../../concur/client.js';
import { getOne, nextPageUrl } from '../../concur/paging.js';
import type { RecordData, Window } from '../../engine/define.js';
import type { StreamContext } from '../env.js';


/** docs/concur-api.md#v3-page-size: 100 is the documented maximum on sibling v3 endpoints and accepted everywhere we know of. */
export const V3_PAGE_SIZE = 100;

/** Pages of a v3 list endpoint with the given query (limit added). */
export function v3List(path: string, query: (ctx: StreamContext) => Query) {
  return (ctx: StreamContext): AsyncIterable<RecordData[]> =>
    nextPageUrl(ctx.options.client, path, { limit: ctx.probe ? 1 : V3_PAGE_SIZE, ...query(ctx) }, ctx.signal);
}

/** One v3 resource per parent; a parent deleted between the list and this call is skipped with a warning. */
export function v3Detail(path: (ctx: StreamContext) => string, query: (ctx: StreamContext) => Query) {
  return async function* (ctx: StreamContext): AsyncGenerator<RecordData[]> {
    const target = path(ctx);
    const record = await getOne(ctx.options.client, target, query(ctx), ctx.signal);
    if (record) yield [record];
    else ctx.log.warn(`${target} no longer exists in Concur (404); skipped.`);
  };
}

/**
 * A date window as Concur's report filters: `…After` is strictly after and `…Before` strictly before
 * (docs/concur-api.md#v3-date-filters), so the window [start, end) is asked as (start - 1 ms, end).
 * Timestamps carry at most milliseconds, so nothing at the boundary is lost or read twice.
 */
export function windowFilter(prefix: string, window: Window | undefined): Query {
  if (!window) return {};
  return {
    [`${prefix}After`]: formatConcurFilter(window.start - 1),
    [`${prefix}Before`]: formatConcurFilter(window.end),
  };
}
