import { centsToAmount } from '../format.js';
import { Rng, hash, uuidFrom } from '../random.js';
import { CLIENT_COMPANIES, FIRST_NAMES, LAST_NAMES, TITLES } from './reference-data.js';
import { TAG } from './tags.js';
import type { Tenant } from './tenant.js';

/**
 * Attendees v4: each user's own attendees, a list per owner. Most users keep a few; every seventh (from user 3)
 * keeps none, and every eleventh (from user 5) keeps more than a page of 100, so paging is exercised in any
 * tenant of six users or more. Ids are UUIDs of their own, unrelated to the v3 attendee ids (as SAP's).
 */
export function attendeeV4Count(t: Tenant, u: number): number {
  if (u % 7 === 3) return 0;
  const rng = new Rng(hash(t.seed, TAG.attendeeV4, u));
  if (u % 11 === 5) return 101 + rng.int(130);
  return 1 + rng.int(6);
}

export function attendeeV4Id(t: Tenant, u: number, j: number): string {
  const h = (k: number): number => hash(t.seed, TAG.attendeeV4, u + 1, j, k);
  return uuidFrom(h(1), h(2), h(3), h(4));
}

/** Attendee types of a user's own attendees (the shared employee attendees are not a user's own). */
const TYPES = ['BUSGUEST', 'BUSGUEST', 'SPOUSE', 'PHYSICIAN'] as const;
const SUFFIXES = ['Jr.', 'Sr.', 'III'] as const;
const TIERS = [
  { code: 'GOLD', name: 'Gold' },
  { code: 'SILV', name: 'Silver' },
] as const;

/**
 * Attendee j of user u as GET /v4/attendees serves it. Only configured custom fields are present (SAP leaves the
 * others out): custom8 (Text) on most, custom6 (Boolean, "Y"/"N" as SAP's sample) on some, custom3 (List, with
 * its item code and id) on a few. `base` is the scheme and host the request used.
 */
export function attendeeV4Record(t: Tenant, u: number, j: number, base: string): Record<string, unknown> {
  const rng = new Rng(hash(t.seed, TAG.attendeeV4, u + 1, j));
  const owner = t.user(u);
  const id = attendeeV4Id(t, u, j);
  const record: Record<string, unknown> = {
    attendeeTypeCode: rng.pick(TYPES),
    firstName: rng.pick(FIRST_NAMES),
    lastName: rng.pick(LAST_NAMES),
    middleInitial: rng.chance(0.6) ? String.fromCharCode(65 + rng.int(26)) : null,
    suffix: rng.chance(0.1) ? rng.pick(SUFFIXES) : null,
    preferredName: null,
    company: rng.pick(CLIENT_COMPANIES),
    title: rng.pick(TITLES),
    externalId: rng.chance(0.7) ? `X${String(u).padStart(5, '0')}${String(j).padStart(4, '0')}` : null,
    hasExceptionsPrevYear: rng.chance(0.05),
    hasExceptionsYtd: rng.chance(0.05),
    totalAmountPrevYear: centsToAmount(rng.int(250_000)),
    totalAmountYtd: centsToAmount(rng.int(150_000)),
    versionNumber: 1 + rng.int(4),
    ownerName: `${owner.lastName}, ${owner.firstName}`,
    ownerUserId: owner.id,
    currencyCode: owner.country.currency,
  };
  if (rng.chance(0.8)) record['custom8'] = { type: 'Text', value: `V${String(rng.int(100_000)).padStart(5, '0')}` };
  if (rng.chance(0.4)) record['custom6'] = { type: 'Boolean', value: rng.chance(0.5) ? 'Y' : 'N' };
  if (rng.chance(0.2)) {
    const tier = rng.pick(TIERS);
    record['custom3'] = { type: 'List', value: tier.name, code: tier.code, listItemId: uuidFrom(hash(t.seed, TAG.attendeeV4, 0, tier.code.charCodeAt(0)), 1, 2, 3) };
  }
  record['id'] = id;
  record['uri'] = `${base}/v4/attendees/${id}`;
  return record;
}

/** The tenant user whose Identity v4.1 id this is, if any. */
export function userByUuid(t: Tenant, id: string): number | undefined {
  const wanted = id.toLowerCase();
  const u = t.users.findIndex((user) => user.id.toLowerCase() === wanted);
  return u < 0 ? undefined : u;
}
