import { V4Refusal } from '../errors.js';
import type { FaultEngine } from '../faults.js';
import type { RequestContext, Route, RouteResult } from '../route.js';
import { userByUuid } from '../tenant/attendees-v4.js';
import { groupCount, userGroup } from '../tenant/company-config.js';
import {
  APPLICABLE_CONFIGS,
  attendeeTypesV4Of,
  expenseTypesV4,
  groupByIdV4,
  groupConfigV4,
  groupV4,
  paymentTypesV4,
  policiesV4,
  type ApplicableConfig,
} from '../tenant/expense-config-v4.js';
import type { Tenant } from '../tenant/tenant.js';
import { hasAdminRole, principalOf } from './v3/common.js';

export interface ExpenseConfigV4Deps {
  readonly tenant: Tenant;
  readonly faults: FaultEngine;
  /** The company id (Identity v4.1 companyId). */
  readonly companyId: string;
}

const BASE = '/expenseconfig/v4';

/** `applicableConfigs`: a comma list of attendeeTypes, paymentTypes and policies; none when absent. */
function applicableOf(ctx: RequestContext): ApplicableConfig[] {
  const raw = ctx.query.get('applicableConfigs');
  if (raw === undefined || raw.trim() === '') return [];
  return raw.split(',').map((part) => {
    const name = part.trim();
    const known = APPLICABLE_CONFIGS.find((c) => c.toLowerCase() === name.toLowerCase());
    if (known === undefined) throw new V4Refusal(400, `applicableConfigs: '${name.slice(0, 32)}' is not one of ${APPLICABLE_CONFIGS.join(', ')}.`, 'applicableConfigs');
    return known;
  });
}

function json(body: unknown, count: number): RouteResult {
  return { kind: 'json', status: 200, body, items: { collection: 'group_configurations_v4', count } };
}

/**
 * Expense Configuration v4. Company level: GET /companies/{companyId}/groupconfigs (every group, as an array of
 * Group) and GET …/groupconfigs/{hierarchyNodeId}?applicableConfigs=… (Group Config). User level: the user's
 * group config (policies, payment types and attendee types included), policies, a policy's expense types,
 * payment types and attendee types. Both token kinds are accepted, as SAP says; a user token may ask for its own
 * user only unless its user has the Web Services Administrator role. SAP's samples write `/company/`; the URI
 * template and this simulator write `/companies/`. Errors are the ErrorMessage of Attendees v4.
 */
export function expenseConfigV4Routes(deps: ExpenseConfigV4Deps): Route[] {
  const t = deps.tenant;
  const company = (ctx: RequestContext): void => {
    const id = ctx.params['companyId'] ?? '';
    if (id.toLowerCase() !== deps.companyId.toLowerCase()) throw new V4Refusal(404, `Company ${id.slice(0, 64)} not found.`);
  };
  const group = (ctx: RequestContext): number => {
    const id = ctx.params['hierarchyNodeId'] ?? '';
    const g = groupByIdV4(t, id);
    if (g === undefined) throw new V4Refusal(404, `Expense group ${id.slice(0, 64)} not found.`);
    return g;
  };
  /** The expense group of the user in the path, whom the token may read. */
  const usersGroup = (ctx: RequestContext): number => {
    const id = ctx.params['userID'] ?? '';
    const u = userByUuid(t, id);
    if (u === undefined) throw new V4Refusal(404, `User ${id.slice(0, 64)} not found.`);
    const principal = principalOf(ctx);
    if (principal.kind === 'user' && principal.userIndex !== u && !hasAdminRole(ctx, deps)) {
      throw new V4Refusal(403, "Reading another user's expense configuration requires the Web Services Administrator role.");
    }
    return userGroup(t, u);
  };
  const route = (pattern: string, handle: (ctx: RequestContext) => RouteResult): Route => ({
    method: 'GET',
    pattern: `${BASE}${pattern}`,
    kind: 'data',
    format: 'json',
    errors: 'v4-message',
    handle,
  });
  return [
    route('/companies/{companyId}/groupconfigs', (ctx) => {
      company(ctx);
      const groups = Array.from({ length: groupCount() }, (_, g) => groupV4(t, g));
      return json(groups, groups.length);
    }),
    route('/companies/{companyId}/groupconfigs/{hierarchyNodeId}', (ctx) => {
      company(ctx);
      const configs = applicableOf(ctx);
      return json(groupConfigV4(t, group(ctx), configs), 1);
    }),
    route('/users/{userID}/groupconfigs', (ctx) => json(groupConfigV4(t, usersGroup(ctx), APPLICABLE_CONFIGS), 1)),
    route('/users/{userID}/policies', (ctx) => {
      const policies = policiesV4(t, usersGroup(ctx));
      return json(policies, policies.length);
    }),
    route('/users/{userID}/policies/{policyId}/expensetypes', (ctx) => {
      const g = usersGroup(ctx);
      const types = expenseTypesV4(t, g, ctx.params['policyId'] ?? '');
      if (types === undefined) throw new V4Refusal(404, `Policy ${(ctx.params['policyId'] ?? '').slice(0, 64)} does not apply to this user.`);
      return json(types, types.length);
    }),
    route('/users/{userID}/paymenttypes', (ctx) => {
      const types = paymentTypesV4(t, usersGroup(ctx));
      return json(types, types.length);
    }),
    route('/users/{userID}/attendeetypes', (ctx) => {
      const types = attendeeTypesV4Of(t, usersGroup(ctx));
      return json(types, types.length);
    }),
  ];
}
