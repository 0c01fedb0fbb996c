import type { StreamContext } from '../env.js';
import { concurStream } from '../stream.js';
import { getArray } from './requests.js';

const NEEDS =
  'Attendee Types v4 answers company-level tokens only (credentials auth_type "company") whose app has the attendee.admin.read scope. ' +
  'Grant the scope, or read expense_attendee_types (Attendee Types v3, deprecated) instead.';

// docs/sap-concur.md#current-apis: its own stream, since its ids and field names share nothing with v3's.
export const attendeeTypesV4 = concurStream({
  name: 'attendee_types_v4',
  primaryKey: ['id'],
  unreadable: (env) =>
    env.principal === 'user'
      ? 'Attendee Types v4 answers company-level tokens only, and these credentials give a user-level token. ' +
        'Use a company request token (credentials auth_type "company"), or read expense_attendee_types (Attendee Types v3, deprecated) instead, or deselect attendee_types_v4.'
      : undefined,
  failures: { permission: () => NEEDS, not_found: () => NEEDS },
  pages: async function* (ctx: StreamContext) {
    const types = await getArray(ctx, '/v4/attendeetypes');
    if (types.length > 0) yield types;
  },
});
