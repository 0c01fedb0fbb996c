import { defineStream } from '../../engine/define.js';
import type { StreamEnv } from '../env.js';
import { v3List } from './defaults.js';

export const expenseAttendeeTypes = defineStream<StreamEnv>({
  name: 'expense_attendee_types',
  primaryKey: ['ID'],
  scope: 'company',
  deprecated: { since: '2025-07-10', replacement: 'Attendee Types v4' },
  pages: v3List('/api/v3.0/expense/attendeetypes', () => ({})),
});
