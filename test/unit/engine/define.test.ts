import { describe, expect, it } from 'vitest';
import { cursorOf, defineStream, filterQuery, type DateFilter } from '../../../src/engine/define.js';

const iso = (ms: number) => new Date(ms).toISOString();
const T = Date.UTC(2026, 2, 1, 12, 0, 0, 500);

describe('filterQuery: a window [start, end) as the API asks it', () => {
  it('exclusive millisecond bounds go one millisecond outside the window', () => {
    const filter: DateFilter = { after: 'modifiedDateAfter', before: 'modifiedDateBefore', bounds: 'exclusive', stepMs: 1, format: iso };
    expect(filterQuery(filter, { start: T, end: T + 1000 })).toEqual({ modifiedDateAfter: iso(T - 1), modifiedDateBefore: iso(T + 1000) });
  });

  it('exclusive whole-second bounds are rounded outwards, then a second further out below', () => {
    const filter: DateFilter = { after: 'ModifiedAfterDate', before: 'ModifiedBeforeDate', bounds: 'exclusive', stepMs: 1000, format: iso };
    // start 12:00:00.500 → floor 12:00:00 → strictly after 11:59:59; end 12:00:01.500 → strictly before 12:00:02.
    expect(filterQuery(filter, { start: T, end: T + 1000 })).toEqual({
      ModifiedAfterDate: iso(Date.UTC(2026, 2, 1, 11, 59, 59)),
      ModifiedBeforeDate: iso(Date.UTC(2026, 2, 1, 12, 0, 2)),
    });
  });

  it('an inclusive lower bound is the step the window starts in; a one-way filter has no upper bound', () => {
    const filter: DateFilter = { after: 'lastModifiedDate', bounds: 'inclusive', stepMs: 1000, format: iso };
    expect(filterQuery(filter, { start: T, end: T + 5000 })).toEqual({ lastModifiedDate: iso(Date.UTC(2026, 2, 1, 12, 0, 0)) });
  });

  it('a range open on one side asks only the other bound', () => {
    const filter: DateFilter = { after: 'a', before: 'b', bounds: 'exclusive', stepMs: 1, format: iso };
    expect(filterQuery(filter, { start: undefined, end: T })).toEqual({ b: iso(T) });
    expect(filterQuery(filter, { start: T })).toEqual({ a: iso(T - 1) });
  });
});

describe('a child keeps its root cursor', () => {
  const filter: DateFilter = { after: 'a', before: 'b', bounds: 'exclusive', stepMs: 1, format: iso };
  const pages = async function* () {
    yield [];
  };
  const root = defineStream({ name: 'root', primaryKey: ['ID'], cursor: { kind: 'server', field: 'Modified', filter }, pages });

  it('on the field it names: what the catalog declares is what the engine runs', () => {
    const child = defineStream({ name: 'child', primaryKey: ['ID'], parent: { stream: root }, cursor: { field: 'RootModified' }, pages });
    expect(cursorOf(child)).toEqual({ kind: 'server', field: 'RootModified', filter });
  });

  it('must name that field under a windowed root, and may not name one under a root without a cursor', () => {
    expect(() => defineStream({ name: 'child', primaryKey: ['ID'], parent: { stream: root }, pages })).toThrow(/must name the field/);
    const flat = defineStream({ name: 'flat', primaryKey: ['ID'], pages });
    expect(() => defineStream({ name: 'child', primaryKey: ['ID'], parent: { stream: flat }, cursor: { field: 'X' }, pages })).toThrow(/keeps no cursor/);
    // Under a root without a cursor, a child may filter its own records.
    const client = defineStream({ name: 'jobs', primaryKey: ['ID'], parent: { stream: flat }, cursor: { kind: 'client', field: 'start' }, pages });
    expect(cursorOf(client)).toEqual({ kind: 'client', field: 'start' });
  });
});
