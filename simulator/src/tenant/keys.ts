import type { Tenant } from './tenant.js';

/**
 * Record keys ↔ ids. Reports are indexed by r; entries by (r, k); children of an entry by
 * (r, k, s). The id codecs are reversible, so looking a record up by id costs O(1).
 */

export interface EntryRef {
  readonly r: number;
  readonly k: number;
}

export interface ChildRef extends EntryRef {
  readonly s: number;
}

const SUB = 4096;

export function reportId(t: Tenant, r: number): string {
  return t.reportIds.encode(r, 0);
}

/** Index of the report with this id, or undefined when it is not one of ours. */
export function reportIndex(t: Tenant, id: string): number | undefined {
  const parts = t.reportIds.decode(id);
  if (parts === null || parts.lo !== 0 || parts.hi >= t.reportCount) return undefined;
  return parts.hi;
}

export function entryId(t: Tenant, r: number, k: number): string {
  return t.entryIds.encode(r, k * SUB);
}

export function entryRef(t: Tenant, id: string): EntryRef | undefined {
  const parts = t.entryIds.decode(id);
  if (parts === null || parts.lo % SUB !== 0) return undefined;
  const r = parts.hi;
  const k = Math.floor(parts.lo / SUB);
  if (r >= t.reportCount || k >= t.entryCount(r)) return undefined;
  return { r, k };
}

export type ChildCodec = 'itemizationIds' | 'allocationIds' | 'associationIds';

export function childId(t: Tenant, codec: ChildCodec, r: number, k: number, s: number): string {
  return t[codec].encode(r, k * SUB + s);
}

/** Decode a child id; the caller checks s against the entry's child count. */
export function childRef(t: Tenant, codec: ChildCodec, id: string): ChildRef | undefined {
  const parts = t[codec].decode(id);
  if (parts === null) return undefined;
  const r = parts.hi;
  const k = Math.floor(parts.lo / SUB);
  const s = parts.lo % SUB;
  if (r >= t.reportCount || k >= t.entryCount(r)) return undefined;
  return { r, k, s };
}
