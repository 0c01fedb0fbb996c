import { ApiError } from './errors.js';
import { hash } from './random.js';

/**
 * v3 paging. `offset` is an opaque token (docs/concur-api.md#v3-paging-nextpage): base64url of the collection name,
 * the scan position and a seeded checksum, so a token of another collection or another
 * tenant is rejected with 400 instead of silently returning wrong data.
 */

const OFFSET_TAG = 0x0ff5e7;

function checksum(seed: number, collection: string, position: readonly number[]): number {
  let h = hash(seed, OFFSET_TAG, position.length);
  for (const ch of collection) h = hash(h, ch.charCodeAt(0));
  for (const p of position) h = hash(h, p % 0x1_0000_0000, Math.floor(p / 0x1_0000_0000));
  return h;
}

export function encodeOffset(seed: number, collection: string, position: readonly number[]): string {
  const text = `${collection}:${position.join('.')}:${checksum(seed, collection, position).toString(36)}`;
  return Buffer.from(text, 'utf8').toString('base64url');
}

/** The scan position in a token, or an ApiError(400) when the token is not ours. */
export function decodeOffset(seed: number, collection: string, arity: number, token: string): number[] {
  const invalid = (): ApiError => new ApiError(400, 'The offset value is not valid for this resource. Follow NextPage as returned.');
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(token)) throw invalid();
  const parts = Buffer.from(token, 'base64url').toString('utf8').split(':');
  if (parts.length !== 3 || parts[0] !== collection) throw invalid();
  const position = (parts[1] ?? '').split('.').map((p) => (/^\d{1,15}$/.test(p) ? Number(p) : Number.NaN));
  if (position.length !== arity || position.some((p) => !Number.isSafeInteger(p))) throw invalid();
  if (checksum(seed, collection, position).toString(36) !== parts[2]) throw invalid();
  return position;
}

export const DEFAULT_LIMIT = 25;

/** `limit`: default 25 (group configurations: 10), clamped to the configured maximum (docs/concur-api.md#v3-page-size); non-positive → 400. */
export function parseLimit(raw: string | undefined, maxLimit: number, defaultLimit: number = DEFAULT_LIMIT): number {
  if (raw === undefined || raw === '') return Math.min(defaultLimit, maxLimit);
  if (!/^\d+$/.test(raw) || Number(raw) < 1) {
    throw new ApiError(400, `The limit parameter must be a positive integer (got '${raw.slice(0, 40)}').`);
  }
  return Math.min(Number(raw), maxLimit);
}

/**
 * NextPage: absolute URL on the scheme/host the request used, the same path, every original
 * query parameter except offset (kept in order), then the new offset.
 */
export function nextPageUrl(requestBase: string, path: string, search: URLSearchParams, offset: string): string {
  const params = new URLSearchParams();
  for (const [key, value] of search) {
    if (key.toLowerCase() !== 'offset') params.append(key, value);
  }
  params.append('offset', offset);
  return `${requestBase}${path}?${params.toString()}`;
}
