import { describe, expect, it } from 'vitest';
import { OptionError } from '../../../src/engine/define.js';
import type { StreamEnv } from '../../../src/streams/env.js';
import { attendeesV4 } from '../../../src/streams/v4/attendees.js';
import { runStream, type Routes } from './harness.js';

const USERS = '/profile/identity/v4.1/Users';
const ATTENDEES = '/v4/attendees';
const A = '15e224fe-8eee-40b3-bef1-c4b4c05155be';
const B = '6334dc06-aee9-4a6a-aa0a-5a173457332a';

/** SAP's Attendees v4 sample attendee, owned by `owner`. */
function attendee(id: string, owner: string): Record<string, unknown> {
  return {
    attendeeTypeCode: 'BUSGUEST',
    firstName: 'John',
    lastName: 'Schmidt',
    middleInitial: 'J',
    suffix: 'Jr.',
    company: 'Concur',
    title: 'Doctor',
    externalId: '13234255',
    hasExceptionsPrevYear: false,
    hasExceptionsYtd: false,
    totalAmountPrevYear: 0,
    totalAmountYtd: 0,
    versionNumber: 1,
    ownerName: 'Lola, Van',
    ownerUserId: owner,
    currencyCode: 'USD',
    custom8: { type: 'Text', value: 'NYC' },
    custom3: { type: 'List', value: 'Gold', code: 'GOLD', listItemId: 'b0c1' },
    id,
    uri: `https://us2.api.concursolutions.com/v4/attendees/${id}`,
  };
}

const scimUsers = { schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 2, Resources: [{ id: A, userName: 'a@x' }, { id: B, userName: 'b@x' }] };

describe('attendees_v4', () => {
  it("with a company token: every Identity user's attendees by userId, nextPage followed verbatim, items or Items, custom fields kept whole", async () => {
    const routes: Routes = {
      [USERS]: JSON.stringify(scimUsers),
      [ATTENDEES]: (req, url) => {
        const owner = url.searchParams.get('userId');
        if (owner === A && url.searchParams.get('offset') === null) {
          return JSON.stringify({ items: [attendee('a1', A)], nextPage: `http://${String(req.headers.host)}${ATTENDEES}?userId=${A}&limit=100&offset=opaque%2B1` });
        }
        if (owner === A) return JSON.stringify({ Items: [attendee('a2', A)] });
        return JSON.stringify({ items: [] });
      },
    };
    const run = await runStream(attendeesV4, routes, { env: { principal: 'company' } });
    expect(run.records.map((r) => r['id'])).toEqual(['a1', 'a2']);
    expect(run.records[0]).toEqual(attendee('a1', A));
    const asked = run.requests.map((r) => r.url);
    expect(asked).toContain(`${USERS}?count=1000`);
    expect(asked).toContain(`${ATTENDEES}?limit=100&userId=${A}`);
    expect(asked).toContain(`${ATTENDEES}?userId=${A}&limit=100&offset=opaque%2B1`);
    expect(asked).toContain(`${ATTENDEES}?limit=100&userId=${B}`);
  });

  it("with a user token: the token user's own attendees, without userId and without asking Identity", async () => {
    const run = await runStream(attendeesV4, { [ATTENDEES]: JSON.stringify({ items: [attendee('own', A)] }) }, { env: { principal: 'user' } });
    expect(run.records.map((r) => r['id'])).toEqual(['own']);
    expect(run.requests.map((r) => r.url)).toEqual([`${ATTENDEES}?limit=100`]);
  });

  it('config.user naming one login: with a company token only that Identity user is asked about', async () => {
    const routes: Routes = { [USERS]: JSON.stringify(scimUsers), [ATTENDEES]: JSON.stringify({ items: [attendee('b1', B)] }) };
    const run = await runStream(attendeesV4, routes, { env: { principal: 'company', user: 'B@X' } });
    expect(run.records.map((r) => r['id'])).toEqual(['b1']);
    expect(run.requests.map((r) => r.url).filter((u) => u.startsWith(ATTENDEES))).toEqual([`${ATTENDEES}?limit=100&userId=${B}`]);
  });

  it("with a user token, config.user naming someone else makes it unreadable (their Identity id is out of reach); ALL or the token's own login is fine", () => {
    const env = (over: Partial<StreamEnv>): StreamEnv => ({ principal: 'user', user: 'ALL', tokenUser: 'me@x', ...over }) as StreamEnv;
    expect(attendeesV4.unreadable?.(env({ user: 'other@x' }))).toMatch(/token user's own attendees only.*other@x/);
    expect(attendeesV4.unreadable?.(env({}))).toBeUndefined();
    expect(attendeesV4.unreadable?.(env({ user: 'ME@x' }))).toBeUndefined();
    expect(attendeesV4.unreadable?.(env({ principal: 'company', user: 'other@x' }))).toBeUndefined();
  });

  it('a 403 names the scope and the Web Services Administrator role', async () => {
    const refused = { status: 403, body: JSON.stringify({ errorId: 'e', errorMessage: 'Forbidden', httpStatus: '403 Forbidden', path: ATTENDEES, timestamp: '2026-01-01T00:00:00Z' }) };
    const error = await runStream(attendeesV4, { [USERS]: JSON.stringify(scimUsers), [ATTENDEES]: refused }, { env: { principal: 'company' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OptionError);
    expect(String((error as Error).message)).toMatch(/attendee\.read.*Web Services Administrator.*Can Administer/s);
  });

  it("a 403 on Identity's user list names the identity scopes", async () => {
    const error = await runStream(attendeesV4, { [USERS]: { status: 403, body: '{"detail":"no"}' } }, { env: { principal: 'company' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OptionError);
    expect(String((error as Error).message)).toMatch(/identity\.user/);
  });

  it('an owner removed after the user list (404) is skipped with a warning; the others are read', async () => {
    const routes: Routes = {
      [USERS]: JSON.stringify(scimUsers),
      [ATTENDEES]: (_req, url) => (url.searchParams.get('userId') === A ? { status: 404, body: '{"errorMessage":"User not found"}' } : JSON.stringify({ items: [attendee('b1', B)] })),
    };
    const run = await runStream(attendeesV4, routes, { env: { principal: 'company' } });
    expect(run.records.map((r) => r['id'])).toEqual(['b1']);
    expect(run.warnings.some((w) => w.startsWith('attendees_v4:'))).toBe(true);
  });
});
