import type { Route } from '../../route.js';
import { allocationRoutes } from './allocations.js';
import { associationRoutes } from './associations.js';
import { attendeeRoutes } from './attendees.js';
import type { V3Deps } from './common.js';
import { configurationRoutes } from './configuration.js';
import { receiptImageRoutes } from './receipt-images.js';
import { entryRoutes } from './entries.js';
import { itemizationRoutes } from './itemizations.js';
import { reportRoutes } from './reports.js';

export type { V3Deps } from './common.js';

/** The v3 JSON expense family. More v3 lists go here as new files. */
export function v3ExpenseRoutes(deps: V3Deps): Route[] {
  return [
    ...reportRoutes(deps),
    ...entryRoutes(deps),
    ...itemizationRoutes(deps),
    ...allocationRoutes(deps),
    ...associationRoutes(deps),
    ...attendeeRoutes(deps),
    ...configurationRoutes(deps),
    ...receiptImageRoutes(deps),
  ];
}
