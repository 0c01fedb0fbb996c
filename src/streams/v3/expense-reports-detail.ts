import { defineStream } from '../../engine/define.js';
import { asUser, parentField, type StreamEnv } from '../env.js';
import { v3Detail } from './defaults.js';
import { expenseReports } from './expense-reports.js';

// docs/concur-api.md#v3-single-resources: one GET per report, with the owner's login (user=ALL is refused on a single report).
export const expenseReportsDetail = defineStream<StreamEnv>({
  name: 'expense_reports_detail',
  primaryKey: ['ID'],
  scope: 'company',
  parent: { stream: expenseReports },
  cursor: { kind: 'parent', field: 'LastModifiedDate' },
  pages: v3Detail(
    (ctx) => `/api/v3.0/expense/reports/${encodeURIComponent(parentField(ctx, 'ID'))}`,
    (ctx) => ({ user: asUser(ctx, parentField(ctx, 'OwnerLoginID')) }),
  ),
});
