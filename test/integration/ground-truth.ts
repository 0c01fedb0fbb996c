import { expect } from 'vitest';
import { reportRecords } from '../helpers/fault-report.js';
import { records, type CliResult } from '../helpers/run-cli.js';
import type { Simulator } from '../helpers/simulator.js';
import { EVERY_TRIP, withoutAddedFields, type Json } from './support.js';

// The simulator's ground truth for every one of the twenty-five streams, as a given credential sees it, and the
// comparison of a read against it (shared by the all-streams and fault-matrix tests).

export const ALL_STREAMS = [
  'expense_reports',
  'expense_reports_detail',
  'expense_entries',
  'expense_itemizations',
  'expense_allocations',
  'entry_attendee_associations',
  'expense_attendees',
  'attendees_v4',
  'expense_attendee_types',
  'attendee_types_v4',
  'expense_group_configurations',
  'expense_group_configurations_v4',
  'expense_form',
  'expense_delegators',
  'company_card_transactions',
  'receipt_images',
  'reports_detail',
  'list_items',
  'lists_v4',
  'list_items_v4',
  'locations',
  'extract_definitions',
  'extract_jobs',
  'travel_itineraries',
  'user_information',
] as const;
export type Stream = (typeof ALL_STREAMS)[number];

/** Streams whose API answers company-level tokens only: a user token's discover does not offer them. */
export const COMPANY_TOKEN_STREAMS: readonly Stream[] = ['attendee_types_v4'];

/** Key order does not matter to anyone downstream; values and nesting do. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Json).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

const lastSegment = (url: unknown): string => String(url).split('/').filter(Boolean).at(-1) ?? '';
const utc = (value: unknown): string | null => (typeof value === 'string' ? new Date(/Z|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`).toISOString() : null);
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/**
 * A SCIM user as user_information must carry it, written out here rather than taken from the connector: the User v1
 * columns where the APIs share a fact, every other attribute beside them (docs/sap-concur.md#user_information).
 */
export function identityRecord(u: Json): Json {
  const name = (u['name'] ?? {}) as Json;
  const meta = (u['meta'] ?? {}) as Json;
  const ent = (u[ENTERPRISE] ?? {}) as Json;
  const manager = (ent['manager'] ?? {}) as Json;
  const emails = (u['emails'] ?? []) as Json[];
  const opt = (value: unknown): unknown => value ?? null;
  return {
    LoginId: u['userName'],
    FirstName: opt(name['givenName']),
    LastName: opt(name['familyName']),
    Mi: opt(name['middleInitial']),
    EmailAddress: opt((emails.find((e) => e['type'] === 'work') ?? emails[0])?.['value']),
    EmpId: opt(ent['employeeNumber']),
    Active: u['active'],
    IdentityId: u['id'],
    ExternalId: opt(u['externalId']),
    DisplayName: opt(u['displayName']),
    Title: opt(u['title']),
    PreferredLanguage: opt(u['preferredLanguage']),
    Timezone: opt(u['timezone']),
    CompanyId: opt(ent['companyId']),
    CostCenter: opt(ent['costCenter']),
    Department: opt(ent['department']),
    Division: opt(ent['division']),
    ManagerId: opt(manager['value']),
    StartDate: utc(ent['startDate']),
    TerminationDate: utc(ent['terminationDate']),
    Created: utc(meta['created']),
    LastModified: utc(meta['lastModified']),
    MiddleName: opt(name['middleName']),
    FormattedName: opt(name['formatted']),
    HonorificPrefix: opt(name['honorificPrefix']),
    HonorificSuffix: opt(name['honorificSuffix']),
    FamilyNamePrefix: opt(name['familyNamePrefix']),
    AcademicTitle: opt(name['academicTitle']),
    LegalName: opt(name['legalName']),
    NickName: opt(u['nickName']),
    DateOfBirth: opt(u['dateOfBirth']),
    Emails: opt(u['emails']),
    Addresses: opt(u['addresses']),
    PhoneNumbers: opt(u['phoneNumbers']),
    EmergencyContacts: opt(u['emergencyContacts']),
    Entitlements: opt(u['entitlements']),
    LocaleOverrides: opt(u['localeOverrides']),
    Schemas: opt(u['schemas']),
    MetaResourceType: opt(meta['resourceType']),
    MetaVersion: opt(meta['version']),
    MetaLocation: opt(meta['location']),
    ManagerDisplayName: opt(manager['displayName']),
    ManagerEmployeeNumber: opt(manager['employeeNumber']),
    Organization: opt(ent['organization']),
    LegalEntity: opt(ent['legalEntity']),
    LeavesOfAbsence: opt(ent['leavesOfAbsence']),
    SapUserUuid: opt(((u['urn:ietf:params:scim:schemas:extension:sap:2.0:User'] ?? {}) as Json)['userUuid']),
    Theme: opt(((u['urn:ietf:params:scim:schemas:extension:settings:2.0:User'] ?? {}) as Json)['theme']),
  };
}

const omit = (record: Json, ...fields: string[]): Json => Object.fromEntries(Object.entries(record).filter(([k]) => !fields.includes(k)));

export interface Expectation {
  /** The records as the connector should emit them (connector-added fields included where derivable). */
  records: Json[];
  key: (record: Json) => string;
  /** What of an emitted record is compared (connector-added fields that depend on the read are dropped). */
  emitted?: (record: Json) => Json;
}

/** The simulator's ground truth for every stream, as seen by `viewer` (a login, or the company token). */
export async function groundTruth(sim: Simulator, viewer: { login: string } | 'company'): Promise<Map<Stream, Expectation>> {
  const asUser = viewer === 'company' ? undefined : viewer.login;
  const perUser = async (collection: 'receipt_images' | 'card_charges' | 'delegators'): Promise<Json[]> =>
    asUser === undefined ? [] : sim.data<Json>(collection, { user: asUser });
  const byId = (field: string) => (r: Json): string => String(r[field]);
  const [reports, entries, itemizations, allocations, links] = await Promise.all([
    sim.data<Json>('reports'),
    sim.data<Json>('entries'),
    sim.data<Json>('itemizations'),
    sim.data<Json>('allocations'),
    sim.data<Json>('entry_attendee_associations'),
  ]);
  const formTypes = new Map((await sim.data<Json>('form_types')).map((t) => [t['FormCode'], t['Name']]));
  const fields = await sim.data<Json>('form_fields');
  const forms = (await sim.data<Json>('forms')).map((form) => ({
    ...form,
    FormTypeName: formTypes.get(form['FormCode']),
    Fields: fields.filter((f) => f['FormId'] === form['FormId']).map((f) => omit(f, 'FormId')),
  }));
  const child = { key: byId('ID'), emitted: withoutAddedFields };
  const users =
    viewer === 'company'
      ? (await sim.data<Json>('identity_users')).map(identityRecord)
      : (await sim.data<Json>('user_profiles')).filter((p) => p['LoginId'] === viewer.login);
  return new Map<Stream, Expectation>([
    ['expense_reports', { records: reports, key: byId('ID') }],
    ['expense_reports_detail', { records: reports, key: byId('ID') }],
    ['expense_entries', { records: entries, ...child }],
    ['expense_itemizations', { records: itemizations, ...child }],
    ['expense_allocations', { records: allocations, ...child }],
    ['entry_attendee_associations', { records: links, ...child }],
    ['expense_attendees', { records: await sim.data<Json>('attendees', { visibleTo: asUser ?? 'company' }), key: byId('ID') }],
    // Attendees v4 per owner: every user's own with a company token, the token user's own with a user token.
    ['attendees_v4', { records: await sim.data<Json>('attendees_v4', asUser === undefined ? {} : { user: asUser }), key: byId('id') }],
    ['expense_attendee_types', { records: await sim.data<Json>('attendee_types'), key: byId('ID') }],
    ['expense_group_configurations', { records: await sim.data<Json>('group_configurations'), key: byId('ID') }],
    // Every group of the company with a company token; the token user's own group with a user token.
    ['expense_group_configurations_v4', { records: await sim.data<Json>('group_configurations_v4', asUser === undefined ? {} : { user: asUser }), key: byId('hierarchyNodeId') }],
    ['expense_form', { records: forms, key: byId('FormId') }],
    ['expense_delegators', { records: await perUser('delegators'), key: byId('DelegatorXUserID') }],
    // The key is the connector's (a hash); the content must match charge for charge.
    ['company_card_transactions', { records: await perUser('card_charges'), key: (r) => canonical(omit(r, 'TransactionKey')), emitted: (r) => omit(r, 'TransactionKey') }],
    ['receipt_images', { records: await perUser('receipt_images'), key: byId('ID') }],
    ['reports_detail', { records: await sim.data<Json>('report_details'), key: byId('ReportID'), emitted: (r) => omit(r, 'ReportModifiedBefore') }],
    ['list_items', { records: await sim.data<Json>('list_items'), key: byId('ID') }],
    // A user token cannot read Attendee Types v4: nothing is expected of it there.
    ['attendee_types_v4', { records: viewer === 'company' ? await sim.data<Json>('attendee_types_v4') : [], key: byId('id') }],
    ['lists_v4', { records: await sim.data<Json>('lists_v4'), key: byId('id') }],
    // An item is keyed per list (listId, which the connector adds, and id).
    ['list_items_v4', { records: await sim.data<Json>('list_items_v4'), key: (r) => `${String(r['listId'])}/${String(r['id'])}` }],
    ['locations', { records: await sim.data<Json>('locations'), key: byId('ID') }],
    ['extract_definitions', { records: (await sim.data<Json>('extract_definitions')).map((d) => ({ ...d, definition_id: lastSegment(d['id']) })), key: byId('id') }],
    [
      'extract_jobs',
      {
        records: (await sim.data<Json>('extract_jobs')).map((j) => ({
          ...omit(j, 'DefinitionID'),
          'start-time': utc(j['start-time']),
          'stop-time': utc(j['stop-time']),
          job_id: lastSegment(j['id']),
          definition_id: j['DefinitionID'],
        })),
        key: byId('id'),
      },
    ],
    ['travel_itineraries', { records: await sim.data<Json>('trips', EVERY_TRIP), key: byId('TripId') }],
    // Identity users whole: the User v1 column names where they share a fact, every other attribute beside them.
    [
      'user_information',
      viewer === 'company'
        ? { records: users, key: byId('LoginId') }
        : // The schema holds the Identity fields too; User v1 has no value for them (null).
          { records: users, key: byId('LoginId'), emitted: (r) => Object.fromEntries(Object.entries(r).filter(([k, v]) => v !== null || k in (users[0] ?? {}))) },
    ],
  ]);
}

interface Difference {
  emitted: number;
  expected: number;
  lost: string[];
  duplicated: string[];
  unexpected: string[];
  different: string[];
}

function differences(emitted: readonly Json[], expectation: Expectation): Difference {
  const view = expectation.emitted ?? ((r: Json) => r);
  const expected = new Map<string, Json[]>();
  for (const record of expectation.records) {
    const key = expectation.key(record);
    expected.set(key, [...(expected.get(key) ?? []), record]);
  }
  const seen = new Map<string, number>();
  const result: Difference = { emitted: emitted.length, expected: expectation.records.length, lost: [], duplicated: [], unexpected: [], different: [] };
  for (const record of emitted) {
    const shown = view(record);
    const key = expectation.key(shown);
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    const candidates = expected.get(key);
    if (!candidates) result.unexpected.push(key);
    else if (n > candidates.length) result.duplicated.push(key);
    else if (!candidates.some((c) => canonical(c) === canonical(shown))) result.different.push(`${key}: ${canonical(shown).slice(0, 300)}`);
  }
  for (const [key, list] of expected) if ((seen.get(key) ?? 0) < list.length) result.lost.push(key);
  return result;
}

/** Reports (npm run test:faults) what a read emitted for a stream against the ground truth; asserts nothing. */
export function measureRecords(result: CliResult, stream: Stream, expectation: Expectation | undefined, where: { suite: string; family: string; scenario: string }): void {
  if (expectation) reportRecords(where, stream, differences(records(result.messages, stream), expectation));
}

export function expectSameRecords(result: CliResult, stream: Stream, expectation: Expectation | undefined): void {
  if (!expectation) throw new Error(`no ground truth for ${stream}`);
  const d = differences(records(result.messages, stream), expectation);
  expect({ stream, lost: d.lost.slice(0, 5), duplicated: d.duplicated.slice(0, 5), unexpected: d.unexpected.slice(0, 5), different: d.different.slice(0, 2) }).toEqual({
    stream,
    lost: [],
    duplicated: [],
    unexpected: [],
    different: [],
  });
  expect(d.emitted).toBe(d.expected);
}

export const TOKEN_USER_STREAMS: readonly Stream[] = ['expense_delegators', 'company_card_transactions', 'receipt_images'];
