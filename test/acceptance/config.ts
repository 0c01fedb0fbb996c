import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { startSimulator, type Simulator } from '../helpers/simulator.js';

// integration_tests/acceptance-test-config.yml, loaded and typed the way CAT reads it (connector_acceptance_test/
// config.py), with CAT's defaults filled in and the high-strictness rules enforced: a suite that is missing, a
// bypass without a reason or a basic_read with a custom catalog fails loudly instead of skipping tests.

export const REPO_ROOT = join(import.meta.dirname, '..', '..');
export const CONFIG_FILE = 'integration_tests/acceptance-test-config.yml';

/** The simulator tenant the fixtures describe (scripts/integration-fixtures.mjs FIXTURE_TENANT / FIXTURE_BASE). */
export const FIXTURE_TENANT = ['--seed', '20261128', '--reports', '60', '--users', '8'] as const;
/** The base URL written into sample_config.json and expected_records.jsonl, replaced by the spawned simulator's. */
export const FIXTURE_BASE = 'http://127.0.0.1:8080';

export type Json = Record<string, unknown>;

export interface Bypassed {
  name: string;
  bypass_reason: string;
}

export interface SpecTest {
  spec_path: string;
  config_path: string;
  previous_connector_version?: string;
  disable_for_version?: string;
}

export interface ConnectionTest {
  config_path: string;
  status: 'succeed' | 'failed' | 'exception';
}

export interface DiscoveryTest {
  config_path: string;
}

export interface ExpectRecords {
  path: string;
  exact_order: boolean;
  extra_fields: boolean;
  extra_records: boolean;
}

export interface BasicReadTest {
  config_path: string;
  /** Always undefined at high strictness: the catalog is the discovered one. */
  configured_catalog_path?: string;
  expect_records?: ExpectRecords;
  validate_schema: boolean;
  fail_on_extra_columns: boolean;
  validate_state_messages: boolean;
  validate_stream_statuses: boolean;
  validate_primary_keys_data_type: boolean;
  validate_data_points: boolean;
  empty_streams: Bypassed[];
  ignored_fields: Record<string, Bypassed[]>;
}

export interface FullRefreshTest {
  config_path: string;
  configured_catalog_path: string;
  ignored_fields: Record<string, Bypassed[]>;
}

export interface IncrementalTest {
  config_path: string;
  configured_catalog_path: string;
  future_state_path?: string;
  /** Incremental streams allowed to be absent from future_state (each with a reason). */
  missing_streams: Bypassed[];
  skip_comprehensive_incremental_tests: boolean;
}

export interface AttributesTest {
  config_path: string;
}

export interface AcceptanceConfig {
  connector_image: string;
  test_strictness_level: 'low' | 'high';
  spec: SpecTest[];
  connection: ConnectionTest[];
  discovery: DiscoveryTest[];
  basic_read: BasicReadTest[];
  full_refresh: FullRefreshTest[];
  incremental: IncrementalTest[];
  connector_attributes: AttributesTest[];
  connector_documentation: AttributesTest[];
  /** Suites bypassed as a whole, with their reasons. */
  bypassed: Record<string, string>;
}

/** Suites CAT makes mandatory at test_strictness_level: high (each needs tests or a bypass_reason). */
export const HIGH_STRICTNESS_SUITES = ['spec', 'connection', 'discovery', 'basic_read', 'full_refresh', 'incremental'] as const;
const SUITES = [...HIGH_STRICTNESS_SUITES, 'connector_attributes', 'connector_documentation'] as const;

const DEFAULT_CONFIG = 'secrets/config.json';
const DEFAULT_CATALOG = 'integration_tests/configured_catalog.json';

class Problems {
  readonly list: string[] = [];
  add(message: string): void {
    this.list.push(message);
  }
}

type Raw = Record<string, unknown>;
const isObject = (value: unknown): value is Raw => typeof value === 'object' && value !== null && !Array.isArray(value);

/** YAML 1.1 booleans (CAT uses PyYAML): yes/no/on/off/true/false, or the default when absent. */
function flag(value: unknown, fallback: boolean, where: string, problems: Problems): boolean {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'boolean') return value;
  const text = String(value).toLowerCase();
  if (['yes', 'y', 'on', 'true'].includes(text)) return true;
  if (['no', 'n', 'off', 'false'].includes(text)) return false;
  problems.add(`${where}: "${String(value)}" is not a boolean`);
  return fallback;
}

function text(value: unknown, where: string, problems: Problems, fallback?: string): string {
  if (value === undefined || value === null) {
    if (fallback !== undefined) return fallback;
    problems.add(`${where} is missing`);
    return '';
  }
  if (typeof value !== 'string' || value.trim() === '') {
    problems.add(`${where} must be a non-empty string`);
    return '';
  }
  return value;
}

function reason(value: unknown, where: string, problems: Problems): string {
  if (typeof value !== 'string' || value.trim() === '') {
    problems.add(`${where}.bypass_reason is missing or empty (required at high strictness)`);
    return '';
  }
  return value;
}

function bypassedList(value: unknown, where: string, problems: Problems, strict: boolean): Bypassed[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    problems.add(`${where} must be a list`);
    return [];
  }
  return value.map((entry, i) => {
    const at = `${where}[${i}]`;
    const item = isObject(entry) ? entry : {};
    if (!isObject(entry)) problems.add(`${at} must be a mapping with name and bypass_reason`);
    const name = text(item['name'], `${at}.name`, problems);
    const why = strict ? reason(item['bypass_reason'], at, problems) : String(item['bypass_reason'] ?? '');
    return { name, bypass_reason: why };
  });
}

function ignoredFields(value: unknown, where: string, problems: Problems, strict: boolean): Record<string, Bypassed[]> {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) {
    problems.add(`${where} must map stream names to field lists`);
    return {};
  }
  return Object.fromEntries(Object.entries(value).map(([stream, fields]) => [stream, bypassedList(fields, `${where}.${stream}`, problems, strict)]));
}

/** Parses the acceptance-test config text; throws with every problem found (never returns a half-valid config). */
export function parseAcceptanceConfig(source: string): AcceptanceConfig {
  const problems = new Problems();
  const root: unknown = parse(source, { version: '1.1' });
  if (!isObject(root)) throw new Error(`${CONFIG_FILE}: not a YAML mapping`);
  const level = root['test_strictness_level'] ?? 'low';
  if (level !== 'low' && level !== 'high') problems.add(`test_strictness_level must be low or high, not ${String(level)}`);
  const strict = level === 'high';
  const suites = root['acceptance_tests'];
  if (!isObject(suites)) {
    problems.add('acceptance_tests is missing (the legacy top-level `tests:` layout is not supported)');
  }
  const all: Raw = isObject(suites) ? suites : {};
  const bypassed: Record<string, string> = {};
  const testsOf = (suite: (typeof SUITES)[number]): Raw[] => {
    const entry = all[suite];
    const mandatory = strict && (HIGH_STRICTNESS_SUITES as readonly string[]).includes(suite);
    if (entry === undefined || entry === null) {
      if (mandatory) problems.add(`acceptance_tests.${suite} is missing: it is mandatory at high strictness (tests, or bypass_reason)`);
      return [];
    }
    if (!isObject(entry)) {
      problems.add(`acceptance_tests.${suite} must be a mapping`);
      return [];
    }
    if (entry['bypass_reason'] !== undefined) {
      bypassed[suite] = reason(entry['bypass_reason'], `acceptance_tests.${suite}`, problems);
      return [];
    }
    const tests = entry['tests'];
    if (!Array.isArray(tests) || tests.length === 0) {
      problems.add(`acceptance_tests.${suite}.tests must be a non-empty list (or the suite needs a bypass_reason)`);
      return [];
    }
    return tests.map((t, i) => {
      if (!isObject(t)) problems.add(`acceptance_tests.${suite}.tests[${i}] must be a mapping`);
      return isObject(t) ? t : {};
    });
  };
  const at = (suite: string, i: number): string => `acceptance_tests.${suite}.tests[${i}]`;

  const spec = testsOf('spec').map((t, i): SpecTest => {
    const compat = isObject(t['backward_compatibility_tests_config']) ? t['backward_compatibility_tests_config'] : {};
    const previous = compat['previous_connector_version'];
    const disabled = compat['disable_for_version'];
    return {
      spec_path: text(t['spec_path'], `${at('spec', i)}.spec_path`, problems, 'spec.json'),
      config_path: text(t['config_path'], `${at('spec', i)}.config_path`, problems, DEFAULT_CONFIG),
      ...(previous !== undefined ? { previous_connector_version: String(previous) } : {}),
      ...(disabled !== undefined ? { disable_for_version: String(disabled) } : {}),
    };
  });

  const connection = testsOf('connection').map((t, i): ConnectionTest => {
    const status = t['status'];
    if (status !== 'succeed' && status !== 'failed' && status !== 'exception') problems.add(`${at('connection', i)}.status must be succeed, failed or exception`);
    return { config_path: text(t['config_path'], `${at('connection', i)}.config_path`, problems, DEFAULT_CONFIG), status: status as ConnectionTest['status'] };
  });

  const discovery = testsOf('discovery').map((t, i): DiscoveryTest => ({ config_path: text(t['config_path'], `${at('discovery', i)}.config_path`, problems, DEFAULT_CONFIG) }));

  const basicRead = testsOf('basic_read').map((t, i): BasicReadTest => {
    const where = at('basic_read', i);
    if (strict && t['configured_catalog_path'] !== undefined) problems.add(`${where}.configured_catalog_path is not allowed at high strictness (the discovered catalog is read)`);
    let expect: ExpectRecords | undefined;
    const raw = t['expect_records'];
    if (isObject(raw)) {
      if (raw['bypass_reason'] !== undefined) {
        reason(raw['bypass_reason'], `${where}.expect_records`, problems);
      } else {
        expect = {
          path: text(raw['path'], `${where}.expect_records.path`, problems),
          exact_order: flag(raw['exact_order'], false, `${where}.expect_records.exact_order`, problems),
          extra_fields: flag(raw['extra_fields'], false, `${where}.expect_records.extra_fields`, problems),
          extra_records: flag(raw['extra_records'], true, `${where}.expect_records.extra_records`, problems),
        };
      }
    } else if (strict) {
      problems.add(`${where}.expect_records is required at high strictness (or expect_records.bypass_reason)`);
    }
    return {
      config_path: text(t['config_path'], `${where}.config_path`, problems, DEFAULT_CONFIG),
      ...(typeof t['configured_catalog_path'] === 'string' ? { configured_catalog_path: t['configured_catalog_path'] } : {}),
      ...(expect ? { expect_records: expect } : {}),
      validate_schema: flag(t['validate_schema'], true, `${where}.validate_schema`, problems),
      fail_on_extra_columns: flag(t['fail_on_extra_columns'], true, `${where}.fail_on_extra_columns`, problems),
      validate_state_messages: flag(t['validate_state_messages'], true, `${where}.validate_state_messages`, problems),
      validate_stream_statuses: flag(t['validate_stream_statuses'], false, `${where}.validate_stream_statuses`, problems),
      validate_primary_keys_data_type: flag(t['validate_primary_keys_data_type'], true, `${where}.validate_primary_keys_data_type`, problems),
      validate_data_points: flag(t['validate_data_points'], false, `${where}.validate_data_points`, problems),
      empty_streams: bypassedList(t['empty_streams'], `${where}.empty_streams`, problems, strict),
      ignored_fields: ignoredFields(t['ignored_fields'], `${where}.ignored_fields`, problems, strict),
    };
  });

  const fullRefresh = testsOf('full_refresh').map((t, i): FullRefreshTest => ({
    config_path: text(t['config_path'], `${at('full_refresh', i)}.config_path`, problems, DEFAULT_CONFIG),
    configured_catalog_path: text(t['configured_catalog_path'], `${at('full_refresh', i)}.configured_catalog_path`, problems, DEFAULT_CATALOG),
    ignored_fields: ignoredFields(t['ignored_fields'], `${at('full_refresh', i)}.ignored_fields`, problems, strict),
  }));

  const incremental = testsOf('incremental').map((t, i): IncrementalTest => {
    const where = at('incremental', i);
    const future = t['future_state'];
    let futurePath: string | undefined;
    let missing: Bypassed[] = [];
    if (isObject(future) && future['bypass_reason'] !== undefined) {
      reason(future['bypass_reason'], `${where}.future_state`, problems);
    } else if (isObject(future)) {
      futurePath = text(future['future_state_path'], `${where}.future_state.future_state_path`, problems);
      missing = bypassedList(future['missing_streams'], `${where}.future_state.missing_streams`, problems, strict);
    } else if (strict) {
      problems.add(`${where}.future_state is required at high strictness (future_state_path, or a bypass_reason)`);
    }
    return {
      config_path: text(t['config_path'], `${where}.config_path`, problems, DEFAULT_CONFIG),
      configured_catalog_path: text(t['configured_catalog_path'], `${where}.configured_catalog_path`, problems, DEFAULT_CATALOG),
      ...(futurePath !== undefined ? { future_state_path: futurePath } : {}),
      missing_streams: missing,
      skip_comprehensive_incremental_tests: flag(t['skip_comprehensive_incremental_tests'], false, `${where}.skip_comprehensive_incremental_tests`, problems),
    };
  });

  const attributes = (suite: 'connector_attributes' | 'connector_documentation') =>
    testsOf(suite).map((t, i): AttributesTest => ({ config_path: text(t['config_path'], `${at(suite, i)}.config_path`, problems, DEFAULT_CONFIG) }));
  const connectorAttributes = attributes('connector_attributes');
  const connectorDocumentation = attributes('connector_documentation');

  if (problems.list.length > 0) throw new Error(`${CONFIG_FILE} is not valid for test_strictness_level ${String(level)}:\n- ${problems.list.join('\n- ')}`);
  return {
    connector_image: String(root['connector_image'] ?? ''),
    test_strictness_level: strict ? 'high' : 'low',
    spec,
    connection,
    discovery,
    basic_read: basicRead,
    full_refresh: fullRefresh,
    incremental,
    connector_attributes: connectorAttributes,
    connector_documentation: connectorDocumentation,
    bypassed,
  };
}

let loaded: AcceptanceConfig | undefined;

/** The repository's acceptance-test-config.yml (cached). Throws when it breaks a high-strictness rule. */
export function acceptanceConfig(): AcceptanceConfig {
  loaded ??= parseAcceptanceConfig(readFileSync(join(REPO_ROOT, CONFIG_FILE), 'utf8'));
  return loaded;
}

export function repoText(path: string): string {
  return readFileSync(join(REPO_ROOT, path), 'utf8');
}

export function repoJson<T = Json>(path: string): T {
  return JSON.parse(repoText(path)) as T;
}

/** Every FIXTURE_BASE inside a JSON value, replaced by `url` (config files, expected records). */
export function withBaseUrl<T>(value: T, url: string): T {
  return JSON.parse(JSON.stringify(value).replaceAll(FIXTURE_BASE, url)) as T;
}

export interface FixtureTenant {
  sim: Simulator;
  url: string;
  /** A config file of the yaml (sample_config.json by default), pointed at this simulator. */
  config(path?: string): Json;
  stop(): Promise<void>;
}

/** Starts the simulator with the tenant the fixtures were generated from. Stop it in afterAll. */
export async function startFixtureTenant(): Promise<FixtureTenant> {
  const sim = await startSimulator([...FIXTURE_TENANT]);
  return {
    sim,
    url: sim.url,
    config: (path = 'integration_tests/sample_config.json') => withBaseUrl(repoJson(path), sim.url),
    stop: async () => {
      await sim.stop();
    },
  };
}
