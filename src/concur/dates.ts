import { parseTimestamp } from '../common/time.js';

// Concur timestamps carry no offset and 0-3 fraction digits ("2013-09-02T19:46:01.57"); docs/concur-api.md#timestamps-without-offset-are-utc: read as UTC.

/** Epoch ms of a Concur date or timestamp (offset-less = UTC), or undefined when it is not one. */
export const parseConcurTimestamp = parseTimestamp;

/** The form Concur's date filters accept (reports doc: yyyy-MM-ddTHH:mm:ss.SSS), in UTC. */
export function formatConcurFilter(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 23);
}

/** RFC 3339 with Z: the form every state cursor is written in. */
export function toRfc3339(epochMs: number): string {
  return new Date(epochMs).toISOString();
}
