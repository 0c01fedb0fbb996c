import { defineStream } from '../../engine/define.js';
import { asUser, parentField, type StreamEnv } from '../env.js';
import { v3List } from './defaults.js';
import { expenseReports } from './expense-reports.js';

// docs/concur-api.md#v3-children-have-no-date-filter: entries have no modified filter, so they are read per report modified in the window.
export const expenseEntries = defineStream<StreamEnv>({
  name: 'expense_entries',
  primaryKey: ['ID'],
  scope: 'company',
  parent: { stream: expenseReports, inherit: { ReportLastModifiedDate: 'LastModifiedDate' } },
  cursor: { kind: 'parent', field: 'ReportLastModifiedDate' },
  pages: v3List('/api/v3.0/expense/entries', (ctx) => ({ reportID: parentField(ctx, 'ID'), user: asUser(ctx, parentField(ctx, 'OwnerLoginID')) })),
});
