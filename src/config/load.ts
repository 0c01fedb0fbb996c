import type { ValidateFunction } from 'ajv';
import { didYouMean } from '../common/closest.js';
import { createAjv, formatErrors } from '../common/json-schema.js';
import type { Grant } from '../concur/auth.js';
import type { SourceConcurConfig } from '../generated/config.js';
import { ConfigError } from '../protocol/errors.js';
import type { Redactor } from '../protocol/redact.js';
import { isSafeUrl } from './urls.js';

const DAY_MS = 86_400_000;

// docs/concur-api.md#token-hosts-and-code-16: password and refresh grants start at the US host (a code-16 answer redirects), company request
// tokens go to the global landing zone.
export const DEFAULT_TOKEN_URL = 'https://us.api.concursolutions.com/oauth2/v0/token';
export const DEFAULT_COMPANY_TOKEN_URL = 'https://glz.api.concursolutions.com/oauth2/v0/token';

/** config date_filter → the report filter parameter prefix (…After/…Before) of Expense Reports v3. */
const DATE_FILTER_PREFIX: Record<NonNullable<SourceConcurConfig['date_filter']>, string> = {
  modified: 'modifiedDate',
  created: 'createDate',
  submitted: 'submitDate',
  paid: 'paidDate',
  processing_payment: 'processingPaymentDate',
  user_defined: 'userDefinedDate',
};

export interface ResolvedConfig {
  /** The config as given, with spec defaults filled in: what a CONTROL message sends back, updated. */
  raw: SourceConcurConfig;
  grant: Grant;
  tokenUrl: string;
  tokenUrlExplicit: boolean;
  baseUrl: string | undefined;
  user: string;
  /** Inclusive start of the configured range (epoch ms), undefined = whole history. */
  start: number | undefined;
  /** Exclusive end of the range: the configured end or the moment the sync started, whichever is earlier. */
  end: number;
  /** The moment the sync started (the end of every window when the range does not cap it). */
  now: number;
  /**
   * When the range applies to another report date (config date_filter), that date's filter (Concur parameter
   * prefix and bounds): the expense-report streams then read modification windows over the whole history.
   */
  reportDateRange: { prefix: string; start: number | undefined; end: number | undefined } | undefined;
  approvalStatusCodes: string[];
  lookbackMs: number;
  sliceDays: number;
  checkpointInterval: number;
  maxConcurrency: number;
  timeoutMs: number;
  reportStatuses: string[];
  extractDefinitionIds: string[];
  includeInactiveDelegators: boolean;
  userInformationApi: 'identity_v4_1' | 'user_v1';
  locationCountries: string[];
  /** Top-level fields the spec does not know (a typo, or an option of another version), with a likely meaning. */
  unknownFields: string[];
}

export interface ConfigSchema {
  connectionSpecification: Record<string, unknown>;
}

/**
 * Validates the config against the spec before anything else and resolves it once: relative dates against the
 * sync's start time, default token URL per grant, secrets registered for masking. Every error names the field
 * and says how to fix it.
 */
export function loadConfig(raw: unknown, spec: ConfigSchema, now: number, redactor: Redactor): ResolvedConfig {
  registerSecrets(raw, spec.connectionSpecification, redactor);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError('The config must be a JSON object (see the spec command for its fields).');
  }
  const config = structuredClone(raw) as Record<string, unknown>;
  validateAgainstSpec(config, spec.connectionSpecification);
  const typed = config as unknown as SourceConcurConfig;

  const { start, configuredEnd } = resolveRange(typed, now);

  const grant = grantOf(typed.credentials);
  const tokenUrl = typed.token_url ?? (grant.kind === 'company' ? DEFAULT_COMPANY_TOKEN_URL : DEFAULT_TOKEN_URL);
  checkUrl('token_url', tokenUrl);
  if (typed.base_url !== undefined) checkUrl('base_url', typed.base_url);

  // The range applies to modifications unless date_filter names another report date; incremental windows always
  // follow modifications, so with another date the range becomes an extra filter on it.
  const prefix = DATE_FILTER_PREFIX[typed.date_filter ?? 'modified'];
  const onModified = prefix === 'modifiedDate';
  return {
    raw: typed,
    grant,
    tokenUrl,
    tokenUrlExplicit: typed.token_url !== undefined,
    baseUrl: typed.base_url?.replace(/\/+$/, ''),
    // ALL is a keyword, not a login: Concur expects it in capitals, and "all" or "All" mean the same to a person.
    user: typed.user === undefined || typed.user.toUpperCase() === 'ALL' ? 'ALL' : typed.user,
    start,
    end: Math.min(configuredEnd ?? now, now),
    now,
    reportDateRange: onModified || (start === undefined && configuredEnd === undefined) ? undefined : { prefix, start, end: configuredEnd },
    approvalStatusCodes: typed.approval_status_codes ?? [],
    lookbackMs: (typed.lookback_minutes ?? 60) * 60_000,
    sliceDays: typed.slice_days ?? 30,
    checkpointInterval: typed.checkpoint_interval ?? 2000,
    maxConcurrency: typed.max_concurrency ?? 8,
    timeoutMs: (typed.request_timeout_seconds ?? 120) * 1000,
    reportStatuses: typed.report_statuses ?? [],
    extractDefinitionIds: typed.extract_definition_ids ?? [],
    includeInactiveDelegators: typed.include_inactive_delegators ?? false,
    userInformationApi: typed.user_information_api ?? 'identity_v4_1',
    locationCountries: typed.location_countries ?? [],
    unknownFields: unknownFields(config, spec.connectionSpecification),
  };
}

/** The configured range (epoch ms): start_date or days_back, end_date or end_days_back (inclusive days), checked. */
function resolveRange(typed: SourceConcurConfig, now: number): { start: number | undefined; configuredEnd: number | undefined } {
  if (typed.start_date !== undefined && typed.days_back !== undefined) {
    throw new ConfigError(`config.start_date (${typed.start_date}) and config.days_back (${typed.days_back}) both set the start: keep one of them.`);
  }
  if (typed.end_date !== undefined && typed.end_days_back !== undefined) {
    throw new ConfigError(`config.end_date (${typed.end_date}) and config.end_days_back (${typed.end_days_back}) both set the end: keep one of them.`);
  }
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const start =
    typed.start_date !== undefined ? parseDay('start_date', typed.start_date) : typed.days_back !== undefined ? today - typed.days_back * DAY_MS : undefined;
  // End dates are inclusive days: the range runs to the end of that day.
  const configuredEnd =
    typed.end_date !== undefined
      ? parseDay('end_date', typed.end_date) + DAY_MS
      : typed.end_days_back !== undefined
        ? today - typed.end_days_back * DAY_MS + DAY_MS
        : undefined;
  if (start !== undefined && start > now) {
    throw new ConfigError(`The start (${day(start)}) is in the future, so nothing would be read. Set config.start_date or config.days_back to a past day.`);
  }
  if (start !== undefined && configuredEnd !== undefined && start >= configuredEnd) {
    throw new ConfigError(`The start (${day(start)}) is after the end (${day(configuredEnd - DAY_MS)}). Swap or correct the dates.`);
  }
  return { start, configuredEnd };
}

/** The grant the credentials option describes. */
function grantOf(credentials: SourceConcurConfig['credentials']): Grant {
  return (
    credentials.auth_type === 'password'
      ? { kind: 'password', clientId: credentials.client_id, clientSecret: credentials.client_secret, username: credentials.username, password: credentials.password }
      : credentials.auth_type === 'company'
        ? {
            kind: 'company',
            clientId: credentials.client_id,
            clientSecret: credentials.client_secret,
            companyId: credentials.company_id,
            requestToken: credentials.company_request_token,
            ...(credentials.refresh_token ? { refreshToken: credentials.refresh_token } : {}),
          }
        : { kind: 'refresh_token', clientId: credentials.client_id, clientSecret: credentials.client_secret, refreshToken: credentials.refresh_token }
  );
}

/**
 * One validator per credentials option, chosen by auth_type: ajv's raw oneOf errors list every option's
 * complaints at once ("must have username… must have company_id… must match exactly one schema"), which
 * tells the user nothing. With the option picked first, the message names the one missing field.
 */
function validateAgainstSpec(config: Record<string, unknown>, schema: Record<string, unknown>): void {
  const properties = schema['properties'] as Record<string, Record<string, unknown>>;
  const options = (properties['credentials']?.['oneOf'] ?? []) as Array<Record<string, unknown>>;
  const kinds = options.map((o) => ((o['properties'] as Record<string, { const: string }>)['auth_type'] as { const: string }).const);
  const credentials = config['credentials'];
  if (typeof credentials !== 'object' || credentials === null || Array.isArray(credentials)) {
    throw new ConfigError(`config.credentials is ${credentials === undefined ? 'missing' : 'not an object'}: add {"auth_type": one of ${kinds.map((k) => `"${k}"`).join(', ')}, …}.`);
  }
  const kind = (credentials as Record<string, unknown>)['auth_type'];
  const index = kinds.indexOf(kind as string);
  if (index < 0) {
    throw new ConfigError(`config.credentials.auth_type must be one of ${kinds.map((k) => `"${k}"`).join(', ')} (got ${JSON.stringify(kind)?.slice(0, 60)}).`);
  }
  const validate = validatorFor(schema, index);
  if (!validate(config)) {
    // A missing field is most often a misspelt one: name the stray field beside the missing one.
    const strays = unknownCredentialFields(credentials as Record<string, unknown>, options[index]);
    throw new ConfigError(`Invalid config: ${[formatErrors('config', validate.errors), ...strays].join('; ')}.`);
  }
}

/** Fields of the credentials object that its auth_type does not know, each with the field it likely means. */
function unknownCredentialFields(credentials: Record<string, unknown>, option: Record<string, unknown> | undefined): string[] {
  const known = Object.keys((option?.['properties'] ?? {}) as Record<string, unknown>);
  return Object.keys(credentials)
    .filter((key) => !known.includes(key))
    .map((key) => `config.credentials.${key.slice(0, 80)} is not a field of auth_type "${String(credentials['auth_type'])}"${didYouMean(key, known)}`);
}

const validators = new WeakMap<object, ValidateFunction[]>();

function validatorFor(schema: Record<string, unknown>, option: number): ValidateFunction {
  let compiled = validators.get(schema);
  if (!compiled) {
    const properties = schema['properties'] as Record<string, Record<string, unknown>>;
    const options = (properties['credentials']?.['oneOf'] ?? []) as Array<Record<string, unknown>>;
    const ajv = createAjv({ allErrors: true, useDefaults: true });
    compiled = options.map((credentials) => {
      const { oneOf: _oneOf, display_type: _display, ...credentialsParent } = properties['credentials'] ?? {};
      const { $schema: _draft, ...rest } = schema;
      return ajv.compile({
        ...rest,
        properties: { ...properties, credentials: { ...credentialsParent, ...credentials } },
      });
    });
    validators.set(schema, compiled);
  }
  return compiled[option] as ValidateFunction;
}

function registerSecrets(raw: unknown, schema: Record<string, unknown>, redactor: Redactor): void {
  const secretKeys = new Set<string>();
  const collect = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if (typeof value === 'object' && value !== null && (value as Record<string, unknown>)['airbyte_secret'] === true) secretKeys.add(key);
      collect(value);
    }
  };
  collect(schema);
  const walk = (node: unknown, depth: number): void => {
    if (depth > 32 || typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if (secretKeys.has(key) && (typeof value === 'string' || typeof value === 'number')) redactor.add(String(value));
      else walk(value, depth + 1);
    }
  };
  walk(raw, 0);
}

function parseDay(field: string, value: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const at = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN;
  if (Number.isNaN(at) || new Date(at).toISOString().slice(0, 10) !== value) {
    throw new ConfigError(`config.${field} "${value.slice(0, 40)}" is not a real date; use YYYY-MM-DD, e.g. 2025-01-31.`);
  }
  return at;
}

function checkUrl(field: string, value: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`config.${field} "${value.slice(0, 200)}" is not a URL.`);
  }
  if (!isSafeUrl(url)) {
    throw new ConfigError(`config.${field} must use https (plain http is only allowed for localhost, e.g. the simulator); got ${url.protocol}//${url.host}.`);
  }
}

function day(epoch: number): string {
  return new Date(epoch).toISOString().slice(0, 10);
}

/**
 * The spec allows extra fields (Airbyte's rule: additionalProperties true), so a misspelt option would silently do
 * nothing: each unknown field, at the top level or inside `credentials`, is named with the known field it most
 * likely means. Fields starting with "_" are the platform's or the user's own notes and are left alone.
 */
function unknownFields(config: Record<string, unknown>, schema: Record<string, unknown>): string[] {
  const properties = (schema['properties'] ?? {}) as Record<string, Record<string, unknown>>;
  const known = Object.keys(properties);
  const topLevel = Object.keys(config)
    .filter((key) => !known.includes(key) && !key.startsWith('_'))
    .map((key) => `config.${key.slice(0, 80)} is not an option of this connector and is ignored${didYouMean(key, known)}.`);
  const credentials = config['credentials'] as Record<string, unknown>;
  const options = (properties['credentials']?.['oneOf'] ?? []) as Array<Record<string, unknown>>;
  const option = options.find((o) => (o['properties'] as Record<string, { const?: unknown }>)['auth_type']?.const === credentials['auth_type']);
  const inCredentials = unknownCredentialFields(credentials, option)
    .filter((line) => !/^config\.credentials\._/.test(line))
    .map((line) => `${line} and is ignored.`);
  return [...topLevel, ...inCredentials];
}
