import type { ConcurClient, Query } from './client.js';
import { ConcurError } from './errors.js';

export type ConcurRecord = Record<string, unknown>;

/**
 * v3 list paging (docs/concur-api.md#v3-paging-nextpage): request the first page, then follow `NextPage` verbatim until it is
 * null, empty or absent (docs/concur-api.md#v3-paging-nextpage: the offset inside it is an opaque token, never built by us). A NextPage seen
 * twice means a server loop and stops the stream rather than spinning.
 */
export async function* nextPageUrl(client: ConcurClient, path: string, query: Query, signal?: AbortSignal): AsyncGenerator<ConcurRecord[]> {
  const seen = new Set<string>();
  let target = path;
  let params: Query = query;
  for (;;) {
    const body = await client.getJson(target, params, signal);
    const { items, next } = readV3Page(body, path);
    if (items.length > 0) yield items;
    // docs/concur-api.md#v3-paging-nextpage: stop on a missing NextPage, and on an empty page even if a link is present.
    if (!next || items.length === 0) return;
    if (seen.has(next)) {
      throw new ConcurError('payload', `Concur returned the same NextPage link twice for ${path}; stopping to avoid an endless loop.`);
    }
    seen.add(next);
    target = next;
    params = {};
  }
}

/** One v3 list page: `{"Items": [...], "NextPage": "…" | null}`. */
export function readV3Page(body: unknown, path: string): { items: ConcurRecord[]; next: string | undefined } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ConcurError('payload', `Concur answered ${path} with ${Array.isArray(body) ? 'an array' : typeof body}, not a page object.`);
  }
  const page = body as { Items?: unknown; NextPage?: unknown };
  // docs/concur-api.md#v3-list-shape-items: swagger types Items as one object; the docs and every sample show an array.
  const raw = page.Items === undefined || page.Items === null ? [] : Array.isArray(page.Items) ? page.Items : [page.Items];
  const items: ConcurRecord[] = [];
  for (const item of raw) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw new ConcurError('payload', `Concur answered ${path} with a list item that is not an object.`);
    }
    items.push(item as ConcurRecord);
  }
  const next = typeof page.NextPage === 'string' && page.NextPage.trim() !== '' ? page.NextPage.trim() : undefined;
  return { items, next };
}

/** A single v3 resource (GET …/{id}); undefined when Concur no longer has it (404). */
export async function getOne(client: ConcurClient, path: string, query: Query, signal?: AbortSignal): Promise<ConcurRecord | undefined> {
  try {
    const body = await client.getJson(path, query, signal);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new ConcurError('payload', `Concur answered ${path} with ${Array.isArray(body) ? 'an array' : typeof body}, not an object.`);
    }
    return body as ConcurRecord;
  } catch (error) {
    if (error instanceof ConcurError && error.kind === 'not_found') return undefined;
    throw error;
  }
}

/**
 * Page-number paging (Itinerary v1.1 with includeMetadata=true, docs/concur-api.md#itinerary-trips-paging): pages 1, 2, … until the
 * metadata's TotalPages is reached, a page comes back empty, or there is no metadata at all (a single page).
 * docs/concur-api.md#itinerary-trips-paging: the sample Next/Previous URLs are inconsistent, so the arithmetic is ours, not theirs.
 * Once page 1 has told how many there are, up to `lookahead` pages are requested at once (the answers are still
 * read in page order, and the stop rules apply to them in that order; a page asked beyond the end is dropped).
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

export interface NumberedPage<T> {
  items: T[];
  totalPages: number | undefined;
}

const MAX_PAGES = 1_000_000;

/**
 * SCIM cursor paging (Identity v4.1): `Resources` per page, and `nextCursor` to pass back as `cursor` until it is
 * absent (identity-search guide: not returned on the last page). The first page's `totalResults` is the
 * whole list's size.
 */
export async function* scimCursor(
  client: ConcurClient,
  path: string,
  query: Query,
  signal?: AbortSignal,
  onTotal?: (total: number) => void,
): AsyncGenerator<ConcurRecord[]> {
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (;;) {
    const body = await client.getJson(path, cursor === undefined ? query : { ...query, cursor }, signal);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new ConcurError('payload', `Concur answered ${path} with ${Array.isArray(body) ? 'an array' : typeof body}, not a SCIM list.`);
    }
    const page = body as { Resources?: unknown; nextCursor?: unknown; totalResults?: unknown };
    if (cursor === undefined && typeof page.totalResults === 'number' && Number.isSafeInteger(page.totalResults) && page.totalResults >= 0) onTotal?.(page.totalResults);
    const resources = Array.isArray(page.Resources) ? page.Resources : [];
    const items = resources.filter((r): r is ConcurRecord => typeof r === 'object' && r !== null && !Array.isArray(r));
    if (items.length !== resources.length) throw new ConcurError('payload', `Concur answered ${path} with a SCIM resource that is not an object.`);
    if (items.length > 0) yield items;
    const next = typeof page.nextCursor === 'string' && page.nextCursor !== '' ? page.nextCursor : undefined;
    if (!next || items.length === 0) return;
    if (seen.has(next)) throw new ConcurError('payload', `Concur returned the same nextCursor twice for ${path}; stopping to avoid an endless loop.`);
    seen.add(next);
    cursor = next;
  }
}
