import type { ConcurClient, Query } from './client.js';
import { ConcurError } from './errors.js';

export type ConcurRecord = Record<string, unknown>;

/** One request of a list: the path (or the whole link a page gave) and its parameters; a search's JSON body is POSTed. */
export interface PageRequest {
  path: string;
  query: Query;
  body?: Readonly<Record<string, unknown>>;
}

/** What one page says: its records (not yet checked), where the next page is, and the whole list's size. */
export interface PageContents {
  items: readonly unknown[];
  /** The link or token to the next page; undefined on the last. */
  next: string | undefined;
  /** How many records the whole list holds, when the page says. */
  total?: number | undefined;
}

/**
 * How one Concur API pages its lists, as data: what a page holds and how the next page is asked. `paginate` drives
 * every paginator, and owns what they have in common: the shape checks, the end of the list, loop detection and
 * the total.
 */
export interface Paginator {
  /** What a page, a record and a next-page token are called in this API, for error messages. */
  readonly names: { page: string; item: string; next: string };
  read(page: ConcurRecord): PageContents;
  /** The request for the page that `next` (from `request`'s answer) points at. */
  follow(request: PageRequest, next: string): PageRequest;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);
const count = (value: unknown): number | undefined => (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined);

/**
 * v3 lists (docs/concur-api.md#v3-paging-nextpage): `{"Items": [...], "NextPage": "…" | null}`. NextPage is followed
 * verbatim until it is null, empty or absent: the offset inside it is an opaque token, never built by us.
 */
export const V3_PAGES: Paginator = {
  names: { page: 'a page object', item: 'list item', next: 'NextPage link' },
  // docs/concur-api.md#v3-list-shape-items: swagger types Items as one object; the docs and every sample show an array.
  read: ({ Items, NextPage }) => ({ items: Items === undefined || Items === null ? [] : Array.isArray(Items) ? Items : [Items], next: text(NextPage) }),
  follow: (_request, next) => ({ path: next, query: {} }),
};

/**
 * SCIM lists (Identity v4.1): `Resources` per page, and `nextCursor` passed back as `cursor` until it is absent (the
 * identity-search guide: not returned on the last page). `totalResults` is the whole list's size.
 */
export const SCIM_PAGES: Paginator = {
  names: { page: 'a SCIM list', item: 'SCIM resource', next: 'nextCursor' },
  read: (page) => ({ items: Array.isArray(page['Resources']) ? page['Resources'] : [], next: text(page['nextCursor']), total: count(page['totalResults']) }),
  follow: (request, next) => ({ path: request.path, query: { ...request.query, cursor: next } }),
};

/**
 * SCIM searches (Identity v4.1 POST …/Users/.search): the same pages as SCIM_PAGES, the filter and the cursor in
 * the SearchRequest body (the identity-search guide: a cursor belongs to its query, so the body is sent again
 * whole with it).
 */
export const SCIM_SEARCH_PAGES: Paginator = {
  ...SCIM_PAGES,
  follow: (request, next) => ({ path: request.path, query: request.query, body: { ...request.body, cursor: next } }),
};

/**
 * Attendees v4 lists: `{"items": [...], "nextPage": "…"}`, `nextPage` followed verbatim (an absolute URI holding
 * the offset) until it is absent or empty. SAP's by-ids example spells the array `Items`, so either is read.
 */
export const ATTENDEES_V4_PAGES: Paginator = {
  names: { page: 'an Attendees v4 page', item: 'attendee', next: 'nextPage link' },
  read: (page) => {
    const items = page['items'] ?? page['Items'];
    return { items: Array.isArray(items) ? items : [], next: text(page['nextPage']) };
  },
  follow: (_request, next) => ({ path: next, query: {} }),
};

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

/**
 * The records of a JSON list, page by page. The list ends at the last page, and at an empty page even if it
 * links on (docs/concur-api.md#v3-paging-nextpage); a next-page token seen twice means a server loop and stops
 * the stream rather than spinning. The first page's total goes to `onTotal`.
 */
export async function* paginate(
  client: ConcurClient,
  paginator: Paginator,
  first: PageRequest,
  signal?: AbortSignal,
  onTotal?: (total: number) => void,
): AsyncGenerator<ConcurRecord[]> {
  const seen = new Set<string>();
  const { names } = paginator;
  for (let request = first, pageNumber = 1; ; pageNumber++) {
    const body = request.body === undefined ? await client.getJson(request.path, request.query, signal) : await client.searchJson(request.path, request.body, signal);
    const page = paginator.read(asObject(body, first.path, names.page));
    if (pageNumber === 1 && page.total !== undefined) onTotal?.(page.total);
    const records = page.items.map((item) => {
      if (typeof item !== 'object' || item === null || Array.isArray(item)) throw new ConcurError('payload', `Concur answered ${first.path} with a ${names.item} that is not an object.`);
      return item as ConcurRecord;
    });
    if (records.length > 0) yield records;
    if (page.next === undefined || records.length === 0) return;
    if (seen.has(page.next)) throw new ConcurError('payload', `Concur returned the same ${names.next} twice for ${first.path}; stopping to avoid an endless loop.`);
    seen.add(page.next);
    request = paginator.follow(request, page.next);
  }
}

/** A single v3 resource (GET …/{id}). */
export async function getOne(client: ConcurClient, path: string, query: Query, signal?: AbortSignal): Promise<ConcurRecord> {
  return asObject(await client.getJson(path, query, signal), path, 'an object');
}

function asObject(body: unknown, path: string, expected: string): ConcurRecord {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ConcurError('payload', `Concur answered ${path} with ${Array.isArray(body) ? 'an array' : typeof body}, not ${expected}.`);
  }
  return body as ConcurRecord;
}

/** What one numbered page says: its records and how many pages the list has (undefined: a single page). */
export interface NumberedPage<T> {
  items: T[];
  totalPages: number | undefined;
}

const MAX_PAGES = 1_000_000;

/**
 * Page-number paging (Itinerary v1.1 with includeMetadata=true, docs/concur-api.md#itinerary-trips-paging): pages
 * 1, 2, … until the metadata's TotalPages is reached, a page comes back empty, or there is no metadata at all (a
 * single page). The sample Next/Previous URLs are inconsistent, so the arithmetic is ours, not theirs. Unlike a
 * link, a page number is known before the page before it has answered: once page 1 has told how many there are,
 * up to `lookahead` pages are asked at once (read in page order, the stop rules applied in that order; a page
 * asked beyond the end is dropped).
 */
export async function* pageNumbers<T>(fetchPage: (page: number) => Promise<NumberedPage<T>>, lookahead = 1): AsyncGenerator<T[]> {
  const asked = new Map<number, Promise<NumberedPage<T>>>();
  let highestAsked = 0;
  let lastPage = 1;
  for (let page = 1; ; page++) {
    while (highestAsked < Math.min(lastPage, page + Math.max(1, lookahead) - 1, MAX_PAGES)) {
      const answer = fetchPage(++highestAsked);
      // Awaited in page order; one asked ahead of a failure must not count as unhandled meanwhile.
      answer.catch(() => undefined);
      asked.set(highestAsked, answer);
    }
    // Asked by the loop above: `page` never passes lastPage (the stop rules below) nor MAX_PAGES.
    const answer = asked.get(page) as Promise<NumberedPage<T>>;
    asked.delete(page);
    const { items, totalPages } = await answer;
    if (items.length > 0) yield items;
    if (totalPages === undefined || page >= totalPages || items.length === 0) return;
    if (page >= MAX_PAGES) throw new ConcurError('payload', `More than ${MAX_PAGES} pages; stopping to avoid an endless loop.`);
    lastPage = totalPages;
  }
}
