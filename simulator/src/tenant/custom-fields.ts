import { TAG } from './tags.js';
import type { Tenant } from './tenant.js';

/** v3 CustomField object (reports, entries, itemizations, attendees). */
export interface CustomField {
  readonly Type: string | null;
  readonly Value: string | null;
  readonly Code: string | null;
  readonly ListItemID: string | null;
}

/** Allocations use the extended CustomField with Label and Sequence (docs/concur-api.md#v3-field-quirks). */
export interface AllocationCustomField extends CustomField {
  readonly Label: string | null;
  readonly Sequence: number | null;
}

/** A list-type field: Value is the list item name, Code its code (docs/concur-api.md#v3-field-quirks keeps both). */
export function listField(t: Tenant, listNo: number, itemNo: number, code: string, name: string): CustomField {
  return { Type: 'List', Value: name, Code: code, ListItemID: t.referenceId(TAG.listItem, listNo * 1000 + itemNo, 30) };
}

export function textField(value: string): CustomField {
  return { Type: 'Text', Value: value, Code: null, ListItemID: null };
}

export function allocationListField(
  t: Tenant,
  listNo: number,
  itemNo: number,
  code: string,
  name: string,
  label: string,
  sequence: number,
): AllocationCustomField {
  return {
    Type: 'List',
    Value: name,
    Code: code,
    ListItemID: t.referenceId(TAG.listItem, listNo * 1000 + itemNo, 30),
    Label: label,
    Sequence: sequence,
  };
}

/** List numbers (part of the ListItemID hash) for the configured lists. */
export const LIST = { department: 1, costCenter: 2, project: 3, client: 4, vendor: 5 } as const;
