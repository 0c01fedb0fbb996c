/**
 * API families by lifecycle (docs/concur-api.md#status-of-each-api-the-streams-read). Since 2026-03 Concur answers deprecated endpoints with an
 * `x-api-warn` header naming the replacement and a `sunset` header with the planned decommission date;
 * `--decommissioned NAME` switches a family off (HTTP 410, message naming the replacement).
 */

export const API_NAMES = [
  'attendees',
  'attendee-types',
  'group-configurations',
  'locations',
  'list-items',
  'receipt-images',
  'card-charges',
  'delegators',
  'expense-form',
  'extracts',
  'reports-v2',
  'itinerary',
  'user-v1',
  'identity',
] as const;
export type ApiName = (typeof API_NAMES)[number];

export interface ApiInfo {
  readonly title: string;
  readonly replacement: string;
  /** Deprecated APIs carry x-api-warn and sunset on every response; null = active. */
  readonly deprecation: { readonly warn: string; readonly sunset: string } | null;
}

const warn = (title: string, replacement: string): string => `${title} is deprecated and will be decommissioned. Use ${replacement} instead.`;

/**
 * Sunset dates: the deprecation date + the 12-month minimum of the deprecation policy. v3 families send an
 * HTTP-date, the older XML families a plain date (both forms occur; the connector must read either).
 */
export const APIS: Readonly<Record<ApiName, ApiInfo>> = {
  attendees: {
    title: 'Attendees v3',
    replacement: 'Attendees v4 (/v4/attendees)',
    deprecation: { warn: warn('Attendees v3', 'Attendees v4 (/v4/attendees)'), sunset: 'Wed, 01 Jul 2026 00:00:00 GMT' },
  },
  'attendee-types': {
    title: 'Attendee Types v3',
    replacement: 'Attendee Types v4 (/v4/attendeetypes)',
    deprecation: { warn: warn('Attendee Types v3', 'Attendee Types v4 (/v4/attendeetypes)'), sunset: 'Fri, 10 Jul 2026 00:00:00 GMT' },
  },
  'group-configurations': {
    title: 'Expense Group Configurations v3',
    replacement: 'Expense Configuration v4',
    deprecation: { warn: warn('Expense Group Configurations v3', 'Expense Configuration v4'), sunset: 'Fri, 26 Jun 2026 00:00:00 GMT' },
  },
  locations: {
    title: 'Locations v3',
    replacement: 'Localities v5',
    deprecation: { warn: warn('Locations v3', 'Localities v5'), sunset: 'Sat, 10 Oct 2026 00:00:00 GMT' },
  },
  'list-items': {
    title: 'Lists v3 / List Items v3',
    replacement: 'List v4 and List Item v4 (/list/v4)',
    deprecation: { warn: warn('Lists v3 / List Items v3', 'List v4 and List Item v4 (/list/v4)'), sunset: 'Sat, 16 Apr 2022 00:00:00 GMT' },
  },
  'receipt-images': { title: 'Receipt Image v3', replacement: 'Spend Documents v4', deprecation: null },
  'card-charges': {
    title: 'Company Card Transactions v1.1 (CardCharges)',
    replacement: 'Cards v4 (transactions by user)',
    deprecation: { warn: warn('Company Card Transactions v1.1', 'Cards v4 (transactions by user)'), sunset: '2027-06-08' },
  },
  delegators: { title: 'Expense Delegators v1.1', replacement: 'Expense Delegators v1.1', deprecation: null },
  'expense-form': { title: 'Expense Form v1.1', replacement: 'Expense v4 form field APIs', deprecation: null },
  extracts: { title: 'Extracts v1', replacement: 'Financial Integration Service v4', deprecation: null },
  'reports-v2': {
    title: 'Expense Report v2',
    replacement: 'Reports v3 (/api/v3.0/expense/reports) or Reports v4',
    deprecation: { warn: warn('Expense Report v2', 'Reports v3 (/api/v3.0/expense/reports) or Reports v4'), sunset: '2027-02-01' },
  },
  itinerary: { title: 'Itinerary (Trips) v1.1', replacement: 'Itinerary v4', deprecation: null },
  'user-v1': {
    title: 'User v1',
    replacement: 'Identity v4.1 (/profile/identity/v4.1/Users)',
    deprecation: { warn: warn('User v1', 'Identity v4.1 (/profile/identity/v4.1/Users)'), sunset: '2023-11-10' },
  },
  identity: { title: 'Identity v4.1', replacement: 'Identity v4.1', deprecation: null },
};

export function isApiName(name: string): name is ApiName {
  return (API_NAMES as readonly string[]).includes(name);
}

export function decommissionedMessage(api: ApiName): string {
  const info = APIS[api];
  return `${info.title} has been decommissioned and is no longer available. Use ${info.replacement}.`;
}
