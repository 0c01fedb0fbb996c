import { ApiError } from '../errors.js';
import type { Query } from '../route.js';
import { attendeeVisibleTo, buildAttendee } from '../tenant/attendees.js';
import { attendeeV4Count, attendeeV4Record } from '../tenant/attendees-v4.js';
import {
  ATTENDEE_TYPE_CONFIG,
  LISTS,
  LIST_ITEMS,
  attendeeTypeRecord,
  groupConfigRecord,
  groupCount,
  listItemRecord,
  listRecord,
  userGroup,
} from '../tenant/company-config.js';
import { allGroupConfigsV4, APPLICABLE_CONFIGS, groupConfigV4 } from '../tenant/expense-config-v4.js';
import { EXTRACT_DEFINITIONS, definitionId, definitionRecord, jobRecord, listedJobs } from '../tenant/extracts.js';
import { formId } from '../tenant/company-config.js';
import { FORMS, FORM_TYPES, formData, formFields } from '../tenant/forms.js';
import { userProfile } from '../tenant/identity.js';
import { scimUser } from '../tenant/scim-user.js';
import { locationCount, locationRecord } from '../tenant/locations.js';
import { reportDetails } from '../tenant/reports-v2.js';
import type { Tenant } from '../tenant/tenant.js';
import { ATTENDEE_TYPES_V4, LISTS_V4, LIST_ITEMS_V4, attendeeTypeV4Record, listV4Id, listV4Record, listItemV4Record } from '../tenant/v4-config.js';
import { TRIP_CANCELED, tripCore, tripOwner, tripRecord } from '../tenant/trips.js';
import { cardCharges, delegations, receiptImageCount, receiptImageRecord } from '../tenant/user-data.js';

/**
 * Ground truth of the newer collections (GET /_sim/data/{collection}): every record as the API serves it.
 * For the XML families that is the SEMANTIC value a correct decoder makes of the XML (numbers, booleans, null
 * for nil/empty/sentinel, arrays for lists; see xml.ts), under the element names. A few collections carry the
 * key of their parent, which the XML puts in the URL: forms → FormCode, form_fields → FormId,
 * extract_jobs → DefinitionID, list_items_v4 → listId (the list walked).
 *
 * Per-user collections (attendees_v4, card_charges, delegators, receipt_images, trips) take `?user=<login>` (that user's
 * view; without it, every user's records, user by user). delegators: `?includeInactive=Y` adds the inactive
 * ones (default N, as the API). trips: `?includeCanceledTrips=true` adds canceled trips and TripStatus,
 * `?includeVirtualTrip=1` adds virtual trips (both as the API); trips are not limited by any date window.
 */

export interface SimQuery {
  readonly query: Query;
  readonly base: string;
  readonly companyId: string;
}

export interface ExtraCollection {
  readonly records: (t: Tenant, q: SimQuery) => Iterable<unknown>;
  /** Reject bad parameters before the 200 status line is sent. */
  readonly validate?: (t: Tenant, q: SimQuery) => void;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** Users selected by ?user=<login> (all users without it). */
function selectedUsers(t: Tenant, q: SimQuery): number[] {
  const login = q.query.get('user');
  if (login === undefined || login === '') return range(t.users.length);
  const u = t.userByLogin(login);
  return u === undefined ? [] : [u];
}

const validateUser = (t: Tenant, q: SimQuery): void => {
  const login = q.query.get('user');
  if (login !== undefined && login !== '' && t.userByLogin(login) === undefined) throw new ApiError(404, `No user '${login}'.`);
};

export const EXTRA_COLLECTIONS: Readonly<Record<string, ExtraCollection>> = {
  // ?visibleTo=<login>: what that user's token sees (shared attendees and the user's own); ?visibleTo=company:
  // what a company token sees without a user (shared only); neither: every attendee (user=ALL).
  attendees: {
    validate: (t, q) => {
      const who = q.query.get('visibleTo');
      if (who !== undefined && who !== '' && who !== 'company' && t.userByLogin(who) === undefined) throw new ApiError(404, `No user '${who}'.`);
    },
    records: function* (t, q) {
      const who = q.query.get('visibleTo');
      const viewer = who === undefined || who === '' ? undefined : who === 'company' ? null : (t.userByLogin(who) ?? null);
      for (let a = 0; a < t.attendeeCount; a++) if (viewer === undefined || attendeeVisibleTo(t, a, viewer)) yield buildAttendee(t, a, q.base);
    },
  },
  // Attendees v4, owner by owner in user order; ?user=<login>: that user's own (what their token lists).
  attendees_v4: {
    validate: validateUser,
    records: function* (t, q) {
      for (const u of selectedUsers(t, q)) for (let j = 0; j < attendeeV4Count(t, u); j++) yield attendeeV4Record(t, u, j, q.base);
    },
  },
  attendee_types: { records: (t, q) => ATTENDEE_TYPE_CONFIG.map((_, i) => attendeeTypeRecord(t, i, q.base)) },
  group_configurations: { records: (t, q) => range(groupCount()).map((g) => groupConfigRecord(t, g, q.base)) },
  lists: { records: (t, q) => LISTS.map((_, i) => listRecord(t, i, q.base)) },
  list_items: { records: (t, q) => LIST_ITEMS.map((_, i) => listItemRecord(t, i, q.base)) },
  locations: {
    records: function* (t, q) {
      for (let i = 0; i < locationCount(t); i++) yield locationRecord(t, i, q.base);
    },
  },
  receipt_images: {
    validate: validateUser,
    records: function* (t, q) {
      for (const u of selectedUsers(t, q)) for (let j = 0; j < receiptImageCount(t, u); j++) yield receiptImageRecord(t, u, j, q.base);
    },
  },
  card_charges: {
    validate: validateUser,
    records: function* (t, q) {
      for (const u of selectedUsers(t, q)) yield* cardCharges(t, u);
    },
  },
  delegators: {
    validate: (t, q) => {
      validateUser(t, q);
      const flag = (q.query.get('includeInactive') ?? 'N').toUpperCase();
      if (flag !== 'Y' && flag !== 'N') throw new ApiError(400, "includeInactive must be Y or N.");
    },
    records: function* (t, q) {
      const all = (q.query.get('includeInactive') ?? 'N').toUpperCase() === 'Y';
      for (const u of selectedUsers(t, q)) for (const d of delegations(t, u)) if (all || d.active) yield d.record;
    },
  },
  form_types: { records: () => FORM_TYPES },
  forms: { records: (t) => FORMS.map((f) => ({ ...formData(t, f), FormCode: f.code })) },
  form_fields: {
    records: function* (t) {
      for (const form of FORMS) for (const field of formFields(t, form)) yield { ...field, FormId: formId(t, form.index) };
    },
  },
  extract_definitions: { records: (t, q) => EXTRACT_DEFINITIONS.map((_, d) => definitionRecord(t, d, q.base)) },
  extract_jobs: {
    records: function* (t, q) {
      for (let d = 0; d < EXTRACT_DEFINITIONS.length; d++) {
        for (const s of listedJobs(t, d)) yield { ...jobRecord(t, d, s, q.base), DefinitionID: definitionId(t, d) };
      }
    },
  },
  report_details: {
    records: function* (t, q) {
      for (let r = 0; r < t.reportCount; r++) yield reportDetails(t, r, q.base);
    },
  },
  trips: {
    validate: validateUser,
    records: function* (t, q) {
      const canceled = (q.query.get('includeCanceledTrips') ?? '').toLowerCase() === 'true';
      const virtual = q.query.get('includeVirtualTrip') === '1';
      const login = q.query.get('user');
      const only = login === undefined || login === '' ? undefined : t.userByLogin(login);
      for (let i = 0; i < t.trips.count; i++) {
        if (only !== undefined && tripOwner(t, i) !== only) continue;
        const core = tripCore(t, i);
        if (!canceled && core.status === TRIP_CANCELED) continue;
        if (!virtual && core.virtual) continue;
        yield tripRecord(t, core, q.base, canceled);
      }
    },
  },
  identity_users: {
    records: function* (t, q) {
      for (let u = 0; u < t.users.length; u++) yield scimUser(t, u, q.base, q.companyId);
    },
  },
  // Every attendee type, the deleted one included (the API lists them all).
  attendee_types_v4: { records: (t) => ATTENDEE_TYPES_V4.map((_, i) => attendeeTypeV4Record(t, i)) },
  // Every expense group whole, with its policies, payment types and attendee types (Expense Configuration v4);
  // ?user=<login>: that user's own group (what their token reads).
  group_configurations_v4: {
    validate: validateUser,
    records: (t, q) => {
      const login = q.query.get('user');
      const u = login === undefined || login === '' ? undefined : t.userByLogin(login);
      return u === undefined ? allGroupConfigsV4(t) : [groupConfigV4(t, userGroup(t, u), APPLICABLE_CONFIGS)];
    },
  },
  // The lists GET /list/v4/lists answers without a filter: the live ones.
  lists_v4: {
    records: function* (t) {
      for (let l = 0; l < LISTS_V4.length; l++) if (LISTS_V4[l]?.deleted !== true) yield listV4Record(t, l);
    },
  },
  // Every item of every live list, deleted items included (read with isDeleted=true).
  list_items_v4: {
    records: function* (t) {
      for (let i = 0; i < LIST_ITEMS_V4.length; i++) {
        const item = LIST_ITEMS_V4[i];
        if (item !== undefined && LISTS_V4[item.list]?.deleted !== true) yield { ...listItemV4Record(t, i), listId: listV4Id(t, item.list) };
      }
    },
  },
  user_profiles: {
    records: function* (t) {
      for (let u = 0; u < t.users.length; u++) yield userProfile(t, u);
    },
  },
};
