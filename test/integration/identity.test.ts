import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errors, records, type CliResult } from '../helpers/run-cli.js';
import { startSimulator, type Simulator } from '../helpers/simulator.js';
import { identityRecord } from './ground-truth.js';
import { companyConfig, read, type Json } from './support.js';

// user_information from Identity v4.1 (company token): every user whole, equal to the simulator's ground truth.

const STREAM = 'user_information';
const byLogin = (a: Json, b: Json): number => String(a['LoginId']).localeCompare(String(b['LoginId']));

describe('user_information (Identity v4.1): whole users', () => {
  let sim: Simulator;
  let full: CliResult;

  beforeAll(async () => {
    sim = await startSimulator(['--seed', '91', '--reports', '5', '--users', '40']);
    full = await read(sim, { streams: [STREAM], config: companyConfig(sim) });
  }, 120_000);
  afterAll(async () => {
    await sim?.stop();
  });

  it('a full refresh emits every user whole, equal to the ground truth (every Identity v4.1 attribute, the User v1 columns beside them)', async () => {
    expect(full.code).toBe(0);
    expect(errors(full.messages)).toEqual([]);
    const truth = (await sim.data<Json>('identity_users')).map(identityRecord);
    const got = records(full.messages, STREAM);
    expect([...got].sort(byLogin)).toEqual([...truth].sort(byLogin));
    // The simulator serves every kind of attribute somewhere in the tenant, so none is compared only as null.
    for (const column of ['Addresses', 'PhoneNumbers', 'EmergencyContacts', 'LocaleOverrides', 'NickName', 'DateOfBirth', 'SapUserUuid', 'Theme', 'LeavesOfAbsence', 'LegalEntity', 'MiddleName', 'HonorificPrefix']) {
      expect(got.some((r) => r[column] !== null && !(Array.isArray(r[column]) && r[column].length === 0)), column).toBe(true);
    }
  });
});
