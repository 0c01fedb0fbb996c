import { hash } from '../random.js';
import { ATTENDEE_TYPE_CONFIG, FORM_ATTENDEE_BASE, FORM_ATTENDEE_LIST, FORM_REPORT_BASE, GROUP_NAMES, formId } from './company-config.js';
import { TAG } from './tags.js';
import type { Tenant } from './tenant.js';

/**
 * Expense Form v1.1: form types → forms per type → fields per form (docs/concur-api.md#expense-form-three-levels). Semantic values (what a
 * decoder makes of the XML): MaxLength/Cols/Width integers or null (empty element), Required/Custom booleans
 * (Y/N).
 */

export interface FormTypeRecord {
  readonly Name: string;
  readonly FormCode: string;
}

/** Doc sample order. CARINFO has no forms configured (an empty FormDataList). */
export const FORM_TYPES: readonly FormTypeRecord[] = [
  { Name: 'Expense Entry', FormCode: 'ENTRYINFO' },
  { Name: 'Expense Report Header', FormCode: 'RPTINFO' },
  { Name: 'Expense Allocation', FormCode: 'ALLOCINFO' },
  { Name: 'Expense Attendee', FormCode: 'ATTNINFO' },
  { Name: 'Authorization Request Expense Category', FormCode: 'TRAVELREQENTRYINFO' },
  { Name: 'Authorization Request Header', FormCode: 'TRAVELREQINFO' },
  { Name: 'Expense Detail View', FormCode: 'EXPLISTDTL' },
  { Name: 'Attendee Detail View', FormCode: 'ATNLISTDTL' },
  { Name: 'Expense Car', FormCode: 'CARINFO' },
];

export interface FormDef {
  readonly code: string;
  readonly name: string;
  /** formId() index. */
  readonly index: number;
  /** Position among the forms of its type. */
  readonly position: number;
}

function buildForms(): FormDef[] {
  const forms: FormDef[] = [];
  const add = (code: string, name: string, index: number): void => {
    forms.push({ code, name, index, position: forms.filter((f) => f.code === code).length });
  };
  GROUP_NAMES.forEach((group, ci) => add('ENTRYINFO', `${group} Expense Entry`, ci));
  add('RPTINFO', 'Central Reconciliation Columns', FORM_REPORT_BASE);
  add('RPTINFO', 'Central Reconciliation Report', FORM_REPORT_BASE + 1);
  add('RPTINFO', 'Default Report Information', FORM_REPORT_BASE + 2);
  add('ALLOCINFO', 'Default Allocation', FORM_REPORT_BASE + 10);
  add('ALLOCINFO', 'R&D Project Allocation', FORM_REPORT_BASE + 11);
  ATTENDEE_TYPE_CONFIG.forEach((type, i) => add('ATTNINFO', `${type.name} Attendee`, FORM_ATTENDEE_BASE + i));
  add('TRAVELREQENTRYINFO', 'Default Request Expense', FORM_REPORT_BASE + 20);
  add('TRAVELREQINFO', 'Default Request Header', FORM_REPORT_BASE + 21);
  add('EXPLISTDTL', 'Default Expense Detail View', FORM_REPORT_BASE + 30);
  add('ATNLISTDTL', 'Default Attendee Detail View', FORM_ATTENDEE_LIST);
  return forms;
}

export const FORMS: readonly FormDef[] = buildForms();

export interface FormDataRecord {
  readonly Name: string;
  readonly FormId: string;
}

export function formData(t: Tenant, form: FormDef): FormDataRecord {
  return { Name: form.name, FormId: formId(t, form.index) };
}

export function formsOfType(code: string): FormDef[] {
  return FORMS.filter((f) => f.code === code);
}

export function formTypeByCode(code: string): FormTypeRecord | undefined {
  return FORM_TYPES.find((f) => f.FormCode.toLowerCase() === code.toLowerCase());
}

export function formById(t: Tenant, id: string): FormDef | undefined {
  const index = t.memo('formIndex', () => new Map(FORMS.map((f, i) => [formId(t, f.index), i])));
  const i = index.get(id);
  return i === undefined ? undefined : FORMS[i];
}

export interface FormFieldRecord {
  readonly Id: string;
  readonly Label: string | null;
  readonly ControlType: string | null;
  readonly DataType: string | null;
  readonly MaxLength: number | null;
  readonly Required: boolean | null;
  readonly Cols: number | null;
  readonly Access: string | null;
  readonly Width: number | null;
  readonly Custom: boolean | null;
  readonly Sequence: number;
}

type FieldTemplate = readonly [id: string, label: string, control: string, data: string, max: number | null, required: boolean, cols: number | null, access: string, width: number | null, custom: boolean];

const REPORT_FIELDS: readonly FieldTemplate[] = [
  ['Name', 'ReportName', 'edit', 'VARCHAR', 32, true, 32, 'RW', 32, false],
  ['ReportId', 'ReportID', 'static', 'VARCHAR', 32, true, null, 'RO', null, false],
  ['PolKey', 'Policy', 'picklist', 'INTEGER', null, true, null, 'RW', null, false],
  ['EmpName', 'EmployeeName', 'static', 'VARCHAR', 32, true, null, 'HD', null, false],
  ['UserDefinedDate', 'ReportDate', 'edit', 'TIMESTAMP', null, false, null, 'RW', null, false],
  ['Purpose', 'BusinessPurpose', 'textarea', 'VARCHAR', 500, true, 32, 'RW', 32, false],
  ['OrgUnit1', 'Department', 'list_edit', 'LIST', null, true, null, 'RW', null, true],
  ['Custom1', 'Project', 'edit', 'VARCHAR', 48, false, 48, 'RW', 48, true],
  ['Custom2', 'Pre-approval (trips > 5 days)', 'picklist', 'BOOLEANCHAR', 1, false, null, 'RW', null, true],
];

const ENTRY_FIELDS: readonly FieldTemplate[] = [
  ['ExpKey', 'Expense Type', 'picklist', 'VARCHAR', 5, true, null, 'RW', null, false],
  ['TransactionDate', 'Transaction Date', 'edit', 'TIMESTAMP', null, true, null, 'RW', null, false],
  ['TransactionAmount', 'Amount', 'edit', 'MONEY', null, true, 16, 'RW', 16, false],
  ['TransactionCurrencyName', 'Currency', 'picklist', 'VARCHAR', 64, true, null, 'RW', null, false],
  ['VendorDescription', 'Vendor', 'edit', 'VARCHAR', 64, false, 32, 'RW', 32, false],
  ['LocName', 'City', 'list_edit', 'VARCHAR', 64, false, null, 'RW', null, false],
  ['Description', 'Business Purpose', 'textarea', 'VARCHAR', 64, false, 32, 'RW', 32, false],
  ['IsPersonal', 'Personal Expense', 'checkbox', 'BOOLEANCHAR', 1, false, null, 'RW', null, false],
  ['Custom1', 'Client', 'list_edit', 'LIST', null, false, null, 'RW', null, true],
  ['Custom2', 'Over-limit reason (amount > policy)', 'textarea', 'VARCHAR', 200, false, 32, 'RW', 32, true],
  ['Comment', 'Comment', 'textarea', 'VARCHAR', 2000, false, 32, 'RW', 32, false],
];

const ALLOCATION_FIELDS: readonly FieldTemplate[] = [
  ['Percentage', 'Percentage', 'edit', 'NUMERIC', null, true, 8, 'RW', 8, false],
  ['Custom1', 'Cost Center', 'list_edit', 'LIST', null, true, null, 'RW', null, true],
  ['Custom2', 'Project', 'list_edit', 'LIST', null, false, null, 'RW', null, true],
];

const ATTENDEE_FIELDS: readonly FieldTemplate[] = [
  ['FirstName', 'First Name', 'edit', 'VARCHAR', 50, true, 32, 'RW', 32, false],
  ['LastName', 'Last Name', 'edit', 'VARCHAR', 132, true, 32, 'RW', 32, false],
  ['Title', 'Title', 'edit', 'VARCHAR', 32, false, 32, 'RW', 32, false],
  ['Company', 'Company', 'edit', 'VARCHAR', 150, false, 32, 'RW', 32, false],
  ['ExternalId', 'External ID', 'edit', 'VARCHAR', 48, false, null, 'RO', null, false],
  ['Custom7', 'License Number', 'edit', 'VARCHAR', 48, false, null, 'RW', null, true],
];

const REQUEST_FIELDS: readonly FieldTemplate[] = [
  ['Name', 'Request Name', 'edit', 'VARCHAR', 40, true, 32, 'RW', 32, false],
  ['StartDate', 'Start Date', 'edit', 'TIMESTAMP', null, true, null, 'RW', null, false],
  ['EndDate', 'End Date', 'edit', 'TIMESTAMP', null, true, null, 'RW', null, false],
  ['Purpose', 'Business Purpose', 'textarea', 'VARCHAR', 500, false, 32, 'RW', 32, false],
  ['TotalAmount', 'Estimated Amount', 'static', 'MONEY', null, false, null, 'RO', null, false],
];

const LIST_VIEW_FIELDS: readonly FieldTemplate[] = [
  ['ExpName', 'Expense Type', 'static', 'VARCHAR', 64, false, null, 'RO', null, false],
  ['TransactionDate', 'Date', 'static', 'TIMESTAMP', null, false, null, 'RO', null, false],
  ['PostedAmount', 'Amount', 'static', 'MONEY', null, false, null, 'RO', null, false],
  ['ApprovedAmount', 'Approved', 'static', 'MONEY', null, false, null, 'HD', null, false],
];

function templatesFor(code: string): readonly FieldTemplate[] {
  switch (code) {
    case 'RPTINFO':
      return REPORT_FIELDS;
    case 'ENTRYINFO':
      return ENTRY_FIELDS;
    case 'ALLOCINFO':
      return ALLOCATION_FIELDS;
    case 'ATTNINFO':
    case 'ATNLISTDTL':
      return ATTENDEE_FIELDS;
    case 'TRAVELREQENTRYINFO':
    case 'TRAVELREQINFO':
      return REQUEST_FIELDS;
    default:
      return LIST_VIEW_FIELDS;
  }
}

/**
 * The fields of one form. Forms of one type share the standard fields; custom fields vary per form (some are
 * left out, some read-only), so two forms of a type differ.
 */
export function formFields(t: Tenant, form: FormDef): FormFieldRecord[] {
  const out: FormFieldRecord[] = [];
  for (const [i, [id, label, control, data, max, required, cols, access, width, custom]] of templatesFor(form.code).entries()) {
    const h = hash(t.seed, TAG.formField, form.index, i);
    if (custom && form.position % 2 === 1 && h % 3 === 0) continue;
    out.push({
      Id: id,
      Label: label,
      ControlType: control,
      DataType: data,
      MaxLength: max,
      Required: required,
      Cols: cols,
      Access: custom && form.position > 0 && h % 4 === 1 ? 'RO' : access,
      Width: width,
      Custom: custom,
      Sequence: out.length + 1,
    });
  }
  return out;
}
