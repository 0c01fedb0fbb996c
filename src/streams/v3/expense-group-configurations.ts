import { defineStream } from '../../engine/define.js';
import { asUser, type StreamEnv } from '../env.js';
import { v3List } from './defaults.js';

export const expenseGroupConfigurations = defineStream<StreamEnv>({
  name: 'expense_group_configurations',
  primaryKey: ['ID'],
  scope: 'company',
  deprecated: { since: '2025-06-26', replacement: 'Expense Configuration v4' },
  pages: v3List('/api/v3.0/expense/expensegroupconfigurations', (ctx) => ({ user: asUser(ctx, ctx.options.user) })),
});
