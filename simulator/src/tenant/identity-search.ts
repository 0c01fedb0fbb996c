/**
 * The part of Identity v4.1 Search's filter language (the identity-search guide, "Filtering") that the simulator
 * answers: comparisons of meta.lastModified or meta.created with a quoted RFC 3339 date (gt, ge, lt, le, eq),
 * joined by `and`. That is what an incremental read asks; anything else is refused as SAP refuses a filter it
 * cannot run (400, scimType invalidFilter), so a client never mistakes an unanswered filter for an empty result.
 */

export type DateOperator = 'gt' | 'ge' | 'lt' | 'le' | 'eq';

export interface DateComparison {
  readonly attribute: 'meta.lastModified' | 'meta.created';
  readonly op: DateOperator;
  readonly atMs: number;
}

export class FilterError extends Error {
  override readonly name = 'FilterError';
}

const COMPARISON = /^(meta\.lastModified|meta\.created)\s+(gt|ge|lt|le|eq)\s+"([^"]*)"$/i;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** The comparisons of a filter (all must hold); an empty or absent filter selects every user. */
export function parseFilter(filter: string | undefined): DateComparison[] {
  if (filter === undefined || filter.trim() === '') return [];
  return filter
    .trim()
    .split(/\s+and\s+/i)
    .map((term) => {
      const m = COMPARISON.exec(term.trim());
      if (m === null) {
        throw new FilterError(
          `The filter "${filter.slice(0, 200)}" is not supported here: use meta.lastModified or meta.created with gt, ge, lt, le or eq and a quoted RFC 3339 date, joined by "and".`,
        );
      }
      const text = m[3] ?? '';
      const atMs = RFC3339.test(text) ? Date.parse(text) : Number.NaN;
      if (Number.isNaN(atMs)) throw new FilterError(`"${text.slice(0, 64)}" is not an RFC 3339 date with an offset (e.g. "2026-01-31T00:00:00Z").`);
      const attribute = (m[1] ?? '').toLowerCase() === 'meta.created' ? 'meta.created' : 'meta.lastModified';
      return { attribute, op: (m[2] ?? 'eq').toLowerCase() as DateOperator, atMs };
    });
}

export function matches(comparisons: readonly DateComparison[], dates: { createdMs: number; modifiedMs: number }): boolean {
  return comparisons.every(({ attribute, op, atMs }) => {
    const value = attribute === 'meta.created' ? dates.createdMs : dates.modifiedMs;
    switch (op) {
      case 'gt':
        return value > atMs;
      case 'ge':
        return value >= atMs;
      case 'lt':
        return value < atMs;
      case 'le':
        return value <= atMs;
      case 'eq':
        return value === atMs;
    }
  });
}
