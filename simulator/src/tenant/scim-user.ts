import { DAY_MS } from '../format.js';
import { Rng, hash, uuidFrom } from '../random.js';
import { directoryFacts, localeOf } from './identity.js';
import { COMPANY_NAME, COST_CENTERS, DEPARTMENTS, FIRST_NAMES, LAST_NAMES } from './reference-data.js';
import { TAG } from './tags.js';
import type { Tenant } from './tenant.js';

/**
 * A tenant user as Identity v4.1 serves it: the core User, the enterprise extension, and the SAP and settings
 * extensions, with the attributes and value sets of SAP's Identity v4.1 reference and its API explorer
 * (https://developer.concur.com/api-reference/profile/v4.1.identity.html). Like SAP's own samples, a user
 * without addresses or phone numbers has an empty list, and one without an emergency contact has null.
 */

export const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const SAP = 'urn:ietf:params:scim:schemas:extension:sap:2.0:User';
export const SETTINGS = 'urn:ietf:params:scim:schemas:extension:settings:2.0:User';

interface Place {
  readonly street: string;
  readonly locality: string;
  readonly region: string;
  readonly postalCode: string;
  readonly dialCode: string;
}

/** Office and home places by the user's subdivision (users.ts draws these six). */
const PLACES: Readonly<Record<string, Place>> = {
  'US-WA': { street: '601 108th Ave NE', locality: 'Bellevue', region: 'WA', postalCode: '98004', dialCode: '+1 425' },
  'US-NY': { street: '10 Hudson Yards', locality: 'New York', region: 'NY', postalCode: '10001', dialCode: '+1 212' },
  'US-CA': { street: '3410 Hillview Ave', locality: 'Palo Alto', region: 'CA', postalCode: '94304', dialCode: '+1 650' },
  'CA-BC': { street: '1095 W Pender St', locality: 'Vancouver', region: 'BC', postalCode: 'V6E 2M6', dialCode: '+1 604' },
  'GB-ENG': { street: '1 Poultry', locality: 'London', region: 'ENG', postalCode: 'EC2R 8EJ', dialCode: '+44 20' },
  'DE-BE': { street: 'Rosenthaler Str. 30', locality: 'Berlin', region: 'BE', postalCode: '10178', dialCode: '+49 30' },
};
const DEFAULT_PLACE = PLACES['US-WA'] as Place;

interface Formats {
  readonly dateFormat: string;
  readonly distance: 'mile' | 'km';
  readonly hour: 'H:mm AM/PM' | 'hh:mm';
  readonly numberFormat: string;
  readonly firstDay: string;
}

const US_FORMATS: Formats = { dateFormat: 'mm/dd/yyyy', distance: 'mile', hour: 'H:mm AM/PM', numberFormat: '1,000.00', firstDay: 'Sunday' };
const FORMATS: Readonly<Record<string, Formats>> = {
  US: US_FORMATS,
  CA: { dateFormat: 'yyyy-mm-dd', distance: 'km', hour: 'H:mm AM/PM', numberFormat: '1,000.00', firstDay: 'Sunday' },
  GB: { dateFormat: 'dd/mm/yyyy', distance: 'mile', hour: 'hh:mm', numberFormat: '1,000.00', firstDay: 'Monday' },
  DE: { dateFormat: 'dd.mm.yyyy', distance: 'km', hour: 'hh:mm', numberFormat: '1.000,00', firstDay: 'Monday' },
};

const HONORIFIC_PREFIXES = ['Mr.', 'Ms.', 'Mx.', 'Dr.'] as const;
const ACADEMIC_TITLES = ['Dr.', 'Prof.', 'MBA', 'Ph.D'] as const;
const RELATIONSHIPS = ['Spouse', 'Brother', 'Parent', 'Sister', 'Life Partner', 'Other'] as const;
const THEMES = ['Concur Gateway', 'SAP Quartz Light', 'SAP Horizon Morning', 'SAP Horizon Evening'] as const;

const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const digits = (rng: Rng, n: number): string => Array.from({ length: n }, () => String(rng.int(10))).join('');

/** When user u was last modified, as served (an edit by /_sim/mutate moves it). */
export function identityModifiedMs(t: Tenant, u: number): number {
  return t.identityEdits.of(u)?.modifiedMs ?? directoryFacts(t, u).modifiedMs;
}

/** A SCIM user exactly as Identity v4.1 serves it. */
export function scimUser(t: Tenant, u: number, base: string, companyId: string): Record<string, unknown> {
  const user = t.user(u);
  const facts = directoryFacts(t, u);
  const edit = t.identityEdits.of(u);
  // Attributes only the whole profile shows draw from their own stream, so the facts User v1 shares never shift.
  const rng = new Rng(hash(t.seed, TAG.identity, u, 1));
  const place = PLACES[user.country.subdivision] ?? DEFAULT_PLACE;
  const formats = FORMATS[user.country.code] ?? US_FORMATS;
  const locale = localeOf(user.country.subdivision);

  const generatedNick = rng.chance(0.15) ? rng.pick(FIRST_NAMES) : null;
  const nickName = edit?.nickName ?? generatedNick;
  const name: Record<string, unknown> = { givenName: user.firstName, familyName: user.lastName };
  if (facts.middleName !== null) {
    name['middleName'] = facts.middleName;
    name['middleInitial'] = facts.middleName.slice(0, 1);
  }
  name['formatted'] = `${user.lastName}, ${user.firstName}${facts.middleName === null ? '' : ` ${facts.middleName}`}`;
  if (rng.chance(0.5)) name['honorificPrefix'] = rng.pick(HONORIFIC_PREFIXES);
  if (rng.chance(0.05)) name['honorificSuffix'] = rng.pick(['Jr.', 'III']);
  if (rng.chance(0.05)) name['familyNamePrefix'] = rng.pick(['van', 'de', 'von']);
  if (rng.chance(0.1)) name['academicTitle'] = rng.pick(ACADEMIC_TITLES);
  if (rng.chance(0.2)) name['legalName'] = `${user.firstName}${facts.middleName === null ? '' : ` ${facts.middleName}`} ${user.lastName}`;

  const emails: Record<string, unknown>[] = [{ value: user.loginId, type: 'work', verified: true, notifications: facts.active }];
  if (rng.chance(0.25)) emails.push({ value: `${user.firstName}.${user.lastName}@mail.example`.toLowerCase(), type: 'home', verified: false, notifications: false });

  const addresses: Record<string, unknown>[] = [];
  if (rng.chance(0.9)) {
    addresses.push({ type: 'work', streetAddress: place.street, locality: place.locality, region: place.region, postalCode: place.postalCode, country: user.country.code });
  }
  if (rng.chance(0.3)) {
    // A street address may span lines (SAP: "This attribute MAY contain newlines").
    const street = `${10 + rng.int(980)} ${rng.pick(LAST_NAMES)} Street${rng.chance(0.5) ? `\nApt ${1 + rng.int(40)}` : ''}`;
    addresses.push({ type: 'home', streetAddress: street, locality: place.locality, region: place.region, postalCode: place.postalCode, country: user.country.code });
  }

  const phoneNumbers: Record<string, unknown>[] = [];
  const work = `${place.dialCode} 555 ${digits(rng, 4)}`;
  if (rng.chance(0.8)) {
    const phone: Record<string, unknown> = { type: 'work', value: work, display: work };
    if (rng.chance(0.3)) phone['workExtension'] = digits(rng, 3);
    phoneNumbers.push(phone);
  }
  if (rng.chance(0.6)) {
    const mobile = `${place.dialCode.split(' ')[0] ?? '+1'} 7${digits(rng, 9)}`;
    phoneNumbers.push({ type: 'mobile', value: mobile, display: mobile, primary: true, notifications: rng.chance(0.5), issuingCountry: user.country.code });
  }

  const emergencyContacts = rng.chance(0.4)
    ? [
        {
          name: `${rng.pick(FIRST_NAMES)} ${user.lastName}`,
          relationship: rng.pick(RELATIONSHIPS),
          phones: [`${place.dialCode} 555 ${digits(rng, 4)}`],
          emails: rng.chance(0.5) ? [`contact${u}@mail.example`] : [],
          streetAddress: place.street,
          locality: place.locality,
          region: place.region,
          postalCode: place.postalCode,
          country: user.country.code,
        },
      ]
    : null;

  const localeOverrides = {
    preferenceEndDayViewHour: 17 + rng.int(5),
    preferenceFirstDayOfWeek: formats.firstDay,
    preferenceDateFormat: formats.dateFormat,
    preferenceCurrencySymbolLocation: user.country.code === 'DE' ? 'AfterAmount' : 'BeforeAmount',
    preferenceHourMinuteSeparator: ':',
    preferenceDistance: formats.distance,
    preferenceDefaultCalView: rng.pick(['day', 'week', 'month']),
    preference24Hour: formats.hour,
    preferenceNumberFormat: formats.numberFormat,
    preferenceStartDayViewHour: 7 + rng.int(3),
    preferenceNegativeCurrencyFormat: rng.chance(0.5) ? rng.pick(['-100', '(100)']) : null,
    preferenceNegativeNumberFormat: rng.chance(0.5) ? rng.pick(['-100', '(100)']) : null,
  };
  const dateOfBirth = rng.chance(0.5) ? isoDay(Date.UTC(1960, 0, 1) + rng.int(40 * 365) * DAY_MS) : null;

  const manager = t.user(user.approverIndex);
  const enterprise: Record<string, unknown> = {
    companyId,
    employeeNumber: user.employeeId,
    costCenter: COST_CENTERS[user.costCenter]?.code ?? null,
    department: DEPARTMENTS[user.department]?.name ?? null,
    organization: COMPANY_NAME,
  };
  if (facts.division !== null) enterprise['division'] = facts.division;
  if (user.approverIndex !== u) {
    enterprise['manager'] = { value: manager.id, displayName: manager.displayName, employeeNumber: manager.employeeId };
  }
  enterprise['startDate'] = new Date(facts.startMs).toISOString();
  if (facts.terminationMs !== null) enterprise['terminationDate'] = new Date(facts.terminationMs).toISOString();
  if (rng.chance(0.5)) enterprise['legalEntity'] = `${COMPANY_NAME} (${user.country.code})`;
  if (rng.chance(0.1)) {
    const start = facts.startMs + (1 + rng.int(700)) * DAY_MS;
    const leave: Record<string, unknown> = { startDate: isoDay(start), type: rng.pick(['voluntary', 'mandatory']) };
    if (rng.chance(0.7)) leave['endDate'] = isoDay(start + (7 + rng.int(90)) * DAY_MS);
    enterprise['leavesOfAbsence'] = [leave];
  }
  const sapUuid = rng.chance(0.7) ? uuidFrom(hash(t.seed, TAG.identity, u, 2), hash(t.seed, TAG.identity, u, 3), hash(t.seed, TAG.identity, u, 4), hash(t.seed, TAG.identity, u, 5)) : null;
  const theme = rng.chance(0.3) ? rng.pick(THEMES) : null;

  const resource: Record<string, unknown> = {
    schemas: [CORE, ENTERPRISE, ...(sapUuid === null ? [] : [SAP]), ...(theme === null ? [] : [SETTINGS])],
    id: user.id,
    userName: user.loginId,
    active: facts.active,
    name,
    // SAP: given and family name, the nickName (the preferred name) in place of the given name when there is one.
    displayName: `${nickName ?? user.firstName} ${user.lastName}`,
    nickName,
    emails,
    addresses,
    phoneNumbers,
    emergencyContacts,
  };
  if (facts.externalId !== null) resource['externalId'] = facts.externalId;
  resource['title'] = user.title;
  resource['dateOfBirth'] = dateOfBirth;
  resource['preferredLanguage'] = locale.language;
  resource['timezone'] = locale.timezone;
  resource['localeOverrides'] = localeOverrides;
  resource['meta'] = {
    resourceType: 'User',
    created: new Date(facts.createdMs).toISOString(),
    lastModified: new Date(edit?.modifiedMs ?? facts.modifiedMs).toISOString(),
    version: facts.version + (edit?.count ?? 0),
    location: `${base}/profile/identity/v4.1/Users/${user.id}`,
  };
  resource[ENTERPRISE] = enterprise;
  if (sapUuid !== null) resource[SAP] = { userUuid: sapUuid };
  if (theme !== null) resource[SETTINGS] = { theme };
  return resource;
}
