import { ATTENDEES_V4_PAGES, paginate } from '../../concur/paging.js';
import type { RecordData } from '../../engine/define.js';
import { asUser, parentField, type StreamContext, type StreamEnv } from '../env.js';
import { identityUserPages } from '../identity/users.js';
import { concurStream } from '../stream.js';

/** SAP's maximum `limit` for GET /v4/attendees. */
const PAGE_SIZE = 100;

/** The stand-in owner of a user-level token: its attendees are asked without userId. */
const TOKEN_USER: RecordData = { tokenUser: true };

const OWNERS_NEED =
  "attendees_v4 lists the company's users through Identity v4.1 to read each one's attendees: the app needs the identity.user.ids.read scope. " +
  "Grant it, or read with a user-level token (only that user's own attendees), or deselect attendees_v4.";

/** Whether a listed Identity user is one `user` selects: every user with ALL, else the one login. */
function selected(env: StreamEnv, user: RecordData): boolean {
  return env.user === 'ALL' || (typeof user['userName'] === 'string' && user['userName'].toLowerCase() === env.user.toLowerCase());
}

/**
 * Whose attendees are read: with a company token every user of the company (Identity v4.1, whole list), or the
 * one `user` names, since Attendees v4 answers per owner; with any other token the token user alone (Identity
 * answers company tokens only). Not a stream of its own: its users are user_information's.
 */
const attendeeOwners = concurStream({
  name: 'attendees_v4_owners',
  primaryKey: ['id'],
  failures: { permission: () => OWNERS_NEED },
  pages: async function* (ctx: StreamContext): AsyncGenerator<RecordData[]> {
    if (ctx.options.principal !== 'company') {
      yield [TOKEN_USER];
      return;
    }
    for await (const page of identityUserPages(ctx)) {
      const owners = page.filter((user) => selected(ctx.options, user));
      if (owners.length > 0) yield owners;
    }
  },
});

const NEEDS =
  "Attendees v4 needs the attendee.read scope, and reading other users' attendees (userId) needs the Web Services Administrator role " +
  '(Concur Expense Professional) or Can Administer (Standard) for the user or company behind the token. Grant them, or deselect attendees_v4.';

// docs/sap-concur.md#current-apis: its own stream, since v4 ids and field names share nothing with expense_attendees.
// custom1..custom25 stay objects as Concur sends them ({type, value} and, for lists, code and listItemId): the type
// says how to read the text value, and only the configured ones are present, so nothing is invented for the rest.
// No timestamps and no modified filter in Attendees v4: full refresh only; deleted attendees are not listed.
export const attendeesV4 = concurStream({
  name: 'attendees_v4',
  primaryKey: ['id'],
  parent: { stream: attendeeOwners },
  // Another user's attendees need their Identity id, which only a company token can look up.
  unreadable: (env) =>
    env.principal !== 'company' && env.user !== 'ALL' && asUser(env, env.user) !== undefined
      ? `With a user-level token Attendees v4 reads the token user's own attendees only, and config.user names another user (${env.user}). ` +
        'Set config.user to "ALL" or to the token\'s own login, or use a company request token (credentials auth_type "company"), or deselect attendees_v4.'
      : undefined,
  failures: {
    permission: () => NEEDS,
    // A user removed between the user list and this request: the others are still there.
    not_found: 'skip',
  },
  pages: (ctx: StreamContext) => {
    const owner = ctx.parent?.['tokenUser'] === true ? {} : { userId: parentField(ctx, 'id') };
    return paginate(ctx.options.client, ATTENDEES_V4_PAGES, { path: '/v4/attendees', query: { limit: PAGE_SIZE, ...owner } }, ctx.signal);
  },
});
