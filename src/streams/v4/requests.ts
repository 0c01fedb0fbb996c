import { ConcurError } from '../../concur/errors.js';
import { LIST_V4_PAGES, paginate } from '../../concur/paging.js';
import type { Query, RecordData } from '../../engine/define.js';
import type { StreamContext } from '../env.js';

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
