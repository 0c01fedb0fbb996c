import { formatConcurFilter } from '../../concur/dates.js';
import type { Query } from '../../concur/client.js';
import { defineStream } from '../../engine/define.js';
import { asUser, type StreamContext, type StreamEnv } from '../env.js';
import { v3List, windowFilter } from './defaults.js';

/** The user's report filters: approval statuses (a comma list, newer docs) and a range on another report date. */
function reportFilters(ctx: StreamContext): Query {
  const { approvalStatusCodes, reportDateRange: range } = ctx.options;
  return {
    approvalStatusCode: approvalStatusCodes.length > 0 ? approvalStatusCodes.join(',') : undefined,
    ...(range?.start !== undefined ? { [`${range.prefix}After`]: formatConcurFilter(range.start - 1) } : {}),
    ...(range?.end !== undefined ? { [`${range.prefix}Before`]: formatConcurFilter(range.end) } : {}),
  };
}

// The only company-wide report list Concur offers (docs/concur-api.md#status-of-each-api-the-streams-read); incremental on modifiedDateAfter.
export const expenseReports = defineStream<StreamEnv>({
  name: 'expense_reports',
  primaryKey: ['ID'],
  scope: 'company',
  cursor: { kind: 'server', field: 'LastModifiedDate' },
  pages: v3List('/api/v3.0/expense/reports', (ctx) => ({ user: asUser(ctx, ctx.options.user), ...reportFilters(ctx), ...windowFilter('modifiedDate', ctx.window) })),
});
