import { ApiError } from '../../errors.js';
import type { Route } from '../../route.js';
import { userProfile } from '../../tenant/identity.js';
import { recordDocument } from '../../xml.js';
import { ROLE, requireRole, tokenUser, xmlResult, type XmlDeps } from './common.js';

/** The UserProfile response uses the https:// namespace form (docs/concur-api.md#user-v1). */
export const USER_NAMESPACE = 'https://www.concursolutions.com/api/user/2011/02';
/** Unused org units and custom fields are empty elements; a missing cash advance account is i:nil. */
export const USER_RULES = { nulls: { CashAdvanceAccountCode: 'nil' } } as const;

/**
 * User v1 (deprecated; decommissioned in US/EMEA since 2025-01-21 — `--decommissioned user-v1` imitates that):
 * the token user's profile, or `loginID=<login>` (any user, administrators only; an unknown login is 404).
 */
export function userV1Routes(deps: XmlDeps): Route[] {
  const t = deps.tenant;
  return [
    {
      method: 'GET',
      pattern: '/api/user/v1.0/User',
      kind: 'data',
      format: 'xml',
      api: 'user-v1',
      handle: (ctx) => {
        const login = ctx.query.get('loginID');
        let u: number | undefined;
        if (login !== undefined && login !== '') {
          requireRole(ctx, deps, 'The loginID parameter', ROLE.userAdmin);
          u = t.userByLogin(login);
          if (u === undefined) throw new ApiError(404, `The user '${login.slice(0, 128)}' was not found.`);
        } else {
          const own = tokenUser(ctx);
          if (own === null) throw new ApiError(400, 'A company access token has no user of its own. Pass loginID=<login ID>.');
          u = own;
        }
        return xmlResult(recordDocument('UserProfile', userProfile(t, u), USER_RULES, { namespace: USER_NAMESPACE, xsi: true }), 'user_profiles', 1);
      },
    },
  ];
}
