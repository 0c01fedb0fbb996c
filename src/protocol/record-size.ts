import type { JsonObject, RecordChange } from './messages.js';

/**
 * Largest record sent, in characters of its JSON: warehouses cap a semi-structured value at 16 MB (Snowflake
 * VARIANT, Redshift SUPER), and one giant value must not stall the pipe or the destination.
 */
export const MAX_RECORD_CHARS = 16 * 1024 * 1024;

interface Leaf {
  path: string[];
  size: number;
}

/** Strings and arrays anywhere in the record, with their JSON size. */
function leaves(value: unknown, path: string[], out: Leaf[]): void {
  if (typeof value === 'string') {
    out.push({ path, size: value.length + 2 });
  } else if (Array.isArray(value)) {
    const size = JSON.stringify(value).length;
    out.push({ path, size });
    value.forEach((item, i) => leaves(item, [...path, String(i)], out));
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) leaves(child, [...path, key], out);
  }
}

/**
 * Makes an oversized record fit: the biggest values (strings, or whole arrays) are replaced by null, biggest
 * first, until the record is under the limit (changing `data` itself). Each one is reported as a NULLED change, so the destination knows
 * which field is missing and why. Returns undefined when the record already fits.
 */
export function fitRecord(data: JsonObject, size: number, limit = MAX_RECORD_CHARS): { data: JsonObject; changes: RecordChange[] } | undefined {
  if (size <= limit) return undefined;
  // In place: the record is built for this one message, and a copy of a huge value is what must be avoided.
  const copy = data;
  const candidates: Leaf[] = [];
  leaves(copy, [], candidates);
  candidates.sort((a, b) => b.size - a.size);
  const changes: RecordChange[] = [];
  let remaining = size;
  for (const leaf of candidates) {
    if (remaining <= limit) break;
    // A value inside an array or object that is already gone needs no second change.
    if (changes.some((c) => leaf.path.join('.').startsWith(`${c.field}.`))) continue;
    let holder: unknown = copy;
    for (const segment of leaf.path.slice(0, -1)) holder = (holder as Record<string, unknown>)[segment];
    const last = leaf.path.at(-1);
    if (last === undefined || typeof holder !== 'object' || holder === null) continue;
    (holder as Record<string, unknown>)[last] = null;
    remaining -= leaf.size - 4;
    changes.push({ field: leaf.path.join('.'), change: 'NULLED', reason: 'SOURCE_FIELD_SIZE_LIMITATION' });
  }
  return { data: copy, changes };
}

/** Nesting deeper than this is no record Concur means to send; JSON.stringify would also overflow the stack on it. */
export const MAX_DEPTH = 64;

/**
 * Replaces every value nested deeper than `maxDepth` by null (in place), reporting the outermost path of each, so
 * a pathological answer still yields a record that serializes.
 */
export function limitDepth(data: JsonObject, maxDepth = MAX_DEPTH): RecordChange[] {
  const changes: RecordChange[] = [];
  const walk = (holder: Record<string, unknown> | unknown[], path: string[], depth: number): void => {
    for (const [key, value] of Object.entries(holder)) {
      if (typeof value !== 'object' || value === null) continue;
      if (depth >= maxDepth) {
        (holder as Record<string, unknown>)[key] = null;
        changes.push({ field: [...path, key].join('.'), change: 'NULLED', reason: 'SOURCE_SERIALIZATION_ERROR' });
      } else {
        walk(value as Record<string, unknown>, [...path, key], depth + 1);
      }
    }
  };
  walk(data, [], 1);
  return changes;
}
