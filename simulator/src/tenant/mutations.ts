import { Rng, hash } from '../random.js';
import { entryId, reportId } from './keys.js';
import { planNewReport } from './reports.js';
import { TAG } from './tags.js';
import type { Tenant } from './tenant.js';

/** Body of POST /_sim/mutate. */
export interface MutationRequest {
  readonly newReports: number;
  readonly editReports: number;
  readonly newEntries: number;
}

export interface MutationResult {
  readonly newReportIds: string[];
  readonly editedReportIds: string[];
  readonly newEntryIds: string[];
  readonly reportIdsWithNewEntries: string[];
}

/**
 * Apply changes stamped with the current time (for incremental-sync tests). Which reports
 * are edited or receive entries is drawn from (seed, call number), so a given seed and
 * sequence of calls always picks the same records. Each stamp is kept strictly after the
 * report's previous LastModifiedDate.
 */
export function applyMutation(t: Tenant, request: MutationRequest, nowMs: number): MutationResult {
  const call = t.nextMutationIndex();
  const rng = new Rng(hash(t.seed, TAG.mutation, call));
  const existing = t.reportCount; // edits and new entries go to reports that existed before this call
  const stamp = (r: number): number => Math.max(nowMs, t.modifiedMs(r) + 1);

  const newReportIds: string[] = [];
  for (let i = 0; i < request.newReports; i++) {
    const r = t.appendReport(planNewReport(t, rng, nowMs));
    newReportIds.push(reportId(t, r));
  }

  const editedReportIds: string[] = [];
  for (const r of distinctSample(rng, existing, request.editReports)) {
    const at = stamp(r);
    const version = t.touchReport(r, at);
    const n = t.entryCount(r);
    // An edit changes the name and one entry's amount, so Total moves with it.
    if (n > 0) t.editEntry(r, rng.int(n), at, version);
    editedReportIds.push(reportId(t, r));
  }

  const newEntryIds: string[] = [];
  const touched = new Set<number>();
  const reportIdsWithNewEntries: string[] = [];
  for (let i = 0; i < request.newEntries && existing > 0; i++) {
    const r = rng.int(existing);
    const k = t.addEntry(r, stamp(r));
    newEntryIds.push(entryId(t, r, k));
    if (!touched.has(r)) {
      touched.add(r);
      reportIdsWithNewEntries.push(reportId(t, r));
    }
  }
  return { newReportIds, editedReportIds, newEntryIds, reportIdsWithNewEntries };
}

/** Up to n distinct indexes in [0, count), in draw order. */
function distinctSample(rng: Rng, count: number, n: number): number[] {
  const picked = new Set<number>();
  const out: number[] = [];
  const want = Math.min(n, count);
  while (out.length < want) {
    const r = rng.int(count);
    if (picked.has(r)) continue;
    picked.add(r);
    out.push(r);
  }
  return out;
}
