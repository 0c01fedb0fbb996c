import { centsToAmount } from '../format.js';
import { Rng, hash } from '../random.js';
import { attendeeId } from './attendees.js';
import type { EntryCore } from './entries.js';
import { childId, entryId } from './keys.js';
import type { AssociationRecord } from './records.js';
import { TAG } from './tags.js';
import { PRIVATE_GUESTS_PER_USER, SHARED_GUESTS, type Tenant } from './tenant.js';

/** One entry-attendee association: which attendee, how many people it stands for, its amount. */
export interface AssociationLink {
  readonly attendee: number;
  readonly headcount: number;
  readonly amountCents: number;
}

const PURPOSES = ['Client dinner', 'Project kickoff', 'Contract review', 'Team celebration'] as const;

/**
 * The attendees of an entry. The owner attends first (Concur adds the employee by default);
 * the others are colleagues, shared guests or the owner's private guests, all distinct.
 * Amounts split the posted amount per head and sum exactly to it.
 */
export function associationLinks(t: Tenant, core: EntryCore): AssociationLink[] {
  const n = core.attendeeLinks;
  if (n === 0) return [];
  const rng = new Rng(hash(t.seed, TAG.association, core.r, core.k));
  const userCount = t.users.length;
  const owner = t.owner(core.r);
  const chosen: number[] = [owner];
  const heads: number[] = [1];
  for (let j = 1; j < n; j++) {
    let attendee = -1;
    for (let attempt = 0; attempt < 8 && (attendee < 0 || chosen.includes(attendee)); attempt++) {
      const kind = rng.float();
      attendee =
        kind < 0.4
          ? rng.int(userCount)
          : kind < 0.7
            ? userCount + rng.int(SHARED_GUESTS)
            : userCount + SHARED_GUESTS + owner * PRIVATE_GUESTS_PER_USER + rng.int(PRIVATE_GUESTS_PER_USER);
    }
    // Fall back to the next unused shared guest so the list stays distinct.
    for (let g = 0; chosen.includes(attendee); g++) attendee = userCount + ((j + g) % SHARED_GUESTS);
    chosen.push(attendee);
    heads.push(j === n - 1 && rng.chance(0.2) ? rng.range(2, 4) : 1);
  }
  const totalHeads = heads.reduce((a, b) => a + b, 0);
  const perHead = Math.floor(core.postedCents / totalHeads);
  const remainder = core.postedCents - perHead * totalHeads;
  return chosen.map((attendee, j) => {
    const headcount = heads[j] ?? 1;
    return { attendee, headcount, amountCents: perHead * headcount + (j === 0 ? remainder : 0) };
  });
}

export function associationRecord(t: Tenant, core: EntryCore, j: number, link: AssociationLink, base: string): AssociationRecord {
  const id = childId(t, 'associationIds', core.r, core.k, j);
  const purpose = hash(t.seed, TAG.association, core.r, core.k, j + 1) % 10;
  return {
    EntryID: entryId(t, core.r, core.k),
    AttendeeID: attendeeId(t, link.attendee),
    Amount: centsToAmount(link.amountCents),
    AssociatedAttendeeCount: link.headcount,
    // Custom1-5 are plain strings on this resource (docs/concur-api.md#v3-field-quirks), mostly unconfigured.
    Custom1: purpose < PURPOSES.length ? (PURPOSES[purpose] ?? null) : null,
    Custom2: null,
    Custom3: null,
    Custom4: null,
    Custom5: null,
    ID: id,
    URI: `${base}/api/v3.0/expense/entryattendeeassociations/${id}`,
  };
}
