import type { StreamDef } from '../engine/define.js';
import type { StreamEnv } from './env.js';
import { userInformation } from './identity/user-information.js';
import { attendeeTypesV4 } from './v4/attendee-types.js';
import { attendeesV4 } from './v4/attendees.js';
import { expenseGroupConfigurationsV4 } from './v4/expense-group-configurations.js';
import { listItemsV4 } from './v4/list-items.js';
import { listsV4 } from './v4/lists.js';
import { entryAttendeeAssociations } from './v3/entry-attendee-associations.js';
import { expenseAllocations } from './v3/expense-allocations.js';
import { expenseAttendeeTypes } from './v3/expense-attendee-types.js';
import { expenseAttendees } from './v3/expense-attendees.js';
import { expenseEntries } from './v3/expense-entries.js';
import { expenseGroupConfigurations } from './v3/expense-group-configurations.js';
import { expenseItemizations } from './v3/expense-itemizations.js';
import { expenseReportsDetail } from './v3/expense-reports-detail.js';
import { expenseReports } from './v3/expense-reports.js';
import { listItems } from './v3/list-items.js';
import { locations } from './v3/locations.js';
import { receiptImages } from './v3/receipt-images.js';
import { companyCardTransactions } from './xml/company-card-transactions.js';
import { expenseDelegators } from './xml/expense-delegators.js';
import { expenseForm } from './xml/expense-form.js';
import { extractDefinitions } from './xml/extract-definitions.js';
import { extractJobs } from './xml/extract-jobs.js';
import { reportsDetail } from './xml/reports-detail.js';
import { travelItineraries } from './xml/travel-itineraries.js';

/** Every stream this source offers, in discover order. A stream not listed here does not exist for Airbyte. */
export const STREAMS: readonly StreamDef<StreamEnv>[] = [
  expenseReports,
  expenseReportsDetail,
  expenseEntries,
  expenseItemizations,
  expenseAllocations,
  entryAttendeeAssociations,
  expenseAttendees,
  attendeesV4,
  expenseAttendeeTypes,
  attendeeTypesV4,
  expenseGroupConfigurations,
  expenseGroupConfigurationsV4,
  expenseForm,
  expenseDelegators,
  companyCardTransactions,
  receiptImages,
  reportsDetail,
  listItems,
  listsV4,
  listItemsV4,
  locations,
  extractDefinitions,
  extractJobs,
  travelItineraries,
  userInformation,
];

export function findStream(name: string): StreamDef<StreamEnv> | undefined {
  return STREAMS.find((stream) => stream.name === name);
}
