import { ConcurError } from '../../concur/errors.js';
import type { RecordData } from '../../engine/define.js';
import { parentField, type StreamContext } from '../env.js';
import { concurStream } from '../stream.js';
import { listsV4 } from './lists.js';
import { listV4Pages } from './requests.js';

/** Whether the item has children in this list: an item shared by several lists has children per list. */
function hasChildrenIn(item: RecordData, listId: string): boolean {
  const lists = Array.isArray(item['lists']) ? (item['lists'] as unknown[]) : [];
  return lists.some((l) => typeof l === 'object' && l !== null && (l as RecordData)['id'] === listId && (l as RecordData)['hasChildren'] === true);
}

/**
 * The items one request names, live and deleted. SAP documents `isDeleted=true` as "displays deleted items"
 * without saying whether the live ones stay, and its `hasChildren=true`, worded alike, can only be a filter;
 * so the items are asked both without it and with it, and each id is passed on once: complete either way.
 */
async function* liveAndDeleted(ctx: StreamContext, path: string): AsyncGenerator<RecordData[]> {
  const ids = new Set<unknown>();
  for (const query of [{}, { isDeleted: true }]) {
    for await (const page of listV4Pages(ctx, path, query)) {
      const fresh = page.filter((item) => !ids.has(item['id']));
      for (const item of fresh) ids.add(item['id']);
      if (fresh.length > 0) yield fresh;
    }
  }
}

/**
 * One list's items, level by level: the first level from the list, then the children of each item that has
 * some in this list. By list rather than /items/{id}/children, which would mix in the item's children of its
 * other lists. An id met twice in one list means a cycle in Concur's answer, which would never end.
 */
async function* listItems(ctx: StreamContext): AsyncGenerator<RecordData[]> {
  const listId = parentField(ctx, 'id');
  const base = `/list/v4/lists/${encodeURIComponent(listId)}`;
  const seen = new Set<string>();
  let level: RecordData[] = [];
  for await (const page of liveAndDeleted(ctx, `${base}/children`)) {
    yield page;
    level.push(...page);
  }
  while (level.length > 0) {
    const next: RecordData[] = [];
    for (const item of level) {
      const id = item['id'];
      if (typeof id !== 'string' || id === '') throw new ConcurError('payload', `A list item of list ${listId} from Concur has no id, so its children cannot be requested.`);
      if (seen.has(id)) throw new ConcurError('payload', `Concur listed item ${id} twice in list ${listId}; stopping to avoid an endless loop.`);
      seen.add(id);
      if (!hasChildrenIn(item, listId)) continue;
      try {
        for await (const page of liveAndDeleted(ctx, `${base}/items/${encodeURIComponent(id)}/children`)) {
          yield page;
          next.push(...page);
        }
      } catch (error) {
        // Deleted after its parent's page named it: its siblings and the rest of the list are still there.
        if (!(error instanceof ConcurError && error.kind === 'not_found')) throw error;
        ctx.log.warn(`list_items_v4: ${error.message} Item ${id} was deleted in Concur after it was listed; its children skipped.`);
      }
    }
    level = next;
  }
}

export const listItemsV4 = concurStream({
  name: 'list_items_v4',
  primaryKey: ['listId', 'id'],
  parent: { stream: listsV4, inherit: { listId: 'id' } },
  // The list was deleted between the list of lists and its items: nothing of it is left to read.
  failures: { not_found: 'skip' },
  pages: listItems,
});
