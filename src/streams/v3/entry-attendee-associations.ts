import { defineStream } from '../../engine/define.js';
import { parentField, type StreamEnv } from '../env.js';
import { v3List } from './defaults.js';
import { expenseEntries } from './expense-entries.js';

// The list filters by entryID only (docs/concur-api.md#v3-children-have-no-date-filter), so it walks reports → entries that have attendees → links.
export const entryAttendeeAssociations = defineStream<StreamEnv>({
  name: 'entry_attendee_associations',
  primaryKey: ['ID'],
  scope: 'company',
  parent: {
    stream: expenseEntries,
    filter: (entry) => entry['HasAttendees'] !== false,
    inherit: { ReportLastModifiedDate: 'ReportLastModifiedDate' },
  },
  cursor: { kind: 'parent', field: 'ReportLastModifiedDate' },
  pages: v3List('/api/v3.0/expense/entryattendeeassociations', (ctx) => ({
    entryID: parentField(ctx, 'ID'),
    user: parentField(ctx, 'ReportOwnerID'),
  })),
});
