import { formatConcurFilter } from '../../concur/dates.js';
import { getOne, paginate, V3_PAGES } from '../../concur/paging.js';
import type { DateFilter, Query, RecordData } from '../../engine/define.js';
import type { StreamContext } from '../env.js';

/** docs/concur-api.md#v3-page-size: 100 is the documented maximum on sibling v3 endpoints and accepted everywhere we know of. */
export const V3_PAGE_SIZE = 100;

/** Pages of a v3 list endpoint with the given query (limit added). */
export function v3List(path: string, query: (ctx: StreamContext) => Query) {
  return (ctx: StreamContext): AsyncIterable<RecordData[]> =>
    paginate(ctx.options.client, V3_PAGES, { path, query: { limit: ctx.probe ? 1 : V3_PAGE_SIZE, ...query(ctx) } }, ctx.signal);
}

/** One v3 resource per parent. */
export function v3Detail(path: (ctx: StreamContext) => string, query: (ctx: StreamContext) => Query) {
  return async function* (ctx: StreamContext): AsyncGenerator<RecordData[]> {
    yield [await getOne(ctx.options.client, path(ctx), query(ctx), ctx.signal)];
  };
}

/**
 * A v3 report date as Concur's report filters take it (`{prefix}After` / `{prefix}Before`): strictly after and
 * strictly before (docs/concur-api.md#v3-date-filters), to the millisecond, written without an offset in UTC.
 */
export function v3DateFilter(prefix: string): DateFilter {
  return { after: `${prefix}After`, before: `${prefix}Before`, bounds: 'exclusive', stepMs: 1, format: formatConcurFilter };
}
