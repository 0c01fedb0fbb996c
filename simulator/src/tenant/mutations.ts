import { Rng, hash } from '../random.js';
import { jobFacts, jobId, EXTRACT_DEFINITIONS } from './extracts.js';
import { FIRST_NAMES } from './reference-data.js';
import { entryId, reportId } from './keys.js';
import { identityModifiedMs } from './scim-user.js';
import { planNewReport } from './reports.js';
import { TAG } from './tags.js';
import type { Tenant } from './tenant.js';
import { TRIP_CANCELED, tripCore, tripId } from './trips.js';

/** Body of POST /_sim/mutate. */
export interface MutationRequest {
  readonly newReports: number;
  readonly editReports: number;
  readonly newEntries: number;
  /** New trips (created now, starting 1-13 weeks ahead). */
  readonly newTrips: number;
  /** Edits of distinct existing trips (DateModifiedUtc = now). */
  readonly editTrips: number;
  /** Cancellations of distinct existing trips not canceled yet (TripStatus 2, DateModifiedUtc = now). */
  readonly cancelTrips: number;
  /** New extract jobs per definition (started now; newest first, only the last 100 listed). */
  readonly newJobs: number;
  /** Edits of distinct directory users (Identity v4.1: a new nickName, meta.lastModified = now). */
  readonly editUsers: number;
  /**
   * Entries removed, each from a distinct existing report that has one (its last entry, with the entry's
   * itemizations, allocations and attendee links); each such report's LastModifiedDate = now and its totals drop
   * by the entry. A later newEntries landing on that report gets the removed entry's id again.
   */
  readonly removeEntries?: number;
}

export interface MutationResult {
  readonly newReportIds: string[];
  readonly editedReportIds: string[];
  readonly newEntryIds: string[];
  readonly reportIdsWithNewEntries: string[];
  readonly newTripIds: string[];
  readonly editedTripIds: string[];
  readonly canceledTripIds: string[];
  /** JobIDs of the new jobs (the last segment of each job's id URL), definition by definition. */
  readonly newJobIds: string[];
  /** Identity v4.1 ids (UUIDs) of the edited users. */
  readonly editedUserIds: string[];
  readonly removedEntryIds: string[];
  /** The report of each removed entry, in the same order. */
  readonly reportIdsWithRemovedEntries: string[];
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
  // Trips and jobs draw from their own stream, so adding them never changes which reports a call picks.
  const travel = new Rng(hash(t.seed, TAG.tripMutation, call, 1));
  const seconds = (ms: number): number => Math.floor(ms / 1000) * 1000;
  const existingTrips = t.trips.count;
  const newTripIds: string[] = [];
  for (let i = 0; i < request.newTrips; i++) {
    const owner = travel.chance(0.1) ? 0 : 1 + travel.int(t.config.users);
    newTripIds.push(tripId(t, t.trips.add(owner, seconds(nowMs))));
  }
  const editedTripIds: string[] = [];
  for (const i of distinctSample(travel, existingTrips, request.editTrips)) {
    const previous = tripCore(t, i).modifiedMs;
    t.trips.touch(i, Math.max(seconds(nowMs), previous + 1000));
    editedTripIds.push(tripId(t, i));
  }
  // Drawn after the edits, so a call without cancellations picks the same trips as before they existed.
  const cancelable: number[] = [];
  for (let i = 0; i < existingTrips && request.cancelTrips > 0; i++) if (tripCore(t, i).status !== TRIP_CANCELED) cancelable.push(i);
  const canceledTripIds: string[] = [];
  for (const n of distinctSample(travel, cancelable.length, request.cancelTrips)) {
    const i = cancelable[n] ?? 0;
    t.trips.cancel(i, Math.max(seconds(nowMs), tripCore(t, i).modifiedMs + 1000));
    canceledTripIds.push(tripId(t, i));
  }
  const newJobIds: string[] = [];
  for (let n = 0; n < request.newJobs; n++) {
    for (let d = 0; d < EXTRACT_DEFINITIONS.length; d++) {
      const total = t.extracts.total(d);
      const previous = total > 0 ? jobFacts(t, d, total - 1).startMs : Number.NEGATIVE_INFINITY;
      const s = t.extracts.add(d, Math.max(nowMs, previous + 1000));
      newJobIds.push(jobId(t, d, s));
    }
  }
  // Users draw from their own stream too, so a call that edits none picks the same records as before.
  const people = new Rng(hash(t.seed, TAG.mutation, call, 2));
  const editedUserIds: string[] = [];
  for (const u of distinctSample(people, t.users.length, request.editUsers)) {
    t.identityEdits.edit(u, Math.max(nowMs, identityModifiedMs(t, u) + 1), people.pick(FIRST_NAMES));
    editedUserIds.push(t.user(u).id);
  }
  // Its own stream and last, so a call without removals picks the same records as before they existed.
  const removal = new Rng(hash(t.seed, TAG.mutation, call, 3));
  const removable: number[] = [];
  for (let r = 0; r < existing && (request.removeEntries ?? 0) > 0; r++) if (t.entryCount(r) > 0) removable.push(r);
  const removedEntryIds: string[] = [];
  const reportIdsWithRemovedEntries: string[] = [];
  for (const n of distinctSample(removal, removable.length, request.removeEntries ?? 0)) {
    const r = removable[n] ?? 0;
    // The id before the removal: the entry's index is what it is derived from.
    removedEntryIds.push(entryId(t, r, t.entryCount(r) - 1));
    t.removeLastEntry(r, stamp(r));
    reportIdsWithRemovedEntries.push(reportId(t, r));
  }
  return {
    newReportIds,
    editedReportIds,
    newEntryIds,
    reportIdsWithNewEntries,
    newTripIds,
    editedTripIds,
    canceledTripIds,
    newJobIds,
    editedUserIds,
    removedEntryIds,
    reportIdsWithRemovedEntries,
  };
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
