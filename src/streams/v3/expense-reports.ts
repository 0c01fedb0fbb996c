import { defineStream } from '../../engine/define.js';
import type { StreamEnv } from '../env.js';
import { v3List, windowFilter } from './defaults.js';

// The only company-wide report list Concur offers (lifecycle.md: v4 has none); incremental on modifiedDateAfter.
export const expenseReports = defineStream<StreamEnv>({
  name: 'expense_reports',
  primaryKey: ['ID'],
  scope: 'company',
  cursor: { kind: 'server', field: 'LastModifiedDate' },
  pages: v3List('/api/v3.0/expense/reports', (ctx) => ({ user: ctx.options.user, ...windowFilter('modifiedDate', ctx.window) })),
});
