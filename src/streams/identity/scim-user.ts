import { toUtc as utc } from '../../common/time.js';
import type { RecordData } from '../../engine/define.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const SAP = 'urn:ietf:params:scim:schemas:extension:sap:2.0:User';
const SETTINGS = 'urn:ietf:params:scim:schemas:extension:settings:2.0:User';

type Json = Record<string, unknown>;
const obj = (value: unknown): Json => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {});
const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const int = (value: unknown): number | null => (typeof value === 'number' && Number.isInteger(value) ? value : null);
/** A list as Concur sent it (its items untouched, for the schema to check); null when it sent none. */
const list = (value: unknown): unknown[] | null => (Array.isArray(value) ? value : null);
const object = (value: unknown): Json | null => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : null);

/**
 * A SCIM user (Identity v4.1) as a user_information record, whole: the User v1 column names where the two APIs
 * share a fact (so a sync that moved from User v1 keeps its columns), and every other attribute of SAP's
 * reference beside them. Scalars are columns of their own; lists and objects keep SAP's attribute names inside.
 */
export function fromIdentity(user: Json): RecordData {
  const name = obj(user['name']);
  const enterprise = obj(user[ENTERPRISE]);
  const manager = obj(enterprise['manager']);
  const emails = Array.isArray(user['emails']) ? user['emails'].map(obj) : [];
  // Concur marks no email primary in SAP's samples; where it does, that one is the user's address.
  const email = emails.find((e) => e['primary'] === true) ?? emails.find((e) => e['type'] === 'work') ?? emails[0];
  const meta = obj(user['meta']);
  return {
    LoginId: user['userName'],
    FirstName: str(name['givenName']),
    LastName: str(name['familyName']),
    Mi: str(name['middleInitial']),
    EmailAddress: str(email?.['value']),
    EmpId: str(enterprise['employeeNumber']),
    Active: typeof user['active'] === 'boolean' ? user['active'] : null,
    IdentityId: str(user['id']),
    ExternalId: str(user['externalId']),
    DisplayName: str(user['displayName']),
    Title: str(user['title']),
    PreferredLanguage: str(user['preferredLanguage']),
    Timezone: str(user['timezone']),
    CompanyId: str(enterprise['companyId']),
    CostCenter: str(enterprise['costCenter']),
    Department: str(enterprise['department']),
    Division: str(enterprise['division']),
    ManagerId: str(manager['value']),
    StartDate: utc(enterprise['startDate']),
    TerminationDate: utc(enterprise['terminationDate']),
    Created: utc(meta['created']),
    LastModified: utc(meta['lastModified']),
    MiddleName: str(name['middleName']),
    FormattedName: str(name['formatted']),
    HonorificPrefix: str(name['honorificPrefix']),
    HonorificSuffix: str(name['honorificSuffix']),
    FamilyNamePrefix: str(name['familyNamePrefix']),
    AcademicTitle: str(name['academicTitle']),
    LegalName: str(name['legalName']),
    NickName: str(user['nickName']),
    DateOfBirth: str(user['dateOfBirth']),
    Emails: list(user['emails']),
    Addresses: list(user['addresses']),
    PhoneNumbers: list(user['phoneNumbers']),
    EmergencyContacts: list(user['emergencyContacts']),
    Entitlements: list(user['entitlements']),
    LocaleOverrides: object(user['localeOverrides']),
    Schemas: list(user['schemas']),
    MetaResourceType: str(meta['resourceType']),
    MetaVersion: int(meta['version']),
    MetaLocation: str(meta['location']),
    ManagerDisplayName: str(manager['displayName']),
    ManagerEmployeeNumber: str(manager['employeeNumber']),
    Organization: str(enterprise['organization']),
    LegalEntity: str(enterprise['legalEntity']),
    LeavesOfAbsence: list(enterprise['leavesOfAbsence']),
    SapUserUuid: str(obj(user[SAP])['userUuid']),
    Theme: str(obj(user[SETTINGS])['theme']),
  };
}
