import type { StreamDef } from '../engine/define.js';
import type { StreamEnv } from './env.js';
import { entryAttendeeAssociations } from './v3/entry-attendee-associations.js';
import { expenseAllocations } from './v3/expense-allocations.js';
import { expenseEntries } from './v3/expense-entries.js';
import { expenseItemizations } from './v3/expense-itemizations.js';
import { expenseReportsDetail } from './v3/expense-reports-detail.js';
import { expenseReports } from './v3/expense-reports.js';

/** Every stream this source offers, in discover order. A stream not listed here does not exist for Airbyte. */
export const STREAMS: readonly StreamDef<StreamEnv>[] = [
  expenseReports,
  expenseReportsDetail,
  expenseEntries,
  expenseItemizations,
  expenseAllocations,
  entryAttendeeAssociations,
];

export function findStream(name: string): StreamDef<StreamEnv> | undefined {
  return STREAMS.find((stream) => stream.name === name);
}
