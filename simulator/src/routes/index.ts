import type { Directory } from '../auth/principals.js';
import type { TokenStore } from '../auth/tokens.js';
import type { FaultEngine } from '../faults.js';
import type { RequestLog, Stats } from '../request-log.js';
import type { Route } from '../route.js';
import type { Tenant } from '../tenant/tenant.js';
import type { Topology } from '../topology.js';
import { adminRoutes } from './admin.js';
import { tokenRoutes } from './token.js';
import { v3ExpenseRoutes } from './v3/index.js';

export interface RouteDeps {
  readonly tenant: Tenant;
  readonly directory: Directory;
  readonly tokens: TokenStore;
  readonly faults: FaultEngine;
  readonly log: RequestLog;
  readonly stats: Stats;
  readonly topology: Topology;
  readonly maxLimit: number;
}

/**
 * The route table. Each API family is one module returning Route[]; a new family
 * (XML v1.1/v2 expense, Extract v1, Itinerary v1.1, Identity v4 SCIM…) is added here.
 */
export function allRoutes(deps: RouteDeps): Route[] {
  return [...tokenRoutes(deps), ...v3ExpenseRoutes(deps), ...adminRoutes(deps)];
}
