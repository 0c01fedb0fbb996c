import { describe, expect, it } from 'vitest';
import { fromIdentity } from '../../../src/streams/identity/scim-user.js';
import { userInformation } from '../../../src/streams/identity/user-information.js';
import { runStream } from './harness.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** SAP's "Retrieve a User's Identity Profile" response (Identity v4.1 reference), with the extensions filled in. */
const SAP_SAMPLE = {
  localeOverrides: {
    preferenceEndDayViewHour: 20,
    preferenceFirstDayOfWeek: 'Sunday',
    preferenceDateFormat: 'mm/dd/yyyy',
    preferenceCurrencySymbolLocation: 'BeforeAmount',
    preferenceHourMinuteSeparator: ':',
    preferenceDistance: 'mile',
    preferenceDefaultCalView: 'month',
    preference24Hour: 'H:mm AM/PM',
    preferenceNumberFormat: '1,000.00',
    preferenceStartDayViewHour: 8,
    preferenceNegativeCurrencyFormat: null,
    preferenceNegativeNumberFormat: null,
  },
  addresses: [],
  timezone: 'America/New_York',
  meta: {
    resourceType: 'User',
    created: '2021-11-17T22:44:09.000164Z',
    lastModified: '2021-11-17T22:48:31.000891Z',
    version: 4,
    location: 'https://us.api.concursolutions.com/profile/identity/v4.1/Users/3df11695-e8bb-40ff-8e98-c85913ab2789',
  },
  displayName: 'John Doe',
  name: { familyName: 'Doe', givenName: 'John', honorificSuffix: 'VI', familyNamePrefix: null },
  phoneNumbers: [],
  emergencyContacts: null,
  preferredLanguage: 'en-US',
  title: null,
  dateOfBirth: null,
  nickName: null,
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE, 'urn:ietf:params:scim:schemas:extension:sap:2.0:User'],
  externalId: '1234_externalId',
  active: true,
  id: '3df11695-e8bb-40ff-8e98-c85913ab2789',
  emails: [{ verified: false, type: 'work', value: 'John11_17_1@sap.com', notifications: true }],
  userName: 'John11_17_1@sap.com',
  [ENTERPRISE]: {
    terminationDate: null,
    companyId: 'aa076ada-80a9-4f57-8e98-9300b1c3171d',
    manager: null,
    costCenter: null,
    startDate: '2021-11-17T00:00:00.000',
    employeeNumber: '1234_employeeNumber',
  },
  'urn:ietf:params:scim:schemas:extension:sap:2.0:User': { userUuid: '0f2f1a8e-8c1f-4c53-b8a1-7d3c1b0e9a11' },
};

describe('Identity v4.1 user → user_information record', () => {
  it("SAP's sample, whole: the User v1 columns, then every other attribute (lists and objects as SAP names them inside)", () => {
    expect(fromIdentity(SAP_SAMPLE)).toEqual({
      LoginId: 'John11_17_1@sap.com',
      FirstName: 'John',
      LastName: 'Doe',
      Mi: null,
      EmailAddress: 'John11_17_1@sap.com',
      EmpId: '1234_employeeNumber',
      Active: true,
      IdentityId: '3df11695-e8bb-40ff-8e98-c85913ab2789',
      ExternalId: '1234_externalId',
      DisplayName: 'John Doe',
      Title: null,
      PreferredLanguage: 'en-US',
      Timezone: 'America/New_York',
      CompanyId: 'aa076ada-80a9-4f57-8e98-9300b1c3171d',
      CostCenter: null,
      Department: null,
      Division: null,
      ManagerId: null,
      StartDate: '2021-11-17T00:00:00.000Z',
      TerminationDate: null,
      Created: '2021-11-17T22:44:09.000Z',
      LastModified: '2021-11-17T22:48:31.000Z',
      MiddleName: null,
      FormattedName: null,
      HonorificPrefix: null,
      HonorificSuffix: 'VI',
      FamilyNamePrefix: null,
      AcademicTitle: null,
      LegalName: null,
      NickName: null,
      DateOfBirth: null,
      Emails: [{ verified: false, type: 'work', value: 'John11_17_1@sap.com', notifications: true }],
      Addresses: [],
      PhoneNumbers: [],
      EmergencyContacts: null,
      Entitlements: null,
      LocaleOverrides: SAP_SAMPLE.localeOverrides,
      Schemas: SAP_SAMPLE.schemas,
      MetaResourceType: 'User',
      MetaVersion: 4,
      MetaLocation: SAP_SAMPLE.meta.location,
      ManagerDisplayName: null,
      ManagerEmployeeNumber: null,
      Organization: null,
      LegalEntity: null,
      LeavesOfAbsence: null,
      SapUserUuid: '0f2f1a8e-8c1f-4c53-b8a1-7d3c1b0e9a11',
      Theme: null,
    });
  });

  it('keeps every email, address, phone, contact and leave; the primary (else work) email is EmailAddress; manager and extensions are columns', () => {
    const emails = [
      { value: 'home@mail.example', type: 'home', verified: false },
      { value: 'work@example.com', type: 'work', verified: true },
    ];
    const addresses = [{ type: 'home', streetAddress: '1 Main St\nApt 2', locality: 'Bellevue', region: 'WA', postalCode: '98004', country: 'US' }];
    const phones = [{ type: 'mobile', value: '+1 4255550100', primary: true, notifications: true, issuingCountry: 'US' }];
    const contacts = [{ name: 'Pat Doe', relationship: 'Spouse', phones: ['+1 4255550101'], emails: [] }];
    const leaves = [{ startDate: '2024-03-01', endDate: '2024-06-01', type: 'voluntary' }];
    const record = fromIdentity({
      userName: 'j@example.com',
      name: { givenName: 'Jane', familyName: 'Roe', middleName: 'Q', middleInitial: 'Q', formatted: 'Roe, Jane Q', honorificPrefix: 'Dr.', academicTitle: 'Ph.D', legalName: 'Jane Q Roe' },
      nickName: 'JJ',
      dateOfBirth: '1980-02-29',
      emails,
      addresses,
      phoneNumbers: phones,
      emergencyContacts: contacts,
      entitlements: ['Expense', 'Travel'],
      [ENTERPRISE]: { manager: { value: 'M1', displayName: 'Max Boss', employeeNumber: 'E1' }, organization: 'Acme', legalEntity: 'Acme GmbH', leavesOfAbsence: leaves },
      'urn:ietf:params:scim:schemas:extension:settings:2.0:User': { theme: 'SAP Horizon Evening' },
    });
    expect(record).toMatchObject({
      EmailAddress: 'work@example.com',
      Emails: emails,
      Addresses: addresses,
      PhoneNumbers: phones,
      EmergencyContacts: contacts,
      Entitlements: ['Expense', 'Travel'],
      LeavesOfAbsence: leaves,
      MiddleName: 'Q',
      Mi: 'Q',
      FormattedName: 'Roe, Jane Q',
      HonorificPrefix: 'Dr.',
      AcademicTitle: 'Ph.D',
      LegalName: 'Jane Q Roe',
      NickName: 'JJ',
      DateOfBirth: '1980-02-29',
      ManagerId: 'M1',
      ManagerDisplayName: 'Max Boss',
      ManagerEmployeeNumber: 'E1',
      Organization: 'Acme',
      LegalEntity: 'Acme GmbH',
      Theme: 'SAP Horizon Evening',
      SapUserUuid: null,
    });
    expect(fromIdentity({ userName: 'x', emails: [...emails, { value: 'p@example.com', type: 'other', primary: true }] })['EmailAddress']).toBe('p@example.com');
  });
});

describe('user_information cursor (LastModified)', () => {
  const users = [
    { userName: 'old@example.com', meta: { lastModified: '2020-05-01T00:00:00Z' } },
    { userName: 'edited@example.com', meta: { lastModified: '2026-01-20T10:00:00.123456Z' } },
  ];
  const searches: unknown[] = [];
  const routes = {
    '/profile/identity/v4.1/Users': JSON.stringify({ totalResults: 2, Resources: users }),
    '/profile/identity/v4.1/Users/.search': (req: { body?: string }) => {
      searches.push(JSON.parse(req.body ?? 'null'));
      return JSON.stringify({ totalResults: 1, Resources: [users[1]] });
    },
  };

  it('a full refresh reads every user, whatever the configured start date (the range is about expense data)', async () => {
    const run = await runStream(userInformation, routes, { start: Date.UTC(2026, 0, 1) });
    expect(run.records.map((r) => r['LoginId'])).toEqual(['old@example.com', 'edited@example.com']);
  });

  it('an incremental read searches the users modified since the cursor (inclusive, SCIM filter in the body)', async () => {
    searches.length = 0;
    const run = await runStream(userInformation, routes, { incremental: true, state: { cursor: '2026-01-01T00:00:00.000Z' } });
    expect(run.records.map((r) => r['LoginId'])).toEqual(['edited@example.com']);
    expect(searches).toEqual([{ schemas: ['urn:ietf:params:scim:api:messages:concur:2.0:SearchRequest'], filter: 'meta.lastModified ge "2026-01-01T00:00:00.000Z"', count: 1000 }]);
    const first = await runStream(userInformation, routes, { incremental: true, state: null });
    expect(first.records).toHaveLength(2);
  });
});
