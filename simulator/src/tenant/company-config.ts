import { paymentTypeId } from './entries.js';
import {
  CITIES,
  CLIENT_COMPANIES,
  COST_CENTERS,
  COUNTRIES,
  DEPARTMENTS,
  EXPENSE_TYPES,
  LODGING_TAX,
  PAYMENT_TYPES,
  PROJECTS,
} from './reference-data.js';
import { TAG } from './tags.js';
import type { Tenant } from './tenant.js';

/**
 * Company configuration: attendee types, expense groups, lists and list items. Small fixed tables; their
 * ids are the same ids the expense records point at (PaymentTypeID, PolicyID, AttendeeTypeID,
 * ListItemID of custom fields, FormID), so the configuration and the data relate.
 */

// ---------------------------------------------------------------------------------------------- attendee types

export interface AttendeeTypeConfig {
  readonly code: string;
  readonly name: string;
  readonly duplicateSearchFields: readonly string[];
  /** Supplied by an application connector (ConnectorID set); otherwise Concur is the source (""). */
  readonly connector: boolean;
  readonly allowManual: boolean;
  readonly allowCountEditing: boolean;
}

/** Index 0 and 1 are the types of the attendee pool (attendees.ts). NOSHOWS, UNDEF and SYSEMP never appear. */
export const ATTENDEE_TYPE_CONFIG: readonly AttendeeTypeConfig[] = [
  { code: 'EMPLOYEE', name: 'Employee', duplicateSearchFields: ['FirstName', 'LastName', 'ExternalId'], connector: false, allowManual: false, allowCountEditing: false },
  { code: 'BUSGUEST', name: 'Business Guest', duplicateSearchFields: ['Title', 'Company', 'OwnerEmpName', 'FirstName', 'LastName'], connector: false, allowManual: true, allowCountEditing: true },
  { code: 'SPOUSE', name: 'Spouse', duplicateSearchFields: ['FirstName', 'LastName'], connector: false, allowManual: true, allowCountEditing: false },
  { code: 'HCP', name: 'Healthcare Professional', duplicateSearchFields: ['Title', 'Custom18', 'ExternalId', 'FirstName', 'LastName', 'Custom7'], connector: true, allowManual: true, allowCountEditing: false },
  { code: 'GOVTOFF', name: 'Government Official', duplicateSearchFields: ['Title', 'Company', 'FirstName', 'LastName'], connector: false, allowManual: true, allowCountEditing: false },
  { code: 'BUSGRP', name: 'Business Guest Group', duplicateSearchFields: [], connector: false, allowManual: true, allowCountEditing: true },
];

export interface AttendeeTypeRecord {
  readonly Name: string | null;
  readonly Code: string | null;
  readonly AttendeeFormID: string | null;
  readonly DuplicateSearchFields: readonly string[] | null;
  readonly ConnectorID: string | null;
  readonly AllowManuallyEnteredAttendees: boolean | null;
  readonly AllowAttendeeCountEditing: boolean | null;
  readonly ID: string;
  readonly URI: string;
}

export function attendeeTypeRecordId(t: Tenant, i: number): string {
  return t.referenceId(TAG.attendeeType, i, 30);
}

export function attendeeTypeRecord(t: Tenant, i: number, base: string): AttendeeTypeRecord {
  const type = ATTENDEE_TYPE_CONFIG[i];
  if (type === undefined) throw new RangeError(`no attendee type ${i}`);
  const id = attendeeTypeRecordId(t, i);
  return {
    Name: type.name,
    Code: type.code,
    AttendeeFormID: formId(t, FORM_ATTENDEE_BASE + i),
    DuplicateSearchFields: [...type.duplicateSearchFields],
    // docs/concur-api.md#v3-field-quirks: an empty string (not null) when Concur itself is the source.
    ConnectorID: type.connector ? t.referenceId(TAG.connector, i, 28) : '',
    AllowManuallyEnteredAttendees: type.allowManual,
    AllowAttendeeCountEditing: type.allowCountEditing,
    ID: id,
    URI: `${base}/api/v3.0/expense/attendeetypes/${id}`,
  };
}

// --------------------------------------------------------------------------------- expense group configurations

/** One expense group per home-country entry of COUNTRIES (users belong to the group of their country entry). */
export const GROUP_NAMES: readonly string[] = ['US Pacific Northwest', 'US Northeast', 'US California', 'Canada', 'United Kingdom', 'Germany'];
const GLOBAL_POLICY = 100;

export interface GroupConfigRecord {
  readonly Name: string | null;
  readonly AttendeeListFormID: string | null;
  readonly AttendeeListFormName: string | null;
  readonly AllowUserRegisterYodlee: boolean | null;
  readonly AllowUserDigitalTaxInvoice: boolean | null;
  readonly CashAdvance: {
    readonly AllowUserCarryBalance: boolean | null;
    readonly AllowUserLinkMultiple: boolean | null;
    readonly AllowUserUpdateExchangeRate: boolean | null;
    readonly Name: string | null;
    readonly WorkflowID: string | null;
  } | null;
  readonly PaymentTypes: readonly { readonly ID: string; readonly Name: string | null; readonly IsDefault: boolean | null }[] | null;
  readonly Policies:
    | readonly {
        readonly ID: string;
        readonly Name: string | null;
        readonly IsDefault: boolean | null;
        readonly IsInheritable: boolean | null;
        readonly ExpenseTypes: readonly { readonly Code: string | null; readonly Name: string | null; readonly ExpenseCode: string | null }[] | null;
      }[]
    | null;
  readonly AttendeeTypes: readonly { readonly Code: string | null; readonly Name: string | null }[] | null;
  readonly ID: string;
  readonly URI: string;
}

export function groupCount(): number {
  return COUNTRIES.length;
}

/** The expense group of user u (its country entry). */
export function userGroup(t: Tenant, u: number): number {
  return Math.max(0, COUNTRIES.indexOf(t.user(u).country));
}

export function groupConfigId(t: Tenant, g: number): string {
  return t.referenceId(TAG.groupConfig, g, 34);
}

function expenseCategory(code: string): string {
  if (code === 'LODNG' || code === 'LODTX') return 'LODGING';
  if (code === 'MILEG') return 'PCARMILE';
  if (code === 'BRKFT' || code === 'LUNCH' || code === 'DINNR') return 'MEALS';
  if (code === 'TRAIN') return 'OTHERNP';
  return 'OTHER';
}

const POLICY_EXPENSE_TYPES = [...EXPENSE_TYPES.map((e) => ({ code: e.code, name: e.name })), { code: LODGING_TAX.code, name: LODGING_TAX.name }];

export function groupConfigRecord(t: Tenant, g: number, base: string): GroupConfigRecord {
  const name = GROUP_NAMES[g] ?? `Group ${g}`;
  const country = COUNTRIES[g];
  const id = groupConfigId(t, g);
  const countryTypes = POLICY_EXPENSE_TYPES.filter((e) => !(country?.code === 'DE' && e.code === 'MILEG'));
  const cashAdvance =
    g % 3 === 0
      ? { AllowUserCarryBalance: true, AllowUserLinkMultiple: g === 0, AllowUserUpdateExchangeRate: true, Name: 'Cash Advance Approval', WorkflowID: t.referenceId(TAG.workflow, g, 30) }
      : g === 4
        ? { AllowUserCarryBalance: false, AllowUserLinkMultiple: false, AllowUserUpdateExchangeRate: false, Name: 'No Cash Advance Workflow', WorkflowID: null }
        : null;
  return {
    Name: name,
    AttendeeListFormID: formId(t, FORM_ATTENDEE_LIST),
    AttendeeListFormName: 'Default Attendee Detail View',
    AllowUserRegisterYodlee: country?.code === 'US',
    AllowUserDigitalTaxInvoice: country?.code === 'DE',
    CashAdvance: cashAdvance,
    PaymentTypes: PAYMENT_TYPES.map((p, i) => ({ ID: paymentTypeId(t, i), Name: p.name, IsDefault: i === 0 })),
    Policies: [
      {
        ID: t.referenceId(TAG.policy, GLOBAL_POLICY, 35),
        Name: '*Global Expense Policy',
        IsDefault: false,
        IsInheritable: true,
        ExpenseTypes: POLICY_EXPENSE_TYPES.map((e) => ({ Code: e.code, Name: e.name, ExpenseCode: expenseCategory(e.code) })),
      },
      {
        // The PolicyID of this group's reports (reports.ts: referenceId(policy, country index)).
        ID: t.referenceId(TAG.policy, g, 35),
        Name: `${name} Expense Policy`,
        // docs/concur-api.md#v3-field-quirks: IsDefault / IsInheritable observed null in the doc sample.
        IsDefault: g % 2 === 0 ? null : true,
        IsInheritable: g % 2 === 0 ? null : false,
        ExpenseTypes: countryTypes.map((e) => ({ Code: e.code, Name: e.name, ExpenseCode: expenseCategory(e.code) })),
      },
    ],
    AttendeeTypes: ATTENDEE_TYPE_CONFIG.slice(0, g === 5 ? 6 : 4).map((a) => ({ Code: a.code, Name: a.name })),
    ID: id,
    URI: `${base}/api/v3.0/expense/expensegroupconfigurations/${id}`,
  };
}

// ------------------------------------------------------------------------------------------- lists, list items

export interface ListDef {
  readonly no: number;
  readonly name: string;
  readonly vendor: boolean;
  readonly connector: boolean;
  readonly displayCodeFirst: boolean;
}

export const LISTS: readonly ListDef[] = [
  { no: 1, name: 'Departments', vendor: false, connector: false, displayCodeFirst: false },
  { no: 2, name: 'Cost Centers', vendor: false, connector: false, displayCodeFirst: true },
  { no: 3, name: 'Projects', vendor: false, connector: false, displayCodeFirst: true },
  { no: 4, name: 'Clients', vendor: false, connector: true, displayCodeFirst: false },
  { no: 5, name: 'Vendors', vendor: true, connector: false, displayCodeFirst: false },
  { no: 6, name: 'Geography', vendor: false, connector: false, displayCodeFirst: false },
];

interface ListItemDef {
  readonly list: number;
  readonly name: string;
  /** Codes from level 1 down to this item's level. */
  readonly codes: readonly string[];
  /** Index of the parent item in LIST_ITEMS, or -1. */
  readonly parent: number;
  /** referenceId arguments of the item id (custom-fields.ts uses the same ones). */
  readonly idIndex: number;
  readonly idLength: number;
}

const COUNTRY_NAMES: Readonly<Record<string, string>> = {
  US: 'United States',
  CA: 'Canada',
  GB: 'United Kingdom',
  DE: 'Germany',
  FR: 'France',
  JP: 'Japan',
};
const SUBDIVISION_NAMES: Readonly<Record<string, string>> = {
  'US-WA': 'Washington',
  'US-NY': 'New York',
  'US-CA': 'California',
  'US-IL': 'Illinois',
  'US-TX': 'Texas',
  'US-MA': 'Massachusetts',
  'CA-BC': 'British Columbia',
  'CA-QC': 'Quebec',
  'CA-ON': 'Ontario',
  'GB-ENG': 'England',
  'GB-SCT': 'Scotland',
  'DE-BE': 'Berlin',
  'DE-BY': 'Bavaria',
  'FR-IDF': 'Ile-de-France',
  'JP-13': 'Tokyo',
};
export const CITY_CODES: readonly string[] = ['SEA', 'NYC', 'SFO', 'CHI', 'AUS', 'BOS', 'YVR', 'YMQ', 'YTO', 'LON', 'EDI', 'BER', 'MUC', 'PAR', 'TYO'];

function buildListItems(): ListItemDef[] {
  const items: ListItemDef[] = [];
  DEPARTMENTS.forEach((d, k) => items.push({ list: 1, name: d.name, codes: [d.code], parent: -1, idIndex: 1000 + k, idLength: 30 }));
  COST_CENTERS.forEach((c, k) => items.push({ list: 2, name: c.name, codes: [c.code], parent: -1, idIndex: 2000 + k, idLength: 30 }));
  PROJECTS.forEach((p, k) => items.push({ list: 3, name: p.name, codes: [p.code], parent: -1, idIndex: 3000 + k, idLength: 30 }));
  CLIENT_COMPANIES.forEach((c, k) => items.push({ list: 4, name: c, codes: [`CL-${100 + k}`], parent: -1, idIndex: 4000 + k, idLength: 30 }));
  // Vendors: the VendorListItemID of entries (entries.ts: 5000 + vendor + 10 * expense type, length 35).
  EXPENSE_TYPES.forEach((type, ti) =>
    type.vendors.forEach((vendor, v) =>
      items.push({ list: 5, name: vendor, codes: [`V${String(ti * 10 + v).padStart(3, '0')}`], parent: -1, idIndex: 5000 + v + 10 * ti, idLength: 35 }),
    ),
  );
  // Geography: a three-level connected list, country → subdivision → city.
  let geo = 0;
  const countryItem = new Map<string, number>();
  const subdivisionItem = new Map<string, number>();
  CITIES.forEach((city, ci) => {
    let c = countryItem.get(city.country);
    if (c === undefined) {
      c = items.length;
      countryItem.set(city.country, c);
      items.push({ list: 6, name: COUNTRY_NAMES[city.country] ?? city.country, codes: [city.country], parent: -1, idIndex: 6000 + geo++, idLength: 30 });
    }
    let s = subdivisionItem.get(city.subdivision);
    if (s === undefined) {
      s = items.length;
      subdivisionItem.set(city.subdivision, s);
      items.push({ list: 6, name: SUBDIVISION_NAMES[city.subdivision] ?? city.subdivision, codes: [city.country, city.subdivision], parent: c, idIndex: 6000 + geo++, idLength: 30 });
    }
    items.push({
      list: 6,
      name: city.name.split(',')[0] ?? city.name,
      codes: [city.country, city.subdivision, CITY_CODES[ci] ?? `C${ci}`],
      parent: s,
      idIndex: 6000 + geo++,
      idLength: 30,
    });
  });
  return items;
}

/** Every list item of every list, list by list, parents before children. */
export const LIST_ITEMS: readonly ListItemDef[] = buildListItems();

export interface ListRecord {
  readonly ConnectorID: string | null;
  readonly DisplayCodeFirst: boolean | null;
  readonly ExternalThreshold: number | null;
  readonly ID: string;
  readonly IsVendorList: boolean | null;
  readonly Name: string | null;
  readonly SearchCriteriaCode: string | null;
  readonly URI: string;
}

export function listId(t: Tenant, no: number): string {
  return t.referenceId(TAG.list, no, 34);
}

export function listRecord(t: Tenant, i: number, base: string): ListRecord {
  const list = LISTS[i];
  if (list === undefined) throw new RangeError(`no list ${i}`);
  const id = listId(t, list.no);
  return {
    ConnectorID: list.connector ? t.referenceId(TAG.connector, 100 + list.no, 28) : null,
    DisplayCodeFirst: list.displayCodeFirst,
    ExternalThreshold: list.connector ? 1 : null,
    ID: id,
    IsVendorList: list.vendor,
    Name: list.name,
    SearchCriteriaCode: list.displayCodeFirst ? 'CODE' : 'TEXT',
    URI: `${base}/api/v3.0/common/lists/${id}`,
  };
}

export interface ListItemRecord {
  readonly ListID: string | null;
  readonly Name: string | null;
  readonly ParentID: string | null;
  readonly Level1Code: string | null;
  readonly Level2Code: string | null;
  readonly Level3Code: string | null;
  readonly Level4Code: string | null;
  readonly Level5Code: string | null;
  readonly Level6Code: string | null;
  readonly Level7Code: string | null;
  readonly Level8Code: string | null;
  readonly Level9Code: string | null;
  readonly Level10Code: string | null;
  readonly ID: string;
  readonly URI: string;
}

export function listItemId(t: Tenant, i: number): string {
  const item = LIST_ITEMS[i];
  if (item === undefined) throw new RangeError(`no list item ${i}`);
  return t.referenceId(TAG.listItem, item.idIndex, item.idLength);
}

export function listItemRecord(t: Tenant, i: number, base: string): ListItemRecord {
  const item = LIST_ITEMS[i];
  if (item === undefined) throw new RangeError(`no list item ${i}`);
  const id = listItemId(t, i);
  const code = (level: number): string | null => item.codes[level] ?? null;
  return {
    ListID: listId(t, item.list),
    Name: item.name,
    ParentID: item.parent < 0 ? null : listItemId(t, item.parent),
    Level1Code: code(0),
    Level2Code: code(1),
    Level3Code: code(2),
    Level4Code: code(3),
    Level5Code: code(4),
    Level6Code: code(5),
    Level7Code: code(6),
    Level8Code: code(7),
    Level9Code: code(8),
    Level10Code: code(9),
    ID: id,
    URI: `${base}/api/v3.0/common/listitems/${id}`,
  };
}

/** List item index by id (a small table, indexed once per tenant). */
export function listItemIndex(t: Tenant, id: string): number | undefined {
  return t.memo('listItemIndex', () => new Map(LIST_ITEMS.map((_, i) => [listItemId(t, i), i]))).get(id);
}

export function listIndex(t: Tenant, id: string): number | undefined {
  return t.memo('listIndex', () => new Map(LISTS.map((l, i) => [listId(t, l.no), i]))).get(id);
}

// -------------------------------------------------------------------------------------------------- forms

/** Form ids: entry forms use the FormID of the entries (entries.ts: referenceId(form, country index, 35)). */
export const FORM_REPORT_BASE = 100;
export const FORM_ATTENDEE_BASE = 200;
export const FORM_ATTENDEE_LIST = 300;

export function formId(t: Tenant, index: number): string {
  return t.referenceId(TAG.form, index, 35);
}
