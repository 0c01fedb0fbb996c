import { describe, expect, it } from 'vitest';
import { attendeeTypesV4 } from '../../../src/streams/v4/attendee-types.js';
import { listItemsV4 } from '../../../src/streams/v4/list-items.js';
import { listsV4 } from '../../../src/streams/v4/lists.js';
import { runStream, type Reply, type Routes } from './harness.js';

type Json = Record<string, unknown>;
const LIST = 'a0000000-0000-4000-8000-000000000001';
const item = (id: string, level: number, opts: { parentId?: string; hasChildren?: boolean; isDeleted?: boolean } = {}): Json => ({
  id,
  code: id.toUpperCase(),
  shortCode: id.toUpperCase(),
  value: `Item ${id}`,
  ...(opts.parentId === undefined ? {} : { parentId: opts.parentId }),
  level,
  isDeleted: opts.isDeleted ?? false,
  lists: [{ id: LIST, hasChildren: opts.hasChildren ?? false }],
});
/** A page-numbered answer of `all`, `size` a page. */
const paged = (all: readonly Json[], size = 100) => (_req: unknown, url: URL): Reply => {
  const page = Number(url.searchParams.get('page') ?? '1');
  const content = all.slice((page - 1) * size, page * size);
  return JSON.stringify({ links: [], content, page: { size, totalElements: all.length, totalPages: Math.ceil(all.length / size), number: page } });
};
/** Items as Concur may serve them: deleted ones only with isDeleted=true, which either adds them or shows only them. */
const withDeleted = (all: readonly Json[], semantics: 'adds' | 'only', size = 100) => (req: unknown, url: URL): Reply => {
  const asked = url.searchParams.get('isDeleted') === 'true';
  const shown = all.filter((i) => (asked ? (semantics === 'adds' ? true : i['isDeleted'] === true) : i['isDeleted'] !== true));
  return paged(shown, size)(req, url);
};
const listsRoute = (): Routes => ({ '/list/v4/lists': paged([{ id: LIST, value: 'Geography', levelCount: 2, isDeleted: false }]) });
const key = (r: Json): string => `${String(r['listId'])}/${String(r['id'])}`;

describe('lists_v4', () => {
  it('follows page numbers until page.totalPages', async () => {
    const lists = Array.from({ length: 250 }, (_, i) => ({ id: `l${i}`, value: `List ${i}`, isDeleted: false }));
    const run = await runStream(listsV4, { '/list/v4/lists': paged(lists) });
    expect(run.records.map((r) => r['id'])).toEqual(lists.map((l) => l.id));
    expect(run.requests.map((r) => r.url)).toEqual(['/list/v4/lists?page=1', '/list/v4/lists?page=2', '/list/v4/lists?page=3']);
  });

  it('an empty page ends the list even if the metadata promises more', async () => {
    const run = await runStream(listsV4, { '/list/v4/lists': JSON.stringify({ content: [], page: { size: 100, totalElements: 500, totalPages: 5, number: 1 } }) });
    expect(run.records).toEqual([]);
    expect(run.requests).toHaveLength(1);
  });
});

describe('list_items_v4', () => {
  const tree = [
    item('c1', 1, { hasChildren: true }),
    item('c2', 1),
    item('gone', 1, { isDeleted: true }),
    ...Array.from({ length: 120 }, (_, i) => item(`s${i}`, 2, { parentId: 'c1', hasChildren: i === 0 })),
    item('s-deleted', 2, { parentId: 'c1', isDeleted: true }),
    item('t1', 3, { parentId: 's0' }),
  ];
  const routes = (semantics: 'adds' | 'only'): Routes => ({
    ...listsRoute(),
    [`/list/v4/lists/${LIST}/children`]: withDeleted(tree.filter((i) => i['level'] === 1), semantics),
    [`/list/v4/lists/${LIST}/items/c1/children`]: withDeleted(tree.filter((i) => i['parentId'] === 'c1'), semantics),
    [`/list/v4/lists/${LIST}/items/s0/children`]: withDeleted(tree.filter((i) => i['parentId'] === 's0'), semantics),
  });

  it.each(['adds', 'only'] as const)('every item of the list, live and deleted, once, level by level (isDeleted=true %s deleted items)', async (semantics) => {
    const run = await runStream(listItemsV4, routes(semantics));
    expect(run.records.map(key).sort()).toEqual(tree.map((i) => `${LIST}/${String(i['id'])}`).sort());
    expect(run.records.filter((r) => r['isDeleted'] === true).map((r) => r['id']).sort()).toEqual(['gone', 's-deleted']);
    // The list walked is every record's listId; the deeper levels are asked per list, never /items/{id}/children.
    expect(run.records.every((r) => r['listId'] === LIST)).toBe(true);
    const paths = run.requests.map((r) => r.url.split('?')[0]);
    expect(paths.filter((p) => p?.startsWith('/list/v4/items/'))).toEqual([]);
    expect(new Set(paths)).toEqual(new Set(['/list/v4/lists', `/list/v4/lists/${LIST}/children`, `/list/v4/lists/${LIST}/items/c1/children`, `/list/v4/lists/${LIST}/items/s0/children`]));
    // c1's 121 children span two pages, asked with and without isDeleted.
    expect(run.requests.filter((r) => r.url.startsWith(`/list/v4/lists/${LIST}/items/c1/children`)).map((r) => r.url.split('?')[1]).sort()).toEqual(
      semantics === 'adds' ? ['isDeleted=true&page=1', 'isDeleted=true&page=2', 'page=1', 'page=2'] : ['isDeleted=true&page=1', 'page=1', 'page=2'],
    );
  });

  it('an item deleted during the walk (404) costs only its children, with a warning', async () => {
    const run = await runStream(listItemsV4, {
      ...routes('adds'),
      [`/list/v4/lists/${LIST}/items/c1/children`]: { status: 404, body: JSON.stringify({ httpStatus: '404 - Not Found', error: { id: 'not.found', message: 'listItem not found' } }) },
    });
    expect(run.records.map((r) => r['id']).sort()).toEqual(['c1', 'c2', 'gone']);
    expect(run.warnings.join('\n')).toMatch(/Item c1 was deleted in Concur after it was listed; its children skipped/);
  });

  it('a list deleted before its items are read (404) is skipped with a warning', async () => {
    const run = await runStream(listItemsV4, { ...listsRoute(), [`/list/v4/lists/${LIST}/children`]: { status: 404, body: '{}' } });
    expect(run.records).toEqual([]);
    expect(run.warnings.join('\n')).toMatch(/list_items_v4: .*skipped/);
  });

  it('an item that is its own descendant ends the stream instead of looping', async () => {
    const loop = item('c1', 1, { hasChildren: true });
    await expect(
      runStream(listItemsV4, { ...listsRoute(), [`/list/v4/lists/${LIST}/children`]: paged([loop]), [`/list/v4/lists/${LIST}/items/c1/children`]: paged([{ ...loop, level: 2, parentId: 'c1' }]) }),
    ).rejects.toThrow(/listed item c1 twice/);
  });
});

describe('attendee_types_v4', () => {
  const types = [
    { id: 'ed24a533-76f0-b84c-882d-2482a9686f5c', code: 'BUSGUEST', name: 'Business Guest', form: { id: 'f1', name: 'Form' }, duplicateSearchFields: ['title'], isDeleted: false },
    { id: 'ed24a533-76f0-b84c-882d-2482a9686f5d', code: 'OLD', name: 'Old', form: { id: 'f2', name: 'Form' }, duplicateSearchFields: [], isDeleted: true, externalConnectorId: 'x' },
  ];

  it('reads the top-level array, deleted types included', async () => {
    const run = await runStream(attendeeTypesV4, { '/v4/attendeetypes': JSON.stringify(types) }, { env: { principal: 'company' } });
    expect(run.records.map((r) => r['id'])).toEqual(types.map((t) => t.id));
    expect(run.requests.map((r) => r.url)).toEqual(['/v4/attendeetypes']);
  });

  it('an answer that is not an array is a payload error', async () => {
    await expect(runStream(attendeeTypesV4, { '/v4/attendeetypes': JSON.stringify({ content: types }) })).rejects.toThrow(/not an array/);
  });

  it('is unreadable with a user-level token, saying what to use instead; a 403 names the scope', async () => {
    expect(attendeeTypesV4.unreadable?.({ principal: 'user' } as never)).toMatch(/company-level tokens only.*expense_attendee_types/);
    expect(attendeeTypesV4.unreadable?.({ principal: 'company' } as never)).toBeUndefined();
    expect(attendeeTypesV4.unreadable?.({ principal: undefined } as never)).toBeUndefined();
    await expect(runStream(attendeeTypesV4, { '/v4/attendeetypes': { status: 403, body: JSON.stringify({ httpStatus: '403 - Forbidden' }) } })).rejects.toThrow(/attendee\.admin\.read/);
  });
});
