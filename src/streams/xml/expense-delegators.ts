import { xmlListPages } from './requests.js';
import { concurStream } from '../stream.js';

// The users who made the token user their delegate; nobody else's can be read (docs/concur-api.md#token-user-only-apis).
export const expenseDelegators = concurStream({
  name: 'expense_delegators',
  primaryKey: ['DelegatorXUserID'],
  pages: xmlListPages('/api/expense/expensereport/v1.1/Delegators', ['DelegatorsList', 'Delegator'], (ctx) => ({
    includeInactive: ctx.options.includeInactiveDelegators ? 'Y' : 'N',
  })),
});
