import { defineStream } from '../../engine/define.js';
import type { StreamEnv } from '../env.js';
import { xmlListPages } from './defaults.js';

// The users who made the token user their delegate; nobody else's can be read (docs/concur-api.md#token-user-only-apis).
export const expenseDelegators = defineStream<StreamEnv>({
  name: 'expense_delegators',
  primaryKey: ['DelegatorXUserID'],
  scope: 'token-user',
  pages: xmlListPages('/api/expense/expensereport/v1.1/Delegators', ['DelegatorsList', 'Delegator'], (ctx) => ({
    includeInactive: ctx.options.includeInactiveDelegators ? 'Y' : 'N',
  })),
});
