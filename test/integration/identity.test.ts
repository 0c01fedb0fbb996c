import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errors, records, states, type CliResult } from '../helpers/run-cli.js';
import { startSimulator, type MutationResult, type Simulator } from '../helpers/simulator.js';
import { identityRecord } from './ground-truth.js';
import { companyConfig, read, type Json } from './support.js';

// user_information from Identity v4.1 (company token): the whole user equals the simulator's ground truth, and an
// incremental read after users are edited brings back the edited users, resuming from the previous read's state.

const STREAM = 'user_information';
const byLogin = (a: Json, b: Json): number => String(a['LoginId']).localeCompare(String(b['LoginId']));
const logins = (result: CliResult): string[] => records(result.messages, STREAM).map((r) => String(r['LoginId']));
const lastState = (result: CliResult): Json[] => {
  const last = states(result.messages, STREAM).at(-1);
  return last ? [{ type: 'STREAM', stream: last['state'].stream }] : [];
};
const cursorOf = (result: CliResult): string => String(states(result.messages, STREAM).at(-1)?.['state'].stream.stream_state?.['cursor']);

describe('user_information (Identity v4.1): whole users, incremental on LastModified', () => {
  let sim: Simulator;
  let full: CliResult;
  let first: CliResult;
  let second: CliResult;
  let resumed: CliResult;
  let changes: MutationResult;
  // No lookback: the second read then holds what changed in between (the lookback is the engine's, tested there).
  const config = (s: Simulator) => companyConfig(s, { lookback_minutes: 0 });

  beforeAll(async () => {
    sim = await startSimulator(['--seed', '91', '--reports', '5', '--users', '40']);
    [full, first] = await Promise.all([read(sim, { streams: [STREAM], config: config(sim) }), read(sim, { streams: [STREAM], mode: 'incremental', config: config(sim) })]);
    changes = await sim.mutate({ editUsers: 4 });
    second = await read(sim, { streams: [STREAM], mode: 'incremental', config: config(sim), state: lastState(first) });
    resumed = await read(sim, { streams: [STREAM], mode: 'incremental', config: config(sim), state: lastState(second) });
  }, 120_000);
  afterAll(async () => {
    await sim?.stop();
  });

  it('every read succeeds', () => {
    for (const result of [full, first, second, resumed]) {
      expect(result.code).toBe(0);
      expect(errors(result.messages)).toEqual([]);
    }
  });

  it('a full refresh emits every user whole, equal to the ground truth (every Identity v4.1 attribute, the User v1 columns beside them)', async () => {
    const truth = (await sim.data<Json>('identity_users')).map(identityRecord);
    // Ground truth read after the edits: compare the users nobody edited, and the edited ones by key.
    const edited = new Set(truth.filter((u) => changes.editedUserIds.includes(String(u['IdentityId']))).map((u) => u['LoginId']));
    const got = records(full.messages, STREAM);
    expect(got.map((r) => r['LoginId']).sort()).toEqual(truth.map((u) => u['LoginId']).sort());
    expect(got.filter((r) => !edited.has(r['LoginId'])).sort(byLogin)).toEqual(truth.filter((u) => !edited.has(u['LoginId'])).sort(byLogin));
    // The simulator serves every kind of attribute somewhere in the tenant.
    for (const column of ['Addresses', 'PhoneNumbers', 'EmergencyContacts', 'LocaleOverrides', 'NickName', 'DateOfBirth', 'SapUserUuid', 'Theme', 'LeavesOfAbsence', 'LegalEntity']) {
      expect(got.some((r) => r[column] !== null && !(Array.isArray(r[column]) && r[column].length === 0)), column).toBe(true);
    }
  });

  it('the first incremental read is the whole directory (GET /Users); its state is where the read began, after every user it read', () => {
    expect(logins(first).sort()).toEqual(logins(full).sort());
    const newest = records(first.messages, STREAM).map((r) => String(r['LastModified'])).sort().at(-1);
    expect(cursorOf(first) >= String(newest)).toBe(true);
  });

  it('after users are edited, the next read (from the saved state) brings the edited users, as they are now; nothing older than the cursor', async () => {
    const truth = new Map((await sim.data<Json>('identity_users')).map((u) => [String(u['id']), identityRecord(u)]));
    const got = records(second.messages, STREAM);
    const editedLogins = changes.editedUserIds.map((id) => String(truth.get(id)?.['LoginId']));
    expect(editedLogins).toHaveLength(4);
    expect(logins(second)).toEqual(expect.arrayContaining(editedLogins));
    for (const id of changes.editedUserIds) expect(got.find((r) => r['IdentityId'] === id)).toEqual(truth.get(id));
    // Only the edited users: Identity's search answered users modified since the cursor, and nobody else was.
    expect(logins(second).sort()).toEqual([...editedLogins].sort());
    expect(cursorOf(second) > cursorOf(first)).toBe(true);
  });

  it('the incremental reads ask Identity search with the cursor as a meta.lastModified filter; the first and the full refresh list every user', async () => {
    const log = await sim.requests();
    const searches = log.filter((r) => r.path.endsWith('/Users/.search'));
    expect(searches.length).toBe(2);
    expect(log.filter((r) => r.path.endsWith('/identity/v4.1/Users')).length).toBeGreaterThanOrEqual(2);
  });

  it('resuming from that state with nothing edited since reads nothing and moves the cursor on', () => {
    expect(records(resumed.messages, STREAM)).toEqual([]);
    expect(cursorOf(resumed) >= cursorOf(second)).toBe(true);
  });
});
