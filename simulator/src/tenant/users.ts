import { Rng, hash, uuidFrom } from '../random.js';
import {
  COST_CENTERS,
  COUNTRIES,
  COUNTRY_WEIGHTS,
  DEPARTMENTS,
  FIRST_NAMES,
  LAST_NAMES,
  TITLES,
  type Country,
} from './reference-data.js';
import { TAG } from './tags.js';

/** A Concur user of the simulated company. Index 0 is the Web Services Administrator. */
export interface User {
  readonly index: number;
  readonly id: string;
  readonly loginId: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly displayName: string;
  readonly employeeId: string;
  readonly title: string;
  readonly country: Country;
  readonly isAdmin: boolean;
  readonly approverIndex: number;
  readonly department: number;
  readonly costCenter: number;
  /** Reimbursed through Expense Pay (drives IsPaidByExpensePay / EmployeeBankAccountID). */
  readonly expensePay: boolean;
}

export interface UserSettings {
  readonly seed: number;
  readonly users: number;
  readonly adminLogin: string;
  readonly userLogin: string;
}

/** Admin first, then user1 (the regular user whose login is configurable), user2…userN. */
export function buildUsers(settings: UserSettings): User[] {
  const users: User[] = [];
  for (let u = 0; u <= settings.users; u++) {
    const rng = new Rng(hash(settings.seed, TAG.user, u));
    const firstName = u === 0 ? 'Alex' : rng.pick(FIRST_NAMES);
    const lastName = u === 0 ? 'Admin' : rng.pick(LAST_NAMES);
    if (u === 0) rng.next(); // keep the draw sequence aligned for every user
    const country = u === 0 ? COUNTRIES[0] : COUNTRIES[rng.weighted(COUNTRY_WEIGHTS)];
    if (country === undefined) throw new Error('no country');
    const loginId = u === 0 ? settings.adminLogin : u === 1 ? settings.userLogin : `user${u}@example.com`;
    users.push({
      index: u,
      id: uuidFrom(hash(settings.seed, TAG.userUuid, u, 1), hash(settings.seed, TAG.userUuid, u, 2), hash(settings.seed, TAG.userUuid, u, 3), hash(settings.seed, TAG.userUuid, u, 4)),
      loginId,
      firstName,
      lastName,
      displayName: `${firstName} ${lastName}`,
      employeeId: `EMP${String(1000 + u).padStart(5, '0')}`,
      title: u === 0 ? 'Finance Systems Administrator' : rng.pick(TITLES),
      country,
      isAdmin: u === 0,
      // Users 1-5 report to the admin; everyone else reports to one of users 1-5.
      approverIndex: u === 0 ? 1 : u <= 5 ? 0 : 1 + ((u - 1) % 5),
      department: rng.int(DEPARTMENTS.length),
      costCenter: rng.int(COST_CENTERS.length),
      expensePay: rng.chance(0.6),
    });
  }
  return users;
}
