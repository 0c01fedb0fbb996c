import { DAY_MS } from '../format.js';
import { Rng, hash } from '../random.js';
import { GROUP_NAMES, userGroup } from './company-config.js';
import { COST_CENTERS, DEPARTMENTS, FIRST_NAMES } from './reference-data.js';
import { TAG } from './tags.js';
import type { Tenant } from './tenant.js';

/**
 * The people of the tenant as the user directories show them: Identity v4.1 (SCIM users, every tenant user;
 * rendered by scim-user.ts) and User v1 (XML UserProfile). Both describe the same users as the v3 data (same login, names, employee id,
 * approver), plus facts only a directory has (active flag, middle name, locale, dates).
 */

const YEAR_MS = 365 * DAY_MS;

export interface Locale {
  readonly language: string;
  readonly locale: string;
  readonly timezone: string;
}

const LOCALES: Readonly<Record<string, Locale>> = {
  'US-WA': { language: 'en-US', locale: 'en_US', timezone: 'America/Los_Angeles' },
  'US-NY': { language: 'en-US', locale: 'en_US', timezone: 'America/New_York' },
  'US-CA': { language: 'en-US', locale: 'en_US', timezone: 'America/Los_Angeles' },
  'CA-BC': { language: 'en-CA', locale: 'en_CA', timezone: 'America/Vancouver' },
  'GB-ENG': { language: 'en-GB', locale: 'en_GB', timezone: 'Europe/London' },
  'DE-BE': { language: 'de-DE', locale: 'de_DE', timezone: 'Europe/Berlin' },
};

/** The language, locale and time zone of users in a subdivision (US English, Pacific time elsewhere). */
export function localeOf(subdivision: string): Locale {
  return LOCALES[subdivision] ?? { language: 'en-US', locale: 'en_US', timezone: 'America/Los_Angeles' };
}

/** Directory facts of user u (drawn from their own stream, so v3 data never shifts). */
export interface DirectoryFacts {
  readonly active: boolean;
  readonly middleName: string | null;
  readonly externalId: string | null;
  readonly division: string | null;
  readonly createdMs: number;
  readonly modifiedMs: number;
  readonly startMs: number;
  readonly terminationMs: number | null;
  readonly version: number;
  readonly tripUser: boolean;
  readonly invoiceUser: boolean;
  readonly testUser: boolean;
  readonly cashAdvanceAccount: string | null;
}

export function directoryFacts(t: Tenant, u: number): DirectoryFacts {
  const rng = new Rng(hash(t.seed, TAG.identity, u));
  // The admin and user1 are always active; about 5% of the others have left.
  const active = u <= 1 || !rng.chance(0.05);
  const middleName = rng.chance(0.3) ? rng.pick(FIRST_NAMES) : null;
  const startMs = Date.UTC(2015, 0, 1) + rng.int(9 * 365) * DAY_MS;
  const createdMs = startMs - rng.range(1, 30) * DAY_MS + rng.int(DAY_MS);
  const terminationMs = active ? null : Math.min(t.config.toMs, startMs + rng.range(1, 8) * YEAR_MS);
  const modifiedMs = Math.max(createdMs, (terminationMs ?? t.config.fromMs) - rng.int(30) * DAY_MS);
  return {
    active,
    middleName,
    externalId: rng.chance(0.8) ? `HR-${String(10_000 + u * 7).padStart(6, '0')}` : null,
    division: rng.chance(0.6) ? rng.pick(['Americas', 'EMEA', 'Corporate']) : null,
    createdMs,
    modifiedMs,
    startMs,
    terminationMs,
    version: 1 + rng.int(9),
    tripUser: rng.chance(0.8),
    invoiceUser: u === 0 || rng.chance(0.1),
    testUser: u > 1 && rng.chance(0.02),
    cashAdvanceAccount: rng.chance(0.4) ? `14${String(10 + rng.int(90))}` : null,
  };
}

/** Semantic User v1 UserProfile, fields in the order of the User v1 reference's response table. */
export function userProfile(t: Tenant, u: number): Record<string, string | boolean | null> {
  const user = t.user(u);
  const facts = directoryFacts(t, u);
  const approver = t.user(user.approverIndex);
  const department = DEPARTMENTS[user.department];
  const costCenter = COST_CENTERS[user.costCenter];
  const locale = LOCALES[user.country.subdivision];
  const group = GROUP_NAMES[userGroup(t, u)] ?? 'Default';
  const profile: Record<string, string | boolean | null> = {
    LoginId: user.loginId,
    FirstName: user.firstName,
    LastName: user.lastName,
    Mi: facts.middleName === null ? null : facts.middleName.slice(0, 1),
    EmailAddress: user.loginId,
    EmpId: user.employeeId,
    Active: facts.active,
    OrgUnit1: department?.name ?? null,
    OrgUnit2: null,
    OrgUnit3: null,
    OrgUnit4: null,
    OrgUnit5: null,
    OrgUnit6: null,
    // List fields read '(code) name' (docs/concur-api.md#xml-conventions); cost centre names carry an '&'.
    Custom1: costCenter === undefined ? null : `(${costCenter.code}) ${costCenter.name}`,
  };
  for (let c = 2; c <= 20; c++) profile[`Custom${c}`] = null;
  profile['Custom21'] = `(${user.country.code}) ${group}`;
  // 'R&D' (written R&amp;D) for engineers and always for user1, so entity decoding is exercised.
  profile['LedgerName'] = department?.code === 'ENG' || u === 1 ? 'R&D' : 'Default';
  profile['LocaleName'] = locale?.locale ?? 'en_US';
  profile['CtryCode'] = user.country.code;
  profile['CrnCode'] = user.country.currency;
  profile['CtrySubCode'] = user.country.subdivision;
  profile['ExpenseUser'] = true;
  profile['ExpenseApprover'] = isApprover(t, u);
  profile['TripUser'] = facts.tripUser;
  profile['InvoiceUser'] = facts.invoiceUser;
  profile['InvoiceApprover'] = u === 0;
  profile['ExpenseApproverEmployeeID'] = approver.index === u ? null : approver.employeeId;
  profile['IsTestEmp'] = facts.testUser;
  profile['CashAdvanceAccountCode'] = facts.cashAdvanceAccount;
  return profile;
}

/**
 * Whether someone reports to user u (users.ts: users 1-5 report to the admin, the admin to user1, everyone
 * else to one of users 1-5), without scanning the users.
 */
export function isApprover(t: Tenant, u: number): boolean {
  const regular = t.users.length - 1;
  if (u === 0 || u === 1) return regular >= 1;
  return u <= 5 && u + 5 <= regular;
}
