import { asUser } from '../env.js';
import { concurStream } from '../stream.js';
import { v3List } from './requests.js';

export const expenseGroupConfigurations = concurStream({
  name: 'expense_group_configurations',
  deprecated: { since: '2025-06-26', replacement: 'Expense Configuration v4' },
  pages: v3List('/api/v3.0/expense/expensegroupconfigurations', (ctx) => ({ user: asUser(ctx.options, ctx.options.user) })),
});
