import type { RequestContext, Route } from '../../route.js';
import {
  ATTENDEE_TYPE_CONFIG,
  LISTS,
  LIST_ITEMS,
  attendeeTypeRecord,
  attendeeTypeRecordId,
  groupConfigId,
  groupConfigRecord,
  groupCount,
  listIndex,
  listItemIndex,
  listItemRecord,
  listRecord,
  userGroup,
} from '../../tenant/company-config.js';
import { pageIndexes } from '../../tenant/listing.js';
import { locationCity, locationCount, locationIndex, locationNameId, locationRecord } from '../../tenant/locations.js';
import {
  ALL_OWNERS,
  NO_OWNER,
  V3,
  detailOwnerScope,
  hasAdminRole,
  itemResult,
  listOwnerScope,
  listResult,
  notFound,
  pageLimit,
  startPosition,
  type V3Deps,
} from './common.js';

/**
 * Company configuration on v3 (all deprecated, docs/concur-api.md#status-of-each-api-the-streams-read): attendee types, expense group configurations,
 * lists and list items, locations. Lists page like every v3 list (Items/NextPage, opaque offset).
 */
export function configurationRoutes(deps: V3Deps): Route[] {
  return [...attendeeTypeRoutes(deps), ...groupConfigurationRoutes(deps), ...listRoutes(deps), ...locationRoutes(deps)];
}

function attendeeTypeRoutes(deps: V3Deps): Route[] {
  const t = deps.tenant;
  const index = (): Map<string, number> => t.memo('attendeeTypeIndex', () => new Map(ATTENDEE_TYPE_CONFIG.map((_, i) => [attendeeTypeRecordId(t, i), i])));
  return [
    {
      method: 'GET',
      pattern: `${V3}/expense/attendeetypes`,
      kind: 'data',
      format: 'json',
      api: 'attendee-types',
      handle: (ctx) => {
        const limit = pageLimit(ctx, deps);
        const start = startPosition(ctx, deps, 'attendee_types', 1);
        const page = pageIndexes(ATTENDEE_TYPE_CONFIG.length, start, limit, () => true, (i) => attendeeTypeRecord(t, i, ctx.requestBase));
        return listResult(ctx, deps, 'attendee_types', page);
      },
    },
    {
      method: 'GET',
      pattern: `${V3}/expense/attendeetypes/{id}`,
      kind: 'data',
      format: 'json',
      api: 'attendee-types',
      handle: (ctx) => {
        const id = ctx.params['id'] ?? '';
        const i = index().get(id);
        if (i === undefined) throw notFound('attendee type', id);
        return itemResult('attendee_types', attendeeTypeRecord(t, i, ctx.requestBase));
      },
    },
  ];
}

/**
 * Expense groups: without `user` the token user's group; `user=<login>` that user's group, `user=ALL` every
 * group (both need the admin role). Default limit 10 (docs/concur-api.md#v3-page-size).
 */
function groupConfigurationRoutes(deps: V3Deps): Route[] {
  const t = deps.tenant;
  const groupOf = (owner: number): number => (owner === ALL_OWNERS || owner === NO_OWNER ? -1 : userGroup(t, owner));
  const index = (): Map<string, number> => t.memo('groupIndex', () => new Map(Array.from({ length: groupCount() }, (_, g) => [groupConfigId(t, g), g])));
  return [
    {
      method: 'GET',
      pattern: `${V3}/expense/expensegroupconfigurations`,
      kind: 'data',
      format: 'json',
      api: 'group-configurations',
      handle: (ctx) => {
        const limit = pageLimit(ctx, deps, 10);
        const start = startPosition(ctx, deps, 'group_configurations', 1);
        const owner = listOwnerScope(ctx, deps);
        const own = groupOf(owner);
        const accept = (g: number): boolean => owner === ALL_OWNERS || g === own;
        const page = pageIndexes(groupCount(), start, limit, accept, (g) => groupConfigRecord(t, g, ctx.requestBase));
        return listResult(ctx, deps, 'group_configurations', page);
      },
    },
    {
      method: 'GET',
      pattern: `${V3}/expense/expensegroupconfigurations/{id}`,
      kind: 'data',
      format: 'json',
      api: 'group-configurations',
      handle: (ctx) => {
        const id = ctx.params['id'] ?? '';
        const g = index().get(id);
        const owner = detailOwnerScope(ctx, deps);
        const explicitUser = ctx.query.get('user') !== undefined;
        // Without user=, an administrator may read any group; others only their own.
        const visible = g !== undefined && ((!explicitUser && hasAdminRole(ctx, deps)) || groupOf(owner) === g);
        if (g === undefined || !visible) throw notFound('expense group configuration', id);
        return itemResult('group_configurations', groupConfigRecord(t, g, ctx.requestBase));
      },
    },
  ];
}

/** Lists v3 and List Items v3 (listId, parentId, name and levelNCode filters). */
function listRoutes(deps: V3Deps): Route[] {
  const t = deps.tenant;
  return [
    {
      method: 'GET',
      pattern: `${V3}/common/lists`,
      kind: 'data',
      format: 'json',
      api: 'list-items',
      handle: (ctx) => {
        const limit = pageLimit(ctx, deps);
        const start = startPosition(ctx, deps, 'lists', 1);
        const page = pageIndexes(LISTS.length, start, limit, () => true, (i) => listRecord(t, i, ctx.requestBase));
        return listResult(ctx, deps, 'lists', page);
      },
    },
    {
      method: 'GET',
      pattern: `${V3}/common/lists/{id}`,
      kind: 'data',
      format: 'json',
      api: 'list-items',
      handle: (ctx) => {
        const id = ctx.params['id'] ?? '';
        const i = listIndex(t, id);
        if (i === undefined) throw notFound('list', id);
        return itemResult('lists', listRecord(t, i, ctx.requestBase));
      },
    },
    {
      method: 'GET',
      pattern: `${V3}/common/listitems`,
      kind: 'data',
      format: 'json',
      api: 'list-items',
      handle: (ctx) => {
        const limit = pageLimit(ctx, deps);
        const start = startPosition(ctx, deps, 'list_items', 1);
        const tests = listItemTests(ctx);
        const accept = (i: number): boolean => {
          if (tests.length === 0) return true;
          const item = listItemRecord(t, i, '');
          return tests.every((test) => test(item as unknown as Record<string, unknown>));
        };
        const page = pageIndexes(LIST_ITEMS.length, start, limit, accept, (i) => listItemRecord(t, i, ctx.requestBase));
        return listResult(ctx, deps, 'list_items', page);
      },
    },
    {
      method: 'GET',
      pattern: `${V3}/common/listitems/{id}`,
      kind: 'data',
      format: 'json',
      api: 'list-items',
      handle: (ctx) => {
        const id = ctx.params['id'] ?? '';
        const i = listItemIndex(t, id);
        if (i === undefined) throw notFound('list item', id);
        const item = listItemRecord(t, i, ctx.requestBase);
        const listId = ctx.query.get('listId');
        if (listId !== undefined && listId !== '' && listId !== item.ListID) throw notFound('list item', id);
        return itemResult('list_items', item);
      },
    },
  ];
}

type RecordTest = (record: Record<string, unknown>) => boolean;

function equalsIgnoreCase(a: unknown, b: string): boolean {
  return typeof a === 'string' && a.toLowerCase() === b.toLowerCase();
}

function listItemTests(ctx: RequestContext): RecordTest[] {
  const tests: RecordTest[] = [];
  const exact = (param: string, field: string): void => {
    const value = ctx.query.get(param);
    if (value !== undefined && value !== '') tests.push((r) => r[field] === value);
  };
  exact('listId', 'ListID');
  exact('parentId', 'ParentID');
  const name = ctx.query.get('name');
  if (name !== undefined && name !== '') tests.push((r) => equalsIgnoreCase(r['Name'], name));
  for (let level = 1; level <= 10; level++) {
    const code = ctx.query.get(`level${level}Code`);
    if (code !== undefined && code !== '') tests.push((r) => equalsIgnoreCase(r[`Level${level}Code`], code));
  }
  return tests;
}

/** Locations v3: `--locations N` places; filters match case-insensitively on whole values. */
function locationRoutes(deps: V3Deps): Route[] {
  const t = deps.tenant;
  return [
    {
      method: 'GET',
      pattern: `${V3}/common/locations`,
      kind: 'data',
      format: 'json',
      api: 'locations',
      handle: (ctx) => {
        const limit = pageLimit(ctx, deps);
        const start = startPosition(ctx, deps, 'locations', 1);
        const tests: RecordTest[] = [];
        const filter = (param: string, field: string): void => {
          const value = ctx.query.get(param);
          if (value !== undefined && value !== '') tests.push((r) => equalsIgnoreCase(r[field], value));
        };
        filter('country', 'Country');
        filter('countrySubdivision', 'CountrySubdivision');
        filter('name', 'Name');
        filter('administrativeRegion', 'AdministrativeRegion');
        const city = ctx.query.get('city');
        const accept = (i: number): boolean => {
          if (city !== undefined && city !== '' && locationCity(i).toLowerCase() !== city.toLowerCase()) return false;
          if (tests.length === 0) return true;
          const record = locationRecord(t, i, '') as unknown as Record<string, unknown>;
          return tests.every((test) => test(record));
        };
        const page = pageIndexes(locationCount(t), start, limit, accept, (i) => locationRecord(t, i, ctx.requestBase));
        return listResult(ctx, deps, 'locations', page);
      },
    },
    {
      method: 'GET',
      pattern: `${V3}/common/locations/{id}`,
      kind: 'data',
      format: 'json',
      api: 'locations',
      handle: (ctx) => {
        const id = ctx.params['id'] ?? '';
        let i = locationIndex(t, id);
        // Newer docs accept the LocationNameId (UUID) too; that lookup scans the table.
        if (i === undefined && /^[0-9a-f-]{36}$/i.test(id)) {
          for (let n = 0; n < locationCount(t) && i === undefined; n++) if (locationNameId(t, n) === id.toLowerCase()) i = n;
        }
        if (i === undefined) throw notFound('location', id);
        return itemResult('locations', locationRecord(t, i, ctx.requestBase));
      },
    },
  ];
}
