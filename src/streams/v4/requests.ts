import { ConcurError } from '../../concur/errors.js';
import { paginate, type Paginator } from '../../concur/paging.js';
import type { Query, RecordData } from '../../engine/define.js';
import type { StreamContext } from '../env.js';

const count = (value: unknown): number | undefined => (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined);

/**
 * List v4 and List Item v4 pages: `{content: [...], page: {size, totalElements, totalPages, number}, links}`,
 * numbered from 1 with a fixed size of 100. The next page is `number + 1` while it is below `totalPages`: the
 * arithmetic is ours, as SAP documents page numbers, not the `links`, as the way through.
 */
export const LIST_V4_PAGES: Paginator = {
  names: { page: 'a List v4 page', item: 'list record', next: 'page number' },
  read: (body) => {
    const page = typeof body['page'] === 'object' && body['page'] !== null ? (body['page'] as Record<string, unknown>) : {};
    const number = count(page['number']);
    const totalPages = count(page['totalPages']);
    const next = number !== undefined && totalPages !== undefined && number < totalPages ? String(number + 1) : undefined;
    return { items: Array.isArray(body['content']) ? body['content'] : [], next, total: count(page['totalElements']) };
  },
  follow: (request, next) => ({ path: request.path, query: { ...request.query, page: next } }),
};

/** Every page of a List v4 or List Item v4 collection, from page 1. */
export function listV4Pages(ctx: StreamContext, path: string, query: Query = {}, onTotal?: (total: number) => void): AsyncGenerator<RecordData[]> {
  return paginate(ctx.options.client, LIST_V4_PAGES, { path, query: { ...query, page: 1 } }, ctx.signal, onTotal);
}

/** A v4 collection answered as one top-level JSON array, without paging (Attendee Types v4). */
export async function getArray(ctx: StreamContext, path: string): Promise<RecordData[]> {
  const body = await ctx.options.client.getJson(path, {}, ctx.signal);
  if (!Array.isArray(body)) throw new ConcurError('payload', `Concur answered ${path} with ${body === null ? 'null' : typeof body}, not an array.`);
  return body.map((item) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw new ConcurError('payload', `Concur answered ${path} with an item that is not an object.`);
    return item as RecordData;
  });
}
