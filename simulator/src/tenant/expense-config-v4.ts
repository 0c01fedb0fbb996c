import { hash, uuidFrom } from '../random.js';
import { GROUP_NAMES, groupConfigRecord, groupCount, type GroupConfigRecord } from './company-config.js';
import { ATTENDEE_TYPES_V4 } from './v4-config.js';
import type { Tenant } from './tenant.js';

/**
 * Company configuration as Expense Configuration v4 serves it: the v3 expense groups (same names, policies,
 * payment types, attendee types and expense types) under v4's own identifiers and field names. v4 ids are 32
 * upper-case hex digits, as in SAP's samples; payment types are keyed by code.
 */

/** Hash domains of the Expense Configuration v4 ids, apart from the other v4 ones (v4-config.ts uses 901…907). */
const TAG = { group: 911, policy: 912, workflow: 913, form: 914 } as const;

function hexId(t: Tenant, tag: number, index: number): string {
  return uuidFrom(hash(t.seed, tag, index, 1), hash(t.seed, tag, index, 2), hash(t.seed, tag, index, 3), hash(t.seed, tag, index, 4))
    .replace(/-/g, '')
    .toUpperCase();
}

/** Payment type codes, in the order of the v3 table (reference-data.ts PAYMENT_TYPES). */
const PAYMENT_CODES = ['CASH', 'IBCP', 'PERS', 'CBCP'] as const;
const SPEND_CATEGORIES: Readonly<Record<string, string>> = {
  LODGING: 'Lodging',
  PCARMILE: 'Personal Car Mileage',
  MEALS: 'Meals',
  OTHERNP: 'Other Non-Personal',
  OTHER: 'Other',
};

export type Json = Record<string, unknown>;

export function groupIdV4(t: Tenant, g: number): string {
  return hexId(t, TAG.group, g);
}

/** The index of the group with this hierarchyNodeId (case-insensitive), if any. */
export function groupByIdV4(t: Tenant, id: string): number | undefined {
  const wanted = id.toUpperCase();
  for (let g = 0; g < groupCount(); g++) if (groupIdV4(t, g) === wanted) return g;
  return undefined;
}

/** The v3 group the v4 one is built from (same configuration, v3 names). */
const v3Group = (t: Tenant, g: number): GroupConfigRecord => groupConfigRecord(t, g, '');

/** A group as the company list gives it: the Group schema, without what applicableConfigs adds. */
export function groupV4(t: Tenant, g: number, v3 = v3Group(t, g)): Json {
  const cash = v3.CashAdvance;
  return {
    hierarchyNodeId: groupIdV4(t, g),
    groupName: GROUP_NAMES[g] ?? v3.Name,
    allowUserDigitalTaxInvoice: v3.AllowUserDigitalTaxInvoice,
    allowUserRegisterYodlee: v3.AllowUserRegisterYodlee,
    attendeeListFormId: hexId(t, TAG.form, 0),
    attendeeListFormName: v3.AttendeeListFormName,
    // SAP: a null workflowId means the group has no cash advance workflow.
    cashAdvance: {
      allowUserCarryBalance: cash?.AllowUserCarryBalance ?? false,
      allowUserLinkMultiple: cash?.AllowUserLinkMultiple ?? false,
      allowUserUpdateExchangeRate: cash?.AllowUserUpdateExchangeRate ?? false,
      name: cash?.WorkflowID ? cash.Name : null,
      workflowId: cash?.WorkflowID ? hexId(t, TAG.workflow, g) : null,
    },
  };
}

/** The group's policies: the company-wide one (index 100 in v3), then the group's own, its default. */
export function policiesV4(t: Tenant, g: number, v3 = v3Group(t, g)): Json[] {
  return v3.Policies?.map((p, i) => ({
    policyId: hexId(t, TAG.policy, i === 0 ? 100 : g),
    policyName: p.Name,
    isDefault: i === 1,
    isInheritable: i === 0,
  })) ?? [];
}

export function paymentTypesV4(t: Tenant, g: number, v3 = v3Group(t, g)): Json[] {
  return v3.PaymentTypes?.map((p, i) => ({ paymentTypeId: PAYMENT_CODES[i] ?? `PT${i}`, paymentTypeName: p.Name, isDefault: p.IsDefault === true })) ?? [];
}

/** The group's attendee types by their v4 codes (attendee_types_v4), the live ones only. */
export function attendeeTypesV4Of(t: Tenant, g: number, v3 = v3Group(t, g)): Json[] {
  const live = new Set(ATTENDEE_TYPES_V4.filter((a) => !a.deleted).map((a) => a.code));
  return (v3.AttendeeTypes ?? []).flatMap((a) => (a.Code !== null && live.has(a.Code) ? [{ attendeeTypeCode: a.Code, attendeeTypeName: a.Name }] : []));
}

export type ApplicableConfig = 'attendeeTypes' | 'paymentTypes' | 'policies';
export const APPLICABLE_CONFIGS: readonly ApplicableConfig[] = ['attendeeTypes', 'paymentTypes', 'policies'];

/** The Group Config schema: the group and the configurations asked for. */
export function groupConfigV4(t: Tenant, g: number, configs: readonly ApplicableConfig[]): Json {
  const v3 = v3Group(t, g);
  const record = groupV4(t, g, v3);
  if (configs.includes('policies')) record['policies'] = policiesV4(t, g, v3);
  if (configs.includes('paymentTypes')) record['paymentTypes'] = paymentTypesV4(t, g, v3);
  if (configs.includes('attendeeTypes')) record['attendeeTypes'] = attendeeTypesV4Of(t, g, v3);
  return record;
}

/** The expense types of one of the group's policies (Expense Type schema), or undefined for a policy not the group's. */
export function expenseTypesV4(t: Tenant, g: number, policyId: string): Json[] | undefined {
  const v3 = v3Group(t, g);
  const index = policiesV4(t, g, v3).findIndex((p) => p['policyId'] === policyId.toUpperCase());
  const policy = index < 0 ? undefined : v3.Policies?.[index];
  if (policy === undefined) return undefined;
  return (policy.ExpenseTypes ?? []).map((e) => ({
    expenseTypeId: e.Code,
    expenseTypeName: e.Name,
    spendCategoryCode: e.ExpenseCode,
    spendCategoryName: SPEND_CATEGORIES[e.ExpenseCode ?? ''] ?? e.ExpenseCode,
    isCategory: false,
  }));
}

/** Every group's whole record, as the connector reads it (ground truth). */
export function allGroupConfigsV4(t: Tenant): Json[] {
  return Array.from({ length: groupCount() }, (_, g) => groupConfigV4(t, g, APPLICABLE_CONFIGS));
}
