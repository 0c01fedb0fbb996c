import { getOne } from '../../concur/paging.js';
import { ConcurError } from '../../concur/errors.js';
import { OptionError, type RecordData } from '../../engine/define.js';
import { parentField, type StreamContext } from '../env.js';
import { identityCompanyId } from '../identity/users.js';
import { concurStream } from '../stream.js';

const BASE = '/expenseconfig/v4';
/** Everything a company group can be asked to carry. */
const APPLICABLE_CONFIGS = 'attendeeTypes,paymentTypes,policies';

const NEEDS =
  'Expense Configuration v4 needs the expense.config.groups.restricted.read scope (and user.read). ' +
  'Grant them, or read expense_group_configurations (Expense Group Configurations v3, deprecated) instead, or deselect expense_group_configurations_v4.';

/**
 * The company whose groups are read: a company token's own id (its id_token `sub` is the company UUID), else the
 * company UUID of the company credentials, else the companyId of Identity v4.1's enterprise extension, where SAP
 * says to look it up.
 */
async function companyId(ctx: StreamContext): Promise<string> {
  const token = await ctx.options.client.authenticate(ctx.signal);
  if (token.principal === 'company' && token.subject !== undefined) return token.subject;
  if (ctx.options.grantCompanyId !== undefined) return ctx.options.grantCompanyId;
  let found: string | undefined;
  try {
    found = await identityCompanyId(ctx);
  } catch (error) {
    if (!(error instanceof ConcurError) || error.kind !== 'permission') throw error;
    throw new OptionError(
      `The token names no company, and Identity v4.1, where SAP says to look the company id up, refused: ${error.message} ` +
        'Use company credentials (credentials auth_type "company"), grant the identity.user.enterprise.read scope, or deselect expense_group_configurations_v4.',
      { cause: error },
    );
  }
  if (found !== undefined) return found;
  throw new ConcurError('payload', 'Concur named no company id: the token carries none, and no Identity v4.1 user has an enterprise companyId, so the expense groups cannot be asked for.');
}

/**
 * The company's groups, and the path they answer under. docs/concur-api.md#expense-configuration-v4: SAP's URI
 * template writes /companies/, its samples /company/; the template is asked first and the samples' form only if
 * Concur has no such path.
 */
async function companyGroups(ctx: StreamContext, company: string): Promise<{ base: string; groups: RecordData[] }> {
  const list = async (base: string) => ({ base, groups: groupsOf(await ctx.options.client.getJson(`${base}/groupconfigs`, {}, ctx.signal), `${base}/groupconfigs`) });
  const id = encodeURIComponent(company);
  try {
    return await list(`${BASE}/companies/${id}`);
  } catch (error) {
    if (!(error instanceof ConcurError) || error.kind !== 'not_found') throw error;
    ctx.log.info(`Concur has no ${BASE}/companies/${id}/groupconfigs (404); asking ${BASE}/company/${id}/groupconfigs, the form of SAP's samples.`);
    return list(`${BASE}/company/${id}`);
  }
}

/**
 * One expense group per record. docs/concur-api.md#expense-configuration-v4: SAP titles the company endpoint
 * "all expense groups" but shows a single group as its answer, so both an array and one object are accepted.
 */
function groupsOf(body: unknown, path: string): RecordData[] {
  const items = Array.isArray(body) ? body : [body];
  return items.map((item) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw new ConcurError('payload', `Concur answered ${path} with an item that is not an expense group.`);
    return item as RecordData;
  });
}

/**
 * The groups to read whole: with a company token every group of the company (summaries, each with the company
 * path to ask for its details under); with a user token the token user (Concur answers only their own group). Not a
 * stream of its own: the summaries are the first half of each record.
 */
const expenseGroups = concurStream({
  name: 'expense_groups_v4',
  primaryKey: ['hierarchyNodeId'],
  failures: {
    permission: () => NEEDS,
    not_found: () =>
      'Concur answered neither /companies/ nor /company/ for the company id. Check that the credentials are those of the company whose groups you want, ' +
      'that the app has the expense.config.groups.restricted.read scope, or deselect expense_group_configurations_v4.',
  },
  pages: async function* (ctx: StreamContext): AsyncGenerator<RecordData[]> {
    const token = await ctx.options.client.authenticate(ctx.signal);
    const principal = token.principal ?? ctx.options.principal;
    if (principal === 'user') {
      if (token.subject === undefined) {
        throw new OptionError(
          "Concur's token names no user id (no id_token sub), and Expense Configuration v4 answers a user token for that user's id only. " +
            'Use a company request token (credentials auth_type "company"), or deselect expense_group_configurations_v4.',
        );
      }
      yield [{ userId: token.subject }];
      return;
    }
    const { base, groups } = await companyGroups(ctx, await companyId(ctx));
    if (groups.length > 0) yield groups.map((group) => ({ ...group, groupsPath: `${base}/groupconfigs` }));
  },
});

// docs/sap-concur.md#current-apis: its own stream, since v4 ids and field names share nothing with v3's, and
// expense types (per policy) are only answered per user: they stay in expense_group_configurations.
export const expenseGroupConfigurationsV4 = concurStream({
  name: 'expense_group_configurations_v4',
  primaryKey: ['hierarchyNodeId'],
  parent: { stream: expenseGroups },
  failures: {
    permission: () => NEEDS,
    // A group removed between the list and its request: the others are still there.
    not_found: 'skip',
  },
  pages: async function* (ctx: StreamContext): AsyncGenerator<RecordData[]> {
    const userId = ctx.parent?.['userId'];
    if (typeof userId === 'string') {
      yield [await getOne(ctx.options.client, `${BASE}/users/${encodeURIComponent(userId)}/groupconfigs`, {}, ctx.signal)];
      return;
    }
    const node = encodeURIComponent(parentField(ctx, 'hierarchyNodeId'));
    yield [await getOne(ctx.options.client, `${parentField(ctx, 'groupsPath')}/${node}`, { applicableConfigs: APPLICABLE_CONFIGS }, ctx.signal)];
  },
});
