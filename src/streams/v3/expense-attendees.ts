import { defineStream } from '../../engine/define.js';
import { singleUser, type StreamEnv } from '../env.js';
import { v3List } from './defaults.js';

// docs/concur-api.md#the-user-parameter: user=ALL is not documented here; a login id (admin) reads that user's attendees.
export const expenseAttendees = defineStream<StreamEnv>({
  name: 'expense_attendees',
  primaryKey: ['ID'],
  scope: 'token-user',
  deprecated: { since: '2025-07-01', replacement: 'Attendees v4' },
  pages: v3List('/api/v3.0/expense/attendees', (ctx) => ({ user: singleUser(ctx) })),
});
