import type { Directory } from '../auth/principals.js';
import type { TokenStore } from '../auth/tokens.js';
import type { FaultEngine } from '../faults.js';
import type { RequestLog, Stats } from '../request-log.js';
import type { Route } from '../route.js';
import type { Tenant } from '../tenant/tenant.js';
import type { Topology } from '../topology.js';
import { adminRoutes } from './admin.js';
import { attendeesV4Routes } from './attendees-v4.js';
import { expenseConfigV4Routes } from './expense-config-v4.js';
import { identityRoutes } from './identity.js';
import { tokenRoutes } from './token.js';
import { v3ExpenseRoutes } from './v3/index.js';
import { v4Routes } from './v4.js';
import { expenseV11Routes } from './xml/expense-v11.js';
import { extractRoutes } from './xml/extracts.js';
import { itineraryRoutes } from './xml/itinerary.js';
import { reportsV2Routes } from './xml/reports-v2.js';
import { userV1Routes } from './xml/user-v1.js';

export interface RouteDeps {
  readonly tenant: Tenant;
  readonly directory: Directory;
  readonly tokens: TokenStore;
  readonly faults: FaultEngine;
  readonly log: RequestLog;
  readonly stats: Stats;
  readonly topology: Topology;
  readonly maxLimit: number;
  /** --v2-list-cap: rows of the v2 report list at most. */
  readonly v2ListCap: number;
  /** The company id (Identity v4.1 companyId). */
  readonly companyId: string;
}

/**
 * The route table. Each API family is one module returning Route[]: token, v3 JSON (expense + configuration),
 * v1.1 XML (card charges, delegators, forms), v2 XML reports, Extract v1, Itinerary v1.1, User v1, Identity
 * v4.1 SCIM, Attendee Types v4, List v4 / List Item v4, Attendees v4, Expense Configuration v4, and /_sim.
 */
export function allRoutes(deps: RouteDeps): Route[] {
  return [
    ...tokenRoutes(deps),
    ...v3ExpenseRoutes(deps),
    ...expenseV11Routes(deps),
    ...reportsV2Routes(deps),
    ...extractRoutes(deps),
    ...itineraryRoutes(deps),
    ...userV1Routes(deps),
    ...identityRoutes(deps),
    ...v4Routes(deps),
    ...attendeesV4Routes(deps),
    ...expenseConfigV4Routes(deps),
    ...adminRoutes(deps),
  ];
}
