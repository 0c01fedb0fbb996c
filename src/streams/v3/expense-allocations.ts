import { defineStream } from '../../engine/define.js';
import { parentField, type StreamEnv } from '../env.js';
import { v3List } from './defaults.js';
import { expenseReports } from './expense-reports.js';

// docs/concur-api.md#the-user-parameter: the allocations list does not take `user`; per-report reads (reportID) cover every owner.
export const expenseAllocations = defineStream<StreamEnv>({
  name: 'expense_allocations',
  primaryKey: ['ID'],
  scope: 'company',
  parent: { stream: expenseReports, inherit: { ReportLastModifiedDate: 'LastModifiedDate' } },
  cursor: { kind: 'parent', field: 'ReportLastModifiedDate' },
  pages: v3List('/api/v3.0/expense/allocations', (ctx) => ({ reportID: parentField(ctx, 'ID') })),
});
