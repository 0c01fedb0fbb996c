import { paginate, SCIM_PAGES } from '../../concur/paging.js';
import type { JsonSchemaNode } from '../../concur/xml.js';
import type { RecordData } from '../../engine/define.js';
import { singleUser, type StreamContext } from '../env.js';
import { concurStream } from '../stream.js';
import { decodeRecord, getXmlDocument } from '../xml/requests.js';
import { fromIdentity } from './scim-user.js';

const PAGE_SIZE = 1000; // v4.1: maximum count

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
// Full refresh only: Identity v4.1 filters by date (meta.lastModified) only through POST …/Users/.search, and the
// Concur client sends GETs only.
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
