import { concurStream } from '../stream.js';
import { v3List } from './requests.js';

export const expenseAttendeeTypes = concurStream({
  name: 'expense_attendee_types',
  deprecated: { since: '2025-07-10', replacement: 'Attendee Types v4, read by the attendee_types_v4 stream' },
  pages: v3List('/api/v3.0/expense/attendeetypes', () => ({})),
});
