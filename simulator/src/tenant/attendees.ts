import { centsToAmount } from '../format.js';
import { Rng, hash } from '../random.js';
import { textField } from './custom-fields.js';
import type { AttendeeRecord } from './records.js';
import { ATTENDEE_TYPES, CLIENT_COMPANIES, COMPANY_NAME, FIRST_NAMES, LAST_NAMES, TITLES } from './reference-data.js';
import { TAG } from './tags.js';
import { PRIVATE_GUESTS_PER_USER, SHARED_GUESTS, type Tenant } from './tenant.js';

/**
 * The company attendee pool, by index:
 *   [0, U)                  one EMPLOYEE attendee per user (shared)
 *   [U, U+20)               shared business guests
 *   [U+20, U+20+3U)         3 private business guests per user (owned by that user)
 * Shared attendees are owned by "ConcurSystem" (docs/concur-api.md#token-user-only-apis).
 */
export const SYSTEM_OWNER = 'ConcurSystem';

/** Owning user of attendee a, or null for shared attendees. */
export function attendeeOwner(t: Tenant, a: number): number | null {
  const u = t.users.length;
  if (a < u + SHARED_GUESTS) return null;
  return Math.floor((a - u - SHARED_GUESTS) / PRIVATE_GUESTS_PER_USER);
}

/** Visible to a user: shared attendees plus the user's own (null user = company view of shared only). */
export function attendeeVisibleTo(t: Tenant, a: number, user: number | null): boolean {
  const owner = attendeeOwner(t, a);
  return owner === null || owner === user;
}

export function attendeeId(t: Tenant, a: number): string {
  return t.attendeeIds.encode(a, 0);
}

export function attendeeIndex(t: Tenant, id: string): number | undefined {
  const parts = t.attendeeIds.decode(id);
  if (parts === null || parts.lo !== 0 || parts.hi >= t.attendeeCount) return undefined;
  return parts.hi;
}

export function attendeeTypeIndex(t: Tenant, a: number): number {
  return a < t.users.length ? 0 : 1;
}

export function attendeeTypeId(t: Tenant, typeIndex: number): string {
  return t.referenceId(TAG.attendeeType, typeIndex, 30);
}

export function buildAttendee(t: Tenant, a: number, base: string): AttendeeRecord {
  const rng = new Rng(hash(t.seed, TAG.attendee, a));
  const employee = a < t.users.length ? t.user(a) : undefined;
  const ownerIndex = attendeeOwner(t, a);
  const owner = ownerIndex === null ? undefined : t.user(ownerIndex);
  const typeIndex = attendeeTypeIndex(t, a);
  const type = ATTENDEE_TYPES[typeIndex];
  const id = attendeeId(t, a);
  const guestCompany = rng.pick(CLIENT_COMPANIES);
  const firstName = employee?.firstName ?? rng.pick(FIRST_NAMES);
  const lastName = employee?.lastName ?? rng.pick(LAST_NAMES);
  return {
    AttendeeTypeCode: type?.code ?? null,
    AttendeeTypeID: attendeeTypeId(t, typeIndex),
    FirstName: firstName,
    LastName: lastName,
    MiddleInitial: rng.chance(0.3) ? String.fromCharCode(65 + rng.int(26)) : null,
    Suffix: null,
    Company: employee === undefined ? guestCompany : COMPANY_NAME,
    Title: employee?.title ?? rng.pick(TITLES),
    ExternalID: employee?.employeeId ?? (rng.chance(0.5) ? `EXT-${10_000 + a}` : null),
    HasExceptionsPrevYear: rng.chance(0.05),
    HasExceptionsYTD: rng.chance(0.05),
    TotalAmountPrevYear: centsToAmount(rng.int(250_000)),
    TotalAmountYTD: centsToAmount(rng.int(150_000)),
    VersionNumber: 1 + rng.int(3),
    OwnerName: owner?.displayName ?? SYSTEM_OWNER,
    OwnerLoginID: owner?.loginId ?? SYSTEM_OWNER,
    CurrencyCode: (owner ?? employee)?.country.currency ?? 'USD',
    Custom1: employee === undefined && rng.chance(0.3) ? textField(guestCompany) : null,
    Custom2: null,
    Custom3: null,
    Custom4: null,
    Custom5: null,
    Custom6: null,
    Custom7: null,
    Custom8: null,
    Custom9: null,
    Custom10: null,
    Custom11: null,
    Custom12: null,
    Custom13: null,
    Custom14: null,
    Custom15: null,
    Custom16: null,
    Custom17: null,
    Custom18: null,
    Custom19: null,
    Custom20: null,
    Custom21: null,
    Custom22: null,
    Custom23: null,
    Custom24: null,
    Custom25: null,
    ID: id,
    URI: `${base}/api/v3.0/expense/attendees/${id}`,
  };
}
