import { asUser, parentField } from '../env.js';
import { concurStream } from '../stream.js';
import { v3Detail } from './requests.js';
import { expenseReports } from './expense-reports.js';

// docs/concur-api.md#v3-single-resources: one GET per report, with the owner's login (user=ALL is refused on a single report).
export const expenseReportsDetail = concurStream({
  name: 'expense_reports_detail',
  parent: { stream: expenseReports },
  cursor: { field: 'LastModifiedDate' },
  // A report deleted between the list and this request (docs/concur-api.md#missing-records-404).
  failures: { not_found: 'skip' },
  pages: v3Detail(
    (ctx) => `/api/v3.0/expense/reports/${encodeURIComponent(parentField(ctx, 'ID'))}`,
    (ctx) => ({ user: asUser(ctx.options, parentField(ctx, 'OwnerLoginID')) }),
  ),
});
