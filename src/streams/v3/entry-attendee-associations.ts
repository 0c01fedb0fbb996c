import { parentField } from '../env.js';
import { concurStream } from '../stream.js';
import { v3List } from './requests.js';
import { expenseEntries } from './expense-entries.js';

// The list filters by entryID only (docs/concur-api.md#v3-children-have-no-date-filter), so it walks reports → entries that have attendees → links.
export const entryAttendeeAssociations = concurStream({
  name: 'entry_attendee_associations',
  parent: {
    stream: expenseEntries,
    filter: (entry) => entry['HasAttendees'] !== false,
    inherit: { ReportLastModifiedDate: 'ReportLastModifiedDate' },
  },
  cursor: { field: 'ReportLastModifiedDate' },
  pages: v3List('/api/v3.0/expense/entryattendeeassociations', (ctx) => ({
    entryID: parentField(ctx, 'ID'),
    user: parentField(ctx, 'ReportOwnerID'),
  })),
});
