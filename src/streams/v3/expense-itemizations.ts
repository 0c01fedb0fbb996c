import { defineStream } from '../../engine/define.js';
import { asUser, parentField, type StreamEnv } from '../env.js';
import { v3List } from './defaults.js';
import { expenseReports } from './expense-reports.js';

// Per report (reportID), not per entry: one request set per report instead of one per itemized entry.
export const expenseItemizations = defineStream<StreamEnv>({
  name: 'expense_itemizations',
  primaryKey: ['ID'],
  scope: 'company',
  parent: { stream: expenseReports, inherit: { ReportLastModifiedDate: 'LastModifiedDate' } },
  cursor: { kind: 'parent', field: 'ReportLastModifiedDate' },
  pages: v3List('/api/v3.0/expense/itemizations', (ctx) => ({ reportID: parentField(ctx, 'ID'), user: asUser(ctx, parentField(ctx, 'OwnerLoginID')) })),
});
