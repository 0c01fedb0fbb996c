import { singleUser } from '../env.js';
import { concurStream } from '../stream.js';
import { v3List } from './requests.js';

// docs/concur-api.md#the-user-parameter: user=ALL is not documented here; a login id (admin) reads that user's attendees.
export const expenseAttendees = concurStream({
  name: 'expense_attendees',
  deprecated: { since: '2025-07-01', replacement: 'Attendees v4, read by the attendees_v4 stream' },
  pages: v3List('/api/v3.0/expense/attendees', (ctx) => ({ user: singleUser(ctx.options) })),
});
