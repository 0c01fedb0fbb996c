import { asUser, parentField } from '../env.js';
import { concurStream } from '../stream.js';
import { v3List } from './requests.js';
import { expenseReports } from './expense-reports.js';

// docs/concur-api.md#v3-children-have-no-date-filter: entries have no modified filter, so they are read per report modified in the window.
export const expenseEntries = concurStream({
  name: 'expense_entries',
  parent: { stream: expenseReports, inherit: { ReportLastModifiedDate: 'LastModifiedDate' } },
  cursor: { field: 'ReportLastModifiedDate' },
  pages: v3List('/api/v3.0/expense/entries', (ctx) => ({ reportID: parentField(ctx, 'ID'), user: asUser(ctx.options, parentField(ctx, 'OwnerLoginID')) })),
});
