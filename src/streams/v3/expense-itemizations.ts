import { asUser, parentField } from '../env.js';
import { concurStream } from '../stream.js';
import { v3List } from './requests.js';
import { expenseReports } from './expense-reports.js';

// Per report (reportID), not per entry: one request set per report instead of one per itemized entry.
export const expenseItemizations = concurStream({
  name: 'expense_itemizations',
  parent: { stream: expenseReports, inherit: { ReportLastModifiedDate: 'LastModifiedDate' } },
  cursor: { field: 'ReportLastModifiedDate' },
  pages: v3List('/api/v3.0/expense/itemizations', (ctx) => ({ reportID: parentField(ctx, 'ID'), user: asUser(ctx.options, parentField(ctx, 'OwnerLoginID')) })),
});
