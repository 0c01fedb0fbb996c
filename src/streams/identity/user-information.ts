import { toUtc as utc } from '../../common/time.js';
import { paginate, SCIM_PAGES } from '../../concur/paging.js';
import type { JsonSchemaNode } from '../../concur/xml.js';
import type { RecordData } from '../../engine/define.js';
import { singleUser, type StreamContext } from '../env.js';
import { concurStream } from '../stream.js';
import { decodeRecord, getXmlDocument } from '../xml/requests.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PAGE_SIZE = 1000; // v4.1: maximum count

type Json = Record<string, unknown>;
const obj = (value: unknown): Json => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {});
const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** A SCIM user in the user_information shape: the User v1 field names where Identity has the data, plus its own. */
export function fromIdentity(user: Json): RecordData {
  const name = obj(user['name']);
  const enterprise = obj(user[ENTERPRISE]);
  const emails = Array.isArray(user['emails']) ? user['emails'].map(obj) : [];
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
    ManagerId: str(obj(enterprise['manager'])['value']),
    StartDate: utc(enterprise['startDate']),
    TerminationDate: utc(enterprise['terminationDate']),
    Created: utc(meta['created']),
    LastModified: utc(meta['lastModified']),
  };
}

async function* identityUsers(ctx: StreamContext): AsyncGenerator<RecordData[]> {
  const users = paginate(ctx.options.client, SCIM_PAGES, { path: '/profile/identity/v4.1/Users', query: { count: PAGE_SIZE } }, ctx.signal, ctx.estimate);
  for await (const page of users) yield page.map(fromIdentity);
}

async function* userV1(ctx: StreamContext): AsyncGenerator<RecordData[]> {
  ctx.log.warn('user_information reads User v1, which SAP decommissioned in the US and EMEA data centers on 2025-01-21; Identity v4.1 (user_information_api "identity_v4_1") replaces it.');
  const login = singleUser(ctx.options);
  const root = await getXmlDocument(ctx, '/api/user/v1.0/User', login === undefined ? {} : { loginID: login });
  yield [decodeRecord(root['UserProfile'] ?? '', ctx.schema as JsonSchemaNode | undefined)];
}

const IDENTITY_NEEDS =
  'Identity v4.1 answers company-level tokens only (credentials auth_type "company") whose app has the identity.user.* read scopes. ' +
  'Use a company request token, or set config.user_information_api to "user_v1" (decommissioned in the US and EMEA data centers).';
const USER_V1_GONE = 'User v1 is decommissioned in this data center (US and EMEA since 2025-01-21): set config.user_information_api to "identity_v4_1".';

// docs/concur-api.md#user-v1: User v1 (and the v3 users list) are decommissioned in US/EMEA; Identity v4.1 lists every user.
export const userInformation = concurStream({
  name: 'user_information',
  primaryKey: ['LoginId'],
  unreadable: (env) =>
    env.userInformationApi === 'identity_v4_1' && env.principal === 'user'
      ? 'Identity v4.1 (user_information_api "identity_v4_1", the default) answers company-level tokens only, and these credentials give a user-level token. ' +
        'Use a company request token (credentials auth_type "company"), or set config.user_information_api to "user_v1" (only outside the US and EMEA data centers, where SAP decommissioned User v1 on 2025-01-21), or deselect user_information.'
      : undefined,
  failures: {
    permission: (ctx) => (ctx.options.userInformationApi === 'identity_v4_1' ? IDENTITY_NEEDS : undefined),
    not_found: (ctx) => (ctx.options.userInformationApi === 'identity_v4_1' ? IDENTITY_NEEDS : USER_V1_GONE),
    gone: (ctx) => (ctx.options.userInformationApi === 'user_v1' ? USER_V1_GONE : undefined),
  },
  pages: (ctx: StreamContext) => (ctx.options.userInformationApi === 'user_v1' ? userV1(ctx) : identityUsers(ctx)),
});
