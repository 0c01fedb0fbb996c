// The fault matrix of test/integration/fault-matrix.test.ts, as data for the benchmark: each stream family (the
// simulator's path filter for it) and each scenario's fault specs aimed at every family. Kept in step with that
// test by hand (a TypeScript test module cannot be imported here); the retries-exhausted runs are left out, as
// losing the failed streams is what they expect.

/** @typedef {{ path: string, format: 'json' | 'xml', streams: string[] }} Family */

/** @type {Record<string, Family>} */
export const FAMILIES = {
  'v3 JSON list': { path: '/api/v3.0/common/', format: 'json', streams: ['list_items', 'locations'] },
  'v3 child per report': { path: '/api/v3.0/expense/entries', format: 'json', streams: ['expense_entries'] },
  'XML v1.1': { path: '/expensereport/v1.1/', format: 'xml', streams: ['expense_form'] },
  'XML v2 list+detail': { path: '/expensereport/v2.0/', format: 'xml', streams: ['reports_detail'] },
  Extract: { path: '/api/expense/extract/', format: 'xml', streams: ['extract_definitions', 'extract_jobs'] },
  Itinerary: { path: '/api/travel/trip/', format: 'xml', streams: ['travel_itineraries'] },
  'Attendees v4': { path: '/v4/attendees', format: 'json', streams: ['attendees_v4'] },
  Identity: { path: '/profile/identity/', format: 'json', streams: ['user_information'] },
  'Attendee Types v4': { path: '/v4/attendeetypes', format: 'json', streams: ['attendee_types_v4'] },
  'List v4': { path: '/list/v4/', format: 'json', streams: ['lists_v4', 'list_items_v4'] },
  'Expense Configuration v4': { path: '/expenseconfig/v4/', format: 'json', streams: ['expense_group_configurations_v4'] },
};

const once = (name, extra = '') => (f) => [`${name}:path=${f.path},every=1,count=1${extra}`];

/**
 * @typedef {{ name: string, perFamily: (f: Family) => string[], global?: string[], flags?: string[], config?: object }} Scenario
 * @type {Scenario[]}
 */
export const SCENARIOS = [
  { name: '429 with Retry-After in seconds', perFamily: (f) => [...once('429')(f), ...(f.streams.includes('expense_entries') ? [`429:path=${f.path},every=7,count=3`] : [])] },
  { name: '429 with Retry-After as an HTTP-date', perFamily: once('429', ',retry-after=date') },
  { name: '429 without Retry-After', perFamily: once('429', ',retry-after=none') },
  { name: '500 bursts', perFamily: (f) => [`500:path=${f.path},every=1,burst=2,count=2`] },
  { name: '503 bursts', perFamily: (f) => [`503:path=${f.path},every=1,burst=2,count=2`] },
  { name: 'a latency spike past the client timeout', perFamily: once('slow', ',ms=6500'), config: { request_timeout_seconds: 5 } },
  { name: 'connection reset mid-body', perFamily: once('reset') },
  { name: 'truncated body', perFamily: once('truncate') },
  { name: 'malformed JSON', perFamily: (f) => (f.format === 'json' ? once('malformed-json')(f) : []) },
  { name: 'malformed XML', perFamily: (f) => (f.format === 'xml' ? once('malformed-xml')(f) : []) },
  { name: 'access token expiring mid-sync (401)', perFamily: (f) => [`token-expiry:after=1,path=${f.path},count=2`] },
  { name: 'access token expiring mid-sync (403)', perFamily: (f) => [`token-expiry:after=1,path=${f.path},count=2`], flags: ['--expired-token-status', '403'] },
  { name: 'refresh token rotating on every refresh', global: ['rotate-refresh'], perFamily: (f) => [`token-expiry:after=1,path=${f.path},count=2`] },
];

/** Every fault spec of a scenario: its run-wide ones, then each family's. */
export const specsOf = (scenario) => [...(scenario.global ?? []), ...Object.values(FAMILIES).flatMap((family) => scenario.perFamily(family))];
