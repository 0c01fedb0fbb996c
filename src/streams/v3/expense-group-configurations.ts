import { asUser } from '../env.js';
import { concurStream } from '../stream.js';
import { v3List } from './requests.js';

export const expenseGroupConfigurations = concurStream({
  name: 'expense_group_configurations',
  deprecated: { since: '2025-06-26', replacement: 'Expense Configuration v4, read by the expense_group_configurations_v4 stream (without expense types, which v4 gives per user only)' },
  pages: v3List('/api/v3.0/expense/expensegroupconfigurations', (ctx) => ({ user: asUser(ctx.options, ctx.options.user) })),
});
