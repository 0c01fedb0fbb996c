import { hash, uuidFrom } from '../random.js';
import { ATTENDEE_TYPE_CONFIG, LISTS, LIST_ITEMS, type AttendeeTypeConfig } from './company-config.js';
import type { Tenant } from './tenant.js';

/**
 * Company configuration as the v4 APIs serve it (Attendee Types v4, List v4, List Item v4): the same types, lists
 * and items as the v3 tables, under UUIDs (v4 ids are not the v3 ones), plus what only v4 shows: a deleted
 * attendee type, a deleted list, deleted items, and a list large enough to need several pages.
 */

/** Hash domains of the v4 ids, apart from the tenant's TAG table so that no v3 value moves. */
const V4_TAG = { attendeeType: 901, form: 902, list: 903, category: 904, item: 905, app: 906, connector: 907 } as const;

function v4Id(t: Tenant, tag: number, index: number): string {
  return uuidFrom(hash(t.seed, tag, index, 1), hash(t.seed, tag, index, 2), hash(t.seed, tag, index, 3), hash(t.seed, tag, index, 4)).toLowerCase();
}

// ------------------------------------------------------------------------------------------- attendee types

/** A v3 attendee type as v4 lists it: v4 alone still shows retired types. */
interface AttendeeTypeV4Def extends AttendeeTypeConfig {
  readonly deleted: boolean;
}

const lowerFirst = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1);

/** The v3 types, then one retired type that only v4 still lists (isDeleted true). */
export const ATTENDEE_TYPES_V4: readonly AttendeeTypeV4Def[] = [
  ...ATTENDEE_TYPE_CONFIG.map((c) => ({ ...c, duplicateSearchFields: c.duplicateSearchFields.map(lowerFirst), deleted: false })),
  { code: 'VENDCON', name: 'Vendor Contact', duplicateSearchFields: ['company', 'lastName'], connector: false, allowManual: true, allowCountEditing: false, deleted: true },
];

const SEARCH_PREFERENCES = ['DS', 'DA', 'AO'] as const;

export function attendeeTypeV4Record(t: Tenant, i: number): Record<string, unknown> {
  const type = ATTENDEE_TYPES_V4[i];
  if (type === undefined) throw new RangeError(`no attendee type ${i}`);
  return {
    name: type.name,
    code: type.code,
    form: { name: `${type.name} Attendee Form`, id: v4Id(t, V4_TAG.form, i) },
    duplicateSearchFields: [...type.duplicateSearchFields],
    isPublic: type.code !== 'SPOUSE',
    // Absent, not null, when no connector is configured (as SAP documents it).
    ...(type.connector ? { externalConnectorId: v4Id(t, V4_TAG.connector, i) } : {}),
    isDeleted: type.deleted,
    allowManuallyEnteredAttendees: type.allowManual,
    allowAttendeeCountEditing: type.allowCountEditing,
    id: v4Id(t, V4_TAG.attendeeType, i),
    permitAdds: type.allowManual && !type.deleted,
    isActive: !type.deleted,
    searchPreference: SEARCH_PREFERENCES[i % SEARCH_PREFERENCES.length],
    systemRecord: type.code === 'EMPLOYEE',
  };
}

// ------------------------------------------------------------------------------------------- lists, list items

interface ListV4Def {
  readonly name: string;
  readonly levelCount: number;
  readonly category: 'Normal' | 'Vendor';
  readonly codeFirst: boolean;
  readonly managed: boolean;
  readonly external: boolean;
  readonly deleted: boolean;
}

/** Items of the one list whose first level spans several pages (List Item v4 pages hold 100). */
const COST_OBJECTS = 230;
const COST_OBJECTS_LIST = LISTS.length;

export const LISTS_V4: readonly ListV4Def[] = [
  ...LISTS.map((l) => ({
    name: l.name,
    levelCount: l.name === 'Geography' ? 3 : 1,
    category: l.vendor ? ('Vendor' as const) : ('Normal' as const),
    codeFirst: l.displayCodeFirst,
    managed: l.connector,
    external: l.connector,
    deleted: false,
  })),
  { name: 'Cost Objects', levelCount: 1, category: 'Normal', codeFirst: true, managed: false, external: false, deleted: false },
  // Shown only to ?isDeleted=true (List v4's isDeleted filter).
  { name: 'Regions (retired)', levelCount: 1, category: 'Normal', codeFirst: false, managed: false, external: false, deleted: true },
];

export function listV4Id(t: Tenant, l: number): string {
  return v4Id(t, V4_TAG.list, l);
}

export function listV4Record(t: Tenant, l: number): Record<string, unknown> {
  const list = LISTS_V4[l];
  if (list === undefined) throw new RangeError(`no list ${l}`);
  return {
    id: listV4Id(t, l),
    value: list.name,
    levelCount: list.levelCount,
    searchCriteria: list.codeFirst ? 'CODE' : 'TEXT',
    displayFormat: list.codeFirst ? '(CODE) TEXT' : 'TEXT (CODE)',
    category: { id: v4Id(t, V4_TAG.category, list.category === 'Vendor' ? 1 : 0), type: list.category },
    isReadOnly: false,
    isDeleted: list.deleted,
    managedBy: list.managed ? `appId:${v4Id(t, V4_TAG.app, l)}` : null,
    ...(list.external ? { externalThreshold: 1 } : {}),
  };
}

export interface ListItemV4Def {
  readonly list: number;
  readonly value: string;
  /** Short codes from level 1 down to this item. */
  readonly codes: readonly string[];
  /** Index of the parent in LIST_ITEMS_V4, or -1. */
  readonly parent: number;
  readonly deleted: boolean;
}

function buildItems(): ListItemV4Def[] {
  const items: ListItemV4Def[] = LIST_ITEMS.map((item) => ({ list: item.list - 1, value: item.name, codes: item.codes, parent: item.parent, deleted: false }));
  for (let k = 0; k < COST_OBJECTS; k++) {
    items.push({ list: COST_OBJECTS_LIST, value: `Cost Object ${String(k + 1).padStart(4, '0')}`, codes: [`CO${String(k + 1).padStart(4, '0')}`], parent: -1, deleted: false });
  }
  // Deleted leaves (a department, a vendor, a cost object): read only with ?isDeleted=true.
  for (const list of [0, 4, COST_OBJECTS_LIST]) {
    let last = -1;
    items.forEach((item, i) => {
      if (item.list === list && item.parent < 0) last = i;
    });
    const item = items[last];
    if (item !== undefined) items[last] = { ...item, deleted: true };
  }
  return items;
}

export const LIST_ITEMS_V4: readonly ListItemV4Def[] = buildItems();

export function listItemV4Id(t: Tenant, i: number): string {
  return v4Id(t, V4_TAG.item, i);
}

/** Child indexes of each item (and, under -1 - l, the first level of list l), in value order. */
function childIndex(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  LIST_ITEMS_V4.forEach((item, i) => {
    const key = item.parent >= 0 ? item.parent : -1 - item.list;
    const list = children.get(key) ?? [];
    list.push(i);
    children.set(key, list);
  });
  for (const list of children.values()) list.sort((a, b) => (LIST_ITEMS_V4[a]?.value ?? '').localeCompare(LIST_ITEMS_V4[b]?.value ?? '', 'en') || a - b);
  return children;
}
const CHILDREN = childIndex();

/** The items under an item, or (with `item` undefined) a list's first level, in value order. */
export function childrenOf(list: number, item: number | undefined): readonly number[] {
  return CHILDREN.get(item ?? -1 - list) ?? [];
}

export function listItemV4Record(t: Tenant, i: number): Record<string, unknown> {
  const item = LIST_ITEMS_V4[i];
  if (item === undefined) throw new RangeError(`no list item ${i}`);
  return {
    id: listItemV4Id(t, i),
    code: item.codes.join('-'),
    shortCode: item.codes[item.codes.length - 1] ?? null,
    value: item.value,
    // Absent at the first level, as in SAP's samples.
    ...(item.parent >= 0 ? { parentId: listItemV4Id(t, item.parent) } : {}),
    level: item.codes.length,
    isDeleted: item.deleted,
    lists: [{ id: listV4Id(t, item.list), hasChildren: childrenOf(item.list, i).length > 0 }],
  };
}

export function listV4Index(t: Tenant, id: string): number | undefined {
  return t.memo('listV4Index', () => new Map(LISTS_V4.map((_, l) => [listV4Id(t, l), l]))).get(id.toLowerCase());
}

export function listItemV4Index(t: Tenant, id: string): number | undefined {
  return t.memo('listItemV4Index', () => new Map(LIST_ITEMS_V4.map((_, i) => [listItemV4Id(t, i), i]))).get(id.toLowerCase());
}
