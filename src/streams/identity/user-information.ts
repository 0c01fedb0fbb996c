import { paginate, SCIM_SEARCH_PAGES } from '../../concur/paging.js';
import type { JsonSchemaNode } from '../../concur/xml.js';
import { HISTORY_START } from '../../engine/cursor.js';
import type { DateFilter, RecordData } from '../../engine/define.js';
import { singleUser, type StreamContext } from '../env.js';
import { concurStream } from '../stream.js';
import { decodeRecord, getXmlDocument } from '../xml/requests.js';
import { fromIdentity } from './scim-user.js';
import { IDENTITY_PAGE_SIZE, IDENTITY_USERS, identityUserPages } from './users.js';

const SEARCH_REQUEST = 'urn:ietf:params:scim:api:messages:concur:2.0:SearchRequest';

/** "Modified on or after", as a SCIM filter attribute and an RFC 3339 date (the identity-search guide, Filtering). */
const MODIFIED_SINCE: DateFilter = { after: 'meta.lastModified', bounds: 'inclusive', stepMs: 1, format: (epochMs) => new Date(epochMs).toISOString() };

/**
 * Every user (GET /Users) on a first or full read, whose window starts with Concur's history; the users modified
 * since the cursor (POST /Users/.search, `meta.lastModified ge "…"`) on an incremental one. Identity filters in a
 * search body, not a query: the window's parameters become the SCIM filter.
 */
async function* identityUsers(ctx: StreamContext): AsyncGenerator<RecordData[]> {
  const since = Object.entries(ctx.windowQuery);
  const everyone = ctx.window === undefined || ctx.window.start <= HISTORY_START || since.length === 0;
  const filter = since.map(([attribute, date]) => `${attribute} ge "${String(date)}"`).join(' and ');
  const users = everyone
    ? identityUserPages(ctx, ctx.estimate)
    : paginate(ctx.options.client, SCIM_SEARCH_PAGES, { path: `${IDENTITY_USERS}/.search`, query: {}, body: { schemas: [SEARCH_REQUEST], filter, count: IDENTITY_PAGE_SIZE } }, ctx.signal, ctx.estimate);
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
// Incremental on the user's LastModified (meta.lastModified). The configured date range is about activity, not the
// directory: it does not narrow the users read, and the first read takes them all.
export const userInformation = concurStream({
  name: 'user_information',
  primaryKey: ['LoginId'],
  cursor: { kind: 'since', field: 'LastModified', filter: MODIFIED_SINCE },
  appliesRange: () => false,
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
