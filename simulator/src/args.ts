import { parseArgs } from 'node:util';
import { FaultSpecError, parseFaultSpec, type FaultSpec } from './faults.js';
import { parseDayDate } from './format.js';
import { API_NAMES, isApiName, type ApiName } from './lifecycle.js';

/** Default credentials (documented in simulator/README.md; every one is settable by flag). */
export const DEFAULT_CREDENTIALS = {
  clientId: 'sim-client-id',
  clientSecret: 'sim-client-secret',
  adminLogin: 'admin@example.com',
  adminPassword: 'sim-admin-password',
  userLogin: 'user1@example.com',
  userPassword: 'sim-user-password',
  companyId: '7a3c9f1e-4b2d-4e8a-9c61-5f0d2b8e4a17',
  companyRequestToken: 'sim-company-request-token',
  refreshToken: 'sim-refresh-token',
} as const;

export interface SimulatorOptions {
  readonly port: number;
  readonly host: string;
  readonly seed: number;
  readonly users: number;
  readonly reports: number;
  readonly entriesPerReport: number;
  readonly fromMs: number;
  readonly toMs: number;
  readonly locations: number;
  readonly tripsPerUser: number;
  readonly extractJobs: number;
  readonly v2ListCap: number;
  readonly decommissioned: readonly ApiName[];
  readonly faults: readonly FaultSpec[];
  readonly tokenTtlSeconds: number;
  readonly requestTokenTtlSeconds: number;
  readonly maxLimit: number;
  readonly expiredTokenStatus: 401 | 403;
  readonly geoRedirect: boolean;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly adminLogin: string;
  readonly adminPassword: string;
  readonly userLogin: string;
  readonly userPassword: string;
  readonly companyId: string;
  readonly companyRequestToken: string;
  readonly refreshToken: string;
  readonly verbose: boolean;
}

export type ParsedCommand =
  | { readonly kind: 'help' }
  | { readonly kind: 'run'; readonly options: SimulatorOptions }
  | { readonly kind: 'error'; readonly message: string };

export const USAGE = `Usage: concur-simulator [options]

An offline SAP Concur API simulator (OAuth2 token endpoint and the APIs of the twenty source-concur streams:
v3 JSON, v1.1/v2/Extract/Itinerary/User v1 XML, Identity v4.1 SCIM).
Prints one JSON line {"event":"listening","url":...,"pid":...} on stdout when ready.

Server
  --port N                  port to listen on; 0 = any free port (default 0)
  --host H                  address to bind (default 127.0.0.1)
  --geo-redirect            start a second listener; password grants on the first answer
                            code 16 "user lives elsewhere" with its URL (reported as secondaryUrl)
  --verbose                 diagnostics on stderr
  --help                    show this help

Tenant (deterministic for the same flags)
  --seed N                  PRNG seed (default 42)
  --users N                 regular users user1..userN besides the admin (default 25)
  --reports N               expense reports (default 200)
  --entries-per-report N    mean entries per report; some reports have none (default 5)
  --from YYYY-MM-DD         earliest generated timestamp, 00:00:00 UTC (default 2024-01-01)
  --to YYYY-MM-DD           latest generated timestamp, 00:00:00 UTC (default 2026-10-31)
  --locations N             Locations v3 table size (default 500)
  --trips-per-user N        itinerary trips per user (default 3)
  --extract-jobs N          extract jobs per definition at start-up (default 120; the API lists the last 100)

API behaviour
  --token-ttl SECONDS       access token lifetime (default 3600)
  --request-token-ttl SECONDS
                            company request token lifetime from start-up (default 86400, as Concur; 0 = spent)
  --max-limit N             largest page size; bigger limits are clamped (default 100)
  --expired-token-status S  401 or 403 for an unknown/expired token (default 401)
  --v2-list-cap N           rows returned by the v2 report list at most (default 1000, as Concur)
  --decommissioned NAME     answer 410 Gone for an API family; repeatable. Names:
                            ${API_NAMES.join(' ')}
  --fault SPEC              inject a fault; repeatable. SPEC = name[:key=value[,key=value]...]
                            names: 429 500 503 latency slow reset truncate malformed-json
                            malformed-xml token-expiry rotate-refresh deny-admin
                            keys: every=N path=S count=N retry-after=S|date|none burst=N ms=N after=N

Credentials (defaults in simulator/README.md)
  --client-id ID  --client-secret S
  --admin-login LOGIN  --admin-password P       Web Services Administrator
  --user-login LOGIN   --user-password P        regular user (user2..userN share P)
  --company-id UUID  --company-request-token T  company token (credtype=authtoken)
  --refresh-token T                             initial refresh token, valid for the admin
`;

const OPTION_NAMES = [
  'port', 'host', 'seed', 'users', 'reports', 'entries-per-report', 'from', 'to', 'token-ttl', 'request-token-ttl', 'max-limit',
  'expired-token-status', 'client-id', 'client-secret', 'admin-login', 'admin-password', 'user-login',
  'user-password', 'company-id', 'company-request-token', 'refresh-token', 'locations', 'trips-per-user',
  'extract-jobs', 'v2-list-cap',
] as const;

class FlagError extends Error {
  override readonly name = 'FlagError';
}

/** Parse argv (without node and script). Errors name the offending flag. */
export function parseCli(argv: readonly string[]): ParsedCommand {
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    const stringOptions = Object.fromEntries(OPTION_NAMES.map((name) => [name, { type: 'string' as const }]));
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        ...stringOptions,
        fault: { type: 'string', multiple: true },
        decommissioned: { type: 'string', multiple: true },
        'geo-redirect': { type: 'boolean' },
        verbose: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    const message = error instanceof Error ? (error.message.split('. ')[0] ?? error.message) : String(error);
    return { kind: 'error', message };
  }
  if (values['help'] === true) return { kind: 'help' };
  try {
    return { kind: 'run', options: toOptions(values) };
  } catch (error) {
    if (error instanceof FlagError) return { kind: 'error', message: error.message };
    throw error;
  }
}

function toOptions(values: Record<string, string | boolean | string[] | undefined>): SimulatorOptions {
  const str = (name: string, fallback: string): string => {
    const value = values[name];
    if (value === undefined) return fallback;
    if (typeof value !== 'string' || value === '') throw new FlagError(`--${name}: a non-empty value is required`);
    return value;
  };
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = values[name];
    if (raw === undefined) return fallback;
    if (typeof raw !== 'string' || !/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      throw new FlagError(`--${name}: expected an integer from ${min} to ${max}, got '${String(raw)}'`);
    }
    return Number(raw);
  };
  const day = (name: string, fallback: string): number => {
    const raw = str(name, fallback);
    const ms = parseDayDate(raw);
    if (ms === null) throw new FlagError(`--${name}: expected a date YYYY-MM-DD, got '${raw}'`);
    return ms;
  };

  const entriesRaw = str('entries-per-report', '5');
  const entriesPerReport = Number(entriesRaw);
  if (!/^\d+(\.\d+)?$/.test(entriesRaw) || entriesPerReport > 1000) {
    throw new FlagError(`--entries-per-report: expected a number from 0 to 1000, got '${entriesRaw}'`);
  }
  const fromMs = day('from', '2024-01-01');
  const toMs = day('to', '2026-10-31');
  if (toMs < fromMs) throw new FlagError(`--to must not be before --from`);
  const status = str('expired-token-status', '401');
  if (status !== '401' && status !== '403') throw new FlagError(`--expired-token-status: expected 401 or 403, got '${status}'`);

  const faultValues = values['fault'];
  const faults: FaultSpec[] = [];
  for (const spec of Array.isArray(faultValues) ? faultValues : []) {
    try {
      faults.push(parseFaultSpec(spec));
    } catch (error) {
      if (error instanceof FaultSpecError) throw new FlagError(`--fault: ${error.message}`);
      throw error;
    }
  }

  const decommissionedValues = values['decommissioned'];
  const decommissioned: ApiName[] = [];
  for (const name of Array.isArray(decommissionedValues) ? decommissionedValues : []) {
    if (!isApiName(name)) throw new FlagError(`--decommissioned: unknown API '${name}' (known: ${API_NAMES.join(', ')})`);
    if (!decommissioned.includes(name)) decommissioned.push(name);
  }

  const users = int('users', 25, 1, 100_000);
  const adminLogin = str('admin-login', DEFAULT_CREDENTIALS.adminLogin);
  const userLogin = str('user-login', DEFAULT_CREDENTIALS.userLogin);
  if (adminLogin.toLowerCase() === userLogin.toLowerCase()) throw new FlagError('--user-login must differ from --admin-login');
  // user2..userN get generated logins; the two configurable logins must not collide with them.
  const clashes = (login: string): boolean => {
    const m = /^user(\d+)@example\.com$/i.exec(login);
    return m !== null && Number(m[1]) >= 2 && Number(m[1]) <= users;
  };
  if (clashes(adminLogin)) throw new FlagError(`--admin-login: '${adminLogin}' is already the login of a generated user`);
  if (clashes(userLogin)) throw new FlagError(`--user-login: '${userLogin}' is already the login of a generated user`);
  const companyId = str('company-id', DEFAULT_CREDENTIALS.companyId);
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(companyId)) {
    throw new FlagError(`--company-id: expected a UUID, got '${companyId}'`);
  }

  return {
    port: int('port', 0, 0, 65_535),
    host: str('host', '127.0.0.1'),
    seed: int('seed', 42, 0, Number.MAX_SAFE_INTEGER),
    users,
    reports: int('reports', 200, 0, 10_000_000),
    entriesPerReport,
    fromMs,
    toMs,
    locations: int('locations', 500, 0, 1_000_000),
    tripsPerUser: int('trips-per-user', 3, 0, 1000),
    extractJobs: int('extract-jobs', 120, 0, 10_000),
    v2ListCap: int('v2-list-cap', 1000, 1, 1_000_000),
    decommissioned,
    faults,
    tokenTtlSeconds: int('token-ttl', 3600, 1, 10 * 365 * 86_400),
    requestTokenTtlSeconds: int('request-token-ttl', 86_400, 0, 10 * 365 * 86_400),
    maxLimit: int('max-limit', 100, 1, 100_000),
    expiredTokenStatus: status === '403' ? 403 : 401,
    geoRedirect: values['geo-redirect'] === true,
    clientId: str('client-id', DEFAULT_CREDENTIALS.clientId),
    clientSecret: str('client-secret', DEFAULT_CREDENTIALS.clientSecret),
    adminLogin,
    adminPassword: str('admin-password', DEFAULT_CREDENTIALS.adminPassword),
    userLogin,
    userPassword: str('user-password', DEFAULT_CREDENTIALS.userPassword),
    companyId,
    companyRequestToken: str('company-request-token', DEFAULT_CREDENTIALS.companyRequestToken),
    refreshToken: str('refresh-token', DEFAULT_CREDENTIALS.refreshToken),
    verbose: values['verbose'] === true,
  };
}
