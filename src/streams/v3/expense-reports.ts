import { filterQuery } from '../../engine/define.js';
import { asUser } from '../env.js';
import { concurStream } from '../stream.js';
import { v3DateFilter, v3List } from './requests.js';

// The only company-wide report list Concur offers (docs/concur-api.md#status-of-each-api-the-streams-read); incremental on
// modifiedDateAfter/Before. With date_filter on another report date, that date is filtered by the request (same
// kind of filter, its own prefix) and the modification windows cover the whole history.
export const expenseReports = concurStream({
  name: 'expense_reports',
  cursor: { kind: 'server', field: 'LastModifiedDate', filter: v3DateFilter('modifiedDate') },
  appliesRange: (env) => env.reportDateRange === undefined,
  pages: v3List('/api/v3.0/expense/reports', (ctx) => {
    const { approvalStatusCodes, reportDateRange: range } = ctx.options;
    return {
      user: asUser(ctx.options, ctx.options.user),
      // A comma list of statuses (newer docs).
      approvalStatusCode: approvalStatusCodes.length > 0 ? approvalStatusCodes.join(',') : undefined,
      ...(range ? filterQuery(v3DateFilter(range.prefix), range) : {}),
      ...ctx.windowQuery,
    };
  }),
});
