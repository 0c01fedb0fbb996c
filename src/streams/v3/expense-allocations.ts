import { parentField } from '../env.js';
import { concurStream } from '../stream.js';
import { v3List } from './requests.js';
import { expenseReports } from './expense-reports.js';

// docs/concur-api.md#the-user-parameter: the allocations list does not take `user`; per-report reads (reportID) cover every owner.
export const expenseAllocations = concurStream({
  name: 'expense_allocations',
  parent: { stream: expenseReports, inherit: { ReportLastModifiedDate: 'LastModifiedDate' } },
  cursor: { field: 'ReportLastModifiedDate' },
  pages: v3List('/api/v3.0/expense/allocations', (ctx) => ({ reportID: parentField(ctx, 'ID') })),
});
