// The simulator's ground truth for every stream as a company token sees it, and what a read lost against it.
// A port of test/integration/ground-truth.ts (company view only) to plain ESM, kept in step with it by hand.

const canonical = (value) =>
  JSON.stringify(value, (_key, v) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v));
const lastSegment = (url) => String(url).split('/').filter(Boolean).at(-1) ?? '';
const utc = (value) => (typeof value === 'string' ? new Date(/Z|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`).toISOString() : null);
const omit = (record, ...fields) => Object.fromEntries(Object.entries(record).filter(([k]) => !fields.includes(k)));
const byId = (field) => (record) => String(record[field]);
/** The connector adds the parent report's LastModifiedDate to child records; everything else is Concur's. */
const withoutAdded = (record) => omit(record, 'ReportLastModifiedDate');

/**
 * @typedef {{ records: object[], key: (r: object) => string, emitted?: (r: object) => object }} Expectation
 * @returns {Promise<Map<string, Expectation>>}
 */
export async function groundTruth(sim) {
  const [reports, entries, itemizations, allocations, links] = await Promise.all(['reports', 'entries', 'itemizations', 'allocations', 'entry_attendee_associations'].map((c) => sim.data(c)));
  const formTypes = new Map((await sim.data('form_types')).map((t) => [t.FormCode, t.Name]));
  const fields = await sim.data('form_fields');
  const forms = (await sim.data('forms')).map((form) => ({ ...form, FormTypeName: formTypes.get(form.FormCode), Fields: fields.filter((f) => f.FormId === form.FormId).map((f) => omit(f, 'FormId')) }));
  const child = { key: byId('ID'), emitted: withoutAdded };
  const none = (key) => ({ records: [], key });
  return new Map([
    ['expense_reports', { records: reports, key: byId('ID') }],
    ['expense_reports_detail', { records: reports, key: byId('ID') }],
    ['expense_entries', { records: entries, ...child }],
    ['expense_itemizations', { records: itemizations, ...child }],
    ['expense_allocations', { records: allocations, ...child }],
    ['entry_attendee_associations', { records: links, ...child }],
    ['expense_attendees', { records: await sim.data('attendees', { visibleTo: 'company' }), key: byId('ID') }],
    // Attendees v4 per owner: every user's own with a company token.
    ['attendees_v4', { records: await sim.data('attendees_v4'), key: byId('id') }],
    ['expense_attendee_types', { records: await sim.data('attendee_types'), key: byId('ID') }],
    ['attendee_types_v4', { records: await sim.data('attendee_types_v4'), key: byId('id') }],
    ['expense_group_configurations', { records: await sim.data('group_configurations'), key: byId('ID') }],
    ['expense_group_configurations_v4', { records: await sim.data('group_configurations_v4'), key: byId('hierarchyNodeId') }],
    ['expense_form', { records: forms, key: byId('FormId') }],
    // A company token owns no per-user data.
    ['expense_delegators', none(byId('DelegatorXUserID'))],
    ['company_card_transactions', { ...none((r) => canonical(omit(r, 'TransactionKey'))), emitted: (r) => omit(r, 'TransactionKey') }],
    ['receipt_images', none(byId('ID'))],
    ['reports_detail', { records: await sim.data('report_details'), key: byId('ReportID'), emitted: (r) => omit(r, 'ReportModifiedBefore') }],
    ['list_items', { records: await sim.data('list_items'), key: byId('ID') }],
    ['lists_v4', { records: await sim.data('lists_v4'), key: byId('id') }],
    // An item is keyed per list (listId, which the connector adds, and id).
    ['list_items_v4', { records: await sim.data('list_items_v4'), key: (r) => `${r.listId}/${r.id}` }],
    ['locations', { records: await sim.data('locations'), key: byId('ID') }],
    ['extract_definitions', { records: (await sim.data('extract_definitions')).map((d) => ({ ...d, definition_id: lastSegment(d.id) })), key: byId('id') }],
    [
      'extract_jobs',
      {
        records: (await sim.data('extract_jobs')).map((j) => ({ ...omit(j, 'DefinitionID'), 'start-time': utc(j['start-time']), 'stop-time': utc(j['stop-time']), job_id: lastSegment(j.id), definition_id: j.DefinitionID })),
        key: byId('id'),
      },
    ],
    ['travel_itineraries', { records: await sim.data('trips', { includeCanceledTrips: 'true', includeVirtualTrip: '1' }), key: byId('TripId') }],
    // Identity users mapped onto the User v1 names: the key set is what must match.
    ['user_information', { records: (await sim.data('identity_users')).map((u) => ({ LoginId: u.userName })), key: byId('LoginId'), emitted: (r) => ({ LoginId: r.LoginId }) }],
  ]);
}

/**
 * What a read emitted for a stream against its ground truth: records lost (expected and never emitted, or only
 * emitted with other content), duplicated and unexpected ones.
 */
export function differences(emitted, expectation) {
  const view = expectation.emitted ?? ((r) => r);
  const expected = new Map();
  for (const record of expectation.records) {
    const key = expectation.key(record);
    expected.set(key, [...(expected.get(key) ?? []), canonical(record)]);
  }
  const matched = new Map();
  const seen = new Map();
  let duplicated = 0;
  let unexpected = 0;
  for (const record of emitted) {
    const shown = view(record);
    const key = expectation.key(shown);
    seen.set(key, (seen.get(key) ?? 0) + 1);
    const candidates = expected.get(key);
    if (!candidates) unexpected++;
    else {
      if (seen.get(key) > candidates.length) duplicated++;
      if (candidates.includes(canonical(shown))) matched.set(key, (matched.get(key) ?? 0) + 1);
    }
  }
  const lost = [];
  for (const [key, list] of expected) if ((matched.get(key) ?? 0) < list.length) lost.push(key);
  return { emitted: emitted.length, expected: expectation.records.length, lost, duplicated, unexpected };
}
