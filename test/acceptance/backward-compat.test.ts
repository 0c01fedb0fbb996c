import { Ajv, type ValidateFunction } from 'ajv';
import * as ajvFormatsModule from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { byType, jsonFile, runCli } from '../helpers/run-cli.js';
import { acceptanceConfig, repoJson, repoText, type Json } from './config.js';

// CAT test_backward_compatibility, for spec (TestSpec) and for discover (TestDiscovery), against the previous
// released version kept in the repository:
// - integration_tests/previous/spec.json: the `spec` output of the previous release named by the yaml's
//   backward_compatibility_tests_config.previous_connector_version. 0.1.0 is the released version, so it is
//   spec.json as released (a copy).
// - integration_tests/previous/catalog.json: that release's discovered catalog ({streams: [...]}), written once
//   with the release's build:
//     node bin/source-concur.js discover --config integration_tests/sample_config.json \
//       | node -e 'let s="";process.stdin.on("data",c=>s+=c).on("end",()=>{const m=s.split("\n").filter(Boolean).map(JSON.parse).find(m=>m.type==="CATALOG");process.stdout.write(JSON.stringify(m.catalog,null,2)+"\n")})' \
//       > integration_tests/previous/catalog.json
// When a version is released, replace both files with that version's spec and catalog.
//
// Spec rules (CAT SpecDiffChecker + validate_previous_configs): no new `required` (declared or extended, at any
// level), no property removed, no type changed or narrowed (widening to a list that keeps the old type is fine),
// nothing made non-nullable, no enum narrowed or newly declared, and 100 configs generated from the old spec
// validate against the new one. Discover rules (CatalogDiffChecker): no stream removed, no property removed, no
// type change (no widening), default_cursor_field unchanged (a cursor given to a stream that had none is allowed:
// CAT's DeepDiff sees None → list as a type change, which its check does not count); and (ours) primary keys unchanged.

type Node = Record<string, unknown>;
const PREVIOUS_SPEC = 'integration_tests/previous/spec.json';
const PREVIOUS_CATALOG = 'integration_tests/previous/catalog.json';
const CONFIGS_TO_GENERATE = 100;
const SEED = 20261128;

const props = (node: Node): Record<string, Node> => (node['properties'] as Record<string, Node> | undefined) ?? {};
const typesOf = (node: Node): string[] | undefined => (node['type'] === undefined ? undefined : [node['type'] as string | string[]].flat());
const show = (value: unknown): string => JSON.stringify(value);

/** The `type` rules. Spec: widening allowed if the old type stays; catalog: only adding "null" is allowed. */
function diffType(before: Node, after: Node, path: string, allowWidening: boolean, out: string[]): void {
  const old = before['type'];
  const neu = after['type'];
  if (old === undefined) {
    if (neu !== undefined) out.push(`${path}: type ${show(neu)} declared where there was none (narrowed)`);
    return;
  }
  if (neu === undefined) {
    if (!allowWidening) out.push(`${path}: type ${show(old)} removed`);
    return;
  }
  const o = typesOf(before) as string[];
  const n = typesOf(after) as string[];
  if (typeof old === 'string' && typeof neu === 'string') {
    if (old !== neu) out.push(`${path}: type changed from ${show(old)} to ${show(neu)}`);
    return;
  }
  const removed = o.filter((t) => !n.includes(t));
  if (removed.length > 0) {
    out.push(`${path}: type ${show(old)} → ${show(neu)} ${removed.includes('null') ? 'made the field non-nullable' : `drops ${removed.join(', ')}`}`);
    return;
  }
  const added = n.filter((t) => !o.includes(t));
  if (!allowWidening && added.some((t) => t !== 'null')) out.push(`${path}: type changed from ${show(old)} to ${show(neu)} (no widening in a stream schema)`);
}

/** The selector value (the const common to every option) of a oneOf option, or its index. */
function optionKey(options: Node[], option: Node, index: number): string {
  const common = Object.keys(props(option)).filter((k) => options.every((o) => props(o)[k]?.['const'] !== undefined));
  const selector = common[0];
  return selector === undefined ? `#${index}` : `${selector}=${String(props(option)[selector]?.['const'])}`;
}

function walk(before: Node, after: Node, path: string, mode: 'spec' | 'catalog', out: string[]): void {
  if (mode === 'spec') {
    const oldRequired = before['required'] as string[] | undefined;
    const newRequired = (after['required'] as string[] | undefined) ?? [];
    if (oldRequired === undefined && newRequired.length > 0) out.push(`${path}: declares a new 'required' (${newRequired.join(', ')})`);
    else for (const name of newRequired) if (!(oldRequired ?? []).includes(name)) out.push(`${path}.required: ${name} added`);
    const oldEnum = before['enum'] as unknown[] | undefined;
    const newEnum = after['enum'] as unknown[] | undefined;
    if (oldEnum === undefined && newEnum !== undefined) out.push(`${path}: declares a new enum ${show(newEnum)}`);
    if (oldEnum !== undefined && newEnum !== undefined) {
      const gone = oldEnum.filter((v) => !newEnum.some((w) => show(w) === show(v)));
      if (gone.length > 0) out.push(`${path}: enum narrowed, ${show(gone)} removed`);
    }
  }
  diffType(before, after, path, mode === 'spec', out);
  const newProps = props(after);
  for (const [name, child] of Object.entries(props(before))) {
    const next = newProps[name];
    if (next === undefined) out.push(`${path}.${name}: property removed`);
    else walk(child, next, `${path}.${name}`, mode, out);
  }
  const oldOptions = before['oneOf'] as Node[] | undefined;
  if (oldOptions) {
    const newOptions = (after['oneOf'] as Node[] | undefined) ?? [];
    oldOptions.forEach((option, i) => {
      const key = optionKey(oldOptions, option, i);
      const match = newOptions.find((o, j) => optionKey(newOptions, o, j) === key);
      if (!match) out.push(`${path}.oneOf[${key}]: option removed`);
      else walk(option, match, `${path}.oneOf[${key}]`, mode, out);
    });
  }
  const oldItems = before['items'];
  if (oldItems && typeof oldItems === 'object' && !Array.isArray(oldItems)) {
    const newItems = after['items'];
    if (newItems && typeof newItems === 'object' && !Array.isArray(newItems)) walk(oldItems as Node, newItems as Node, `${path}[]`, mode, out);
    else if (!(mode === 'spec' && newItems === undefined)) out.push(`${path}.items: changed from a schema to ${show(newItems)}`);
  }
}

/** Backward-incompatible changes from one connectionSpecification to the next (empty = compatible). */
export function diffSpec(previous: Node, current: Node): string[] {
  const out: string[] = [];
  walk(previous, current, '$', 'spec', out);
  return out;
}

interface Stream {
  name: string;
  json_schema: Node;
  default_cursor_field?: string[];
  source_defined_primary_key?: string[][];
}

/** Backward-incompatible changes from one discovered catalog to the next (empty = compatible). */
export function diffCatalog(previous: readonly Stream[], current: readonly Stream[]): string[] {
  const out: string[] = [];
  for (const old of previous) {
    const now = current.find((s) => s.name === old.name);
    if (!now) {
      out.push(`${old.name}: stream removed`);
      continue;
    }
    walk(old.json_schema, now.json_schema, old.name, 'catalog', out);
    if (old.default_cursor_field !== undefined && show(old.default_cursor_field) !== show(now.default_cursor_field ?? null)) out.push(`${old.name}: default_cursor_field changed from ${show(old.default_cursor_field)} to ${show(now.default_cursor_field)}`);
    if (show(old.source_defined_primary_key ?? null) !== show(now.source_defined_primary_key ?? null)) out.push(`${old.name}: primary key changed from ${show(old.source_defined_primary_key)} to ${show(now.source_defined_primary_key)}`);
  }
  return out;
}

// ---- Config generator: deterministic, seeded; valid values from enums, consts, defaults, examples and patterns.

/** mulberry32: a small seeded PRNG, so every run generates the same configs. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i));
const ALNUM = PRINTABLE.filter((c) => /[A-Za-z0-9]/.test(c));
const pick = <T>(rnd: () => number, list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
const between = (rnd: () => number, min: number, max: number): number => min + Math.floor(rnd() * (max - min + 1));

/** Characters a class escape or a bracket expression allows (printable ASCII only). */
function classChars(body: string): string[] {
  const negated = body.startsWith('^');
  const chars = new Set<string>();
  const text = negated ? body.slice(1) : body;
  for (let i = 0; i < text.length; i++) {
    let c = text[i] as string;
    if (c === '\\') {
      const e = text[++i] as string;
      const escaped = escapeChars(e);
      if (escaped) {
        escaped.forEach((x) => chars.add(x));
        continue;
      }
      c = e;
    }
    if (text[i + 1] === '-' && i + 2 < text.length) {
      const end = text[i + 2] as string;
      for (let code = c.charCodeAt(0); code <= end.charCodeAt(0); code++) chars.add(String.fromCharCode(code));
      i += 2;
      continue;
    }
    chars.add(c);
  }
  return negated ? PRINTABLE.filter((c) => !chars.has(c) && c !== ' ') : [...chars];
}

function escapeChars(e: string): string[] | undefined {
  switch (e) {
    case 'd':
      return PRINTABLE.filter((c) => /\d/.test(c));
    case 'w':
      return PRINTABLE.filter((c) => /\w/.test(c));
    case 's':
      return [' '];
    case 'S':
      return PRINTABLE.filter((c) => c !== ' ');
    case 'D':
      return PRINTABLE.filter((c) => !/\d/.test(c));
    case 'W':
      return PRINTABLE.filter((c) => !/\w/.test(c));
    default:
      return undefined;
  }
}

/**
 * A string matching a simple pattern: anchors, literals, escapes, bracket classes and quantifiers (?, *, +, {n},
 * {n,m}). Groups and alternation are refused loudly: extend this when the spec starts using them.
 */
export function fromPattern(pattern: string, rnd: () => number): string {
  let i = 0;
  let out = '';
  const anchoredEnd = pattern.endsWith('$') && !pattern.endsWith('\\$');
  const body = pattern.slice(pattern.startsWith('^') ? 1 : 0, anchoredEnd ? -1 : undefined);
  while (i < body.length) {
    let chars: string[];
    const c = body[i] as string;
    if (c === '(' || c === '|' || c === ')') throw new Error(`fromPattern: groups/alternation are not supported: ${pattern}`);
    if (c === '[') {
      const end = body.indexOf(']', i + 2);
      chars = classChars(body.slice(i + 1, end));
      i = end + 1;
    } else if (c === '\\') {
      const e = body[i + 1] as string;
      chars = escapeChars(e) ?? [e];
      i += 2;
    } else if (c === '.') {
      chars = PRINTABLE.filter((x) => x !== ' ');
      i++;
    } else {
      chars = [c];
      i++;
    }
    let min = 1;
    let max = 1;
    const q = body[i];
    if (q === '?') [min, max, i] = [0, 1, i + 1];
    else if (q === '*') [min, max, i] = [0, 4, i + 1];
    else if (q === '+') [min, max, i] = [1, 5, i + 1];
    else if (q === '{') {
      const close = body.indexOf('}', i);
      const [a, b] = body.slice(i + 1, close).split(',');
      min = Number(a);
      max = b === undefined ? min : b === '' ? min + 4 : Number(b);
      i = close + 1;
    }
    const n = between(rnd, min, max);
    for (let k = 0; k < n; k++) out += pick(rnd, chars);
  }
  if (!anchoredEnd) out += Array.from({ length: between(rnd, 0, 6) }, () => pick(rnd, ALNUM)).join('');
  return out;
}

function fits(value: string, schema: Node): boolean {
  if (typeof schema['minLength'] === 'number' && value.length < schema['minLength']) return false;
  if (typeof schema['maxLength'] === 'number' && value.length > schema['maxLength']) return false;
  if (typeof schema['pattern'] === 'string' && !new RegExp(schema['pattern'], 'u').test(value)) return false;
  if (schema['format'] === 'date' && !isDate(value)) return false;
  return true;
}

/** A real calendar date, YYYY-MM-DD (a pattern alone allows 2025-13-45). */
function isDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const at = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return at.getUTCMonth() === Number(m[2]) - 1 && at.getUTCDate() === Number(m[3]);
}

function genString(schema: Node, rnd: () => number): string {
  const known = [schema['default'], ...((schema['examples'] as unknown[] | undefined) ?? [])].filter((v): v is string => typeof v === 'string' && fits(v, schema));
  if (known.length > 0 && rnd() < 0.5) return pick(rnd, known);
  for (let attempt = 0; attempt < 50; attempt++) {
    let value: string;
    if (schema['format'] === 'date') value = `${between(rnd, 2000, 2030)}-${String(between(rnd, 1, 12)).padStart(2, '0')}-${String(between(rnd, 1, 28)).padStart(2, '0')}`;
    else if (schema['format'] === 'date-time') value = `${between(rnd, 2000, 2030)}-0${between(rnd, 1, 9)}-1${between(rnd, 0, 9)}T0${between(rnd, 0, 9)}:1${between(rnd, 0, 9)}:2${between(rnd, 0, 9)}Z`;
    else if (typeof schema['pattern'] === 'string') value = fromPattern(schema['pattern'], rnd);
    else value = Array.from({ length: between(rnd, Math.max(1, Number(schema['minLength'] ?? 1)), Math.max(1, Number(schema['minLength'] ?? 1)) + 20) }, () => pick(rnd, ALNUM)).join('');
    if (fits(value, schema)) return value;
  }
  if (known.length > 0) return pick(rnd, known);
  throw new Error(`cannot generate a string for ${show(schema).slice(0, 200)}`);
}

function genNumber(schema: Node, rnd: () => number, integer: boolean): number {
  const min = typeof schema['minimum'] === 'number' ? schema['minimum'] : -1000;
  const max = typeof schema['maximum'] === 'number' ? schema['maximum'] : min + 100_000;
  const known = [schema['default'], ...((schema['examples'] as unknown[] | undefined) ?? []), min, max].filter((v): v is number => typeof v === 'number' && v >= min && v <= max);
  if (rnd() < 0.4) return pick(rnd, known);
  return integer ? between(rnd, Math.ceil(min), Math.floor(max)) : min + rnd() * (max - min);
}

/** One value valid against `schema` (the subset of JSON Schema Airbyte specs use). */
export function generate(schema: Node, rnd: () => number): unknown {
  if (schema['const'] !== undefined) return schema['const'];
  if (Array.isArray(schema['enum'])) return pick(rnd, schema['enum'] as unknown[]);
  const options = schema['oneOf'] as Node[] | undefined;
  if (options) return generate({ ...schema, oneOf: undefined, ...pick(rnd, options) }, rnd);
  const types = typesOf(schema) ?? ['string'];
  if (types.includes('null') && rnd() < 0.1) return null;
  const type = pick(rnd, types.filter((t) => t !== 'null'));
  switch (type) {
    case 'object': {
      const required = (schema['required'] as string[] | undefined) ?? [];
      const out: Json = {};
      for (const [name, child] of Object.entries(props(schema))) if (required.includes(name) || rnd() < 0.5) out[name] = generate(child, rnd);
      return out;
    }
    case 'array': {
      if (Array.isArray(schema['default']) && rnd() < 0.3) return schema['default'];
      const items = (schema['items'] as Node | undefined) ?? {};
      const min = Number(schema['minItems'] ?? 0);
      const max = Math.min(Number(schema['maxItems'] ?? min + 4), min + 4);
      const wanted = between(rnd, min, max);
      const out: unknown[] = [];
      for (let attempt = 0; out.length < wanted && attempt < wanted * 10; attempt++) {
        const value = generate(items, rnd);
        if (schema['uniqueItems'] === true && out.some((v) => show(v) === show(value))) continue;
        out.push(value);
      }
      return out;
    }
    case 'string':
      return genString(schema, rnd);
    case 'integer':
      return genNumber(schema, rnd, true);
    case 'number':
      return genNumber(schema, rnd, false);
    case 'boolean':
      return rnd() < 0.5;
    default:
      throw new Error(`cannot generate a value of type ${type}`);
  }
}

/** CAT validate_previous_configs: `n` configs from the old spec (keys starting with "_" dropped), seeded. */
export function generateConfigs(connectionSpecification: Node, n = CONFIGS_TO_GENERATE, seed = SEED): Json[] {
  const rnd = random(seed);
  return Array.from({ length: n }, () => {
    const config = generate(connectionSpecification, rnd) as Json;
    return Object.fromEntries(Object.entries(config).filter(([k]) => !k.startsWith('_')));
  });
}

type AddFormats = (ajv: Ajv) => Ajv;
const formatsExport = (ajvFormatsModule as unknown as { default: AddFormats | { default: AddFormats } }).default;
const addFormats: AddFormats = typeof formatsExport === 'function' ? formatsExport : formatsExport.default;

export function specValidator(connectionSpecification: Node): ValidateFunction {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(connectionSpecification);
}

/** Configs of the list the new spec refuses, with the reason. */
export function invalidUnder(connectionSpecification: Node, configs: readonly Json[]): string[] {
  const validate = specValidator(connectionSpecification);
  return configs.flatMap((config, i) => (validate(config) ? [] : [`config ${i} ${show(config).slice(0, 300)}: ${show(validate.errors?.slice(0, 3))}`]));
}

const clone = <T>(value: T): T => structuredClone(value);

describe('backward compatibility (CAT test_backward_compatibility)', () => {
  const { spec: specTests } = acceptanceConfig();
  const previousSpec = repoJson<{ connectionSpecification: Node }>(PREVIOUS_SPEC);
  const previousCatalog = repoJson<{ streams: Stream[] }>(PREVIOUS_CATALOG).streams;
  let currentSpec: Node;
  let currentStreams: Stream[];

  beforeAll(async () => {
    const spec = await runCli(['spec']);
    currentSpec = (byType(spec.messages, 'SPEC')[0]?.['spec'] as Node)['connectionSpecification'] as Node;
    const config = repoJson('integration_tests/sample_config.json'); // discover is static: no network
    const discovered = await runCli(['discover', '--config', jsonFile(config, 'config')]);
    currentStreams = (byType(discovered.messages, 'CATALOG')[0]?.['catalog'] as { streams: Stream[] }).streams;
  });

  it('is configured: the yaml names a previous version, not newer than this one', () => {
    const versions = specTests.map((t) => t.previous_connector_version).filter((v): v is string => v !== undefined);
    expect(versions.length, 'spec.tests[].backward_compatibility_tests_config.previous_connector_version').toBeGreaterThan(0);
    const current = String((parse(repoText('metadata.yaml')) as { data: { dockerImageTag: string } }).data.dockerImageTag);
    const parts = (v: string): number[] => v.split(/[.-]/).slice(0, 3).map(Number);
    for (const version of versions) {
      const [a, b] = [parts(version), parts(current)];
      const cmp = (a[0]! - b[0]!) || (a[1]! - b[1]!) || (a[2]! - b[2]!);
      expect(cmp, `previous ${version} vs current ${current}`).toBeLessThanOrEqual(0);
    }
  });

  describe('spec', () => {
    it('has no backward-incompatible change from the previous spec (SpecDiffChecker)', () => {
      expect(diffSpec(previousSpec.connectionSpecification, currentSpec)).toEqual([]);
    });

    it(`accepts ${CONFIGS_TO_GENERATE} configs generated from the previous spec (validate_previous_configs)`, () => {
      const configs = generateConfigs(previousSpec.connectionSpecification);
      expect(configs).toHaveLength(CONFIGS_TO_GENERATE);
      // The generator is only a test if its configs are valid for the old spec, and varied.
      expect(invalidUnder(previousSpec.connectionSpecification, configs), 'generated configs invalid under the previous spec').toEqual([]);
      const kinds = new Set(configs.map((c) => (c['credentials'] as Json)['auth_type']));
      expect(kinds.size, 'every credentials option is generated').toBe((((previousSpec.connectionSpecification['properties'] as Record<string, Node>)['credentials'] as Node)['oneOf'] as Node[]).length);
      expect(new Set(configs.map((c) => show(c))).size).toBeGreaterThan(CONFIGS_TO_GENERATE * 0.9);
      expect(invalidUnder(currentSpec, configs)).toEqual([]);
    });
  });

  describe('discover', () => {
    it('has no backward-incompatible change from the previous catalog (CatalogDiffChecker, plus primary keys)', () => {
      expect(previousCatalog.length).toBeGreaterThan(0);
      expect(diffCatalog(previousCatalog, currentStreams)).toEqual([]);
    });
  });
});

describe('backward-compatibility checks detect regressions (unit)', () => {
  const base = (): Node => clone(repoJson<{ connectionSpecification: Node }>(PREVIOUS_SPEC).connectionSpecification);
  const top = (spec: Node): Record<string, Node> => spec['properties'] as Record<string, Node>;
  const option = (spec: Node, kind: string): Node =>
    ((top(spec)['credentials'] as Node)['oneOf'] as Node[]).find((o) => (props(o)['auth_type'] as Node)['const'] === kind) as Node;

  it('accepts an unchanged spec and compatible changes (new optional field, widened type, wider enum, dropped enum)', () => {
    const spec = base();
    expect(diffSpec(base(), spec)).toEqual([]);
    top(spec)['new_optional'] = { type: 'string', title: 'New', description: 'd' };
    top(spec)['days_back'] = { ...top(spec)['days_back'], type: ['integer', 'null'] };
    top(spec)['token_url'] = { ...top(spec)['token_url'], type: ['string', 'integer'] };
    (top(spec)['user_information_api'] as Node)['enum'] = ['identity_v4_1', 'user_v1', 'identity_v5'];
    delete (top(spec)['date_filter'] as Node)['enum'];
    expect(diffSpec(base(), spec)).toEqual([]);
  });

  it('reports a removed property, at the top level and inside a credentials option', () => {
    const spec = base();
    delete top(spec)['start_date'];
    delete props(option(spec, 'company'))['refresh_token'];
    const problems = diffSpec(base(), spec);
    expect(problems).toContain('$.start_date: property removed');
    expect(problems).toContain('$.credentials.oneOf[auth_type=company].refresh_token: property removed');
  });

  it('reports a newly required property, at the top level and inside an option, and a new required list', () => {
    const spec = base();
    (spec['required'] as string[]).push('token_url');
    (option(spec, 'password')['required'] as string[]).push('extra');
    props(option(spec, 'password'))['extra'] = { type: 'string' };
    (top(spec)['report_statuses'] as Node)['items'] = { ...((top(spec)['report_statuses'] as Node)['items'] as Node), required: [] };
    top(spec)['new_object'] = { type: 'object', properties: { a: { type: 'string' } } };
    const previous = base();
    top(previous)['new_object'] = { type: 'object', properties: { a: { type: 'string' } } };
    (top(spec)['new_object'] as Node)['required'] = ['a'];
    const problems = diffSpec(previous, spec);
    expect(problems).toContain('$.required: token_url added');
    expect(problems).toContain('$.credentials.oneOf[auth_type=password].required: extra added');
    expect(problems).toContain("$.new_object: declares a new 'required' (a)");
    expect(problems.some((p) => p.startsWith('$.report_statuses[]'))).toBe(false); // an empty required list is no change
  });

  it('reports changed, narrowed and non-nullable types, narrowed and new enums, and a removed option', () => {
    const previous = base();
    top(previous)['nullable'] = { type: ['string', 'null'] };
    const spec = base();
    top(spec)['nullable'] = { type: ['string'] };
    top(spec)['days_back'] = { ...top(spec)['days_back'], type: 'string' };
    top(spec)['user'] = { ...top(spec)['user'], enum: ['ALL'] };
    (top(spec)['date_filter'] as Node)['enum'] = ['modified', 'created'];
    ((top(spec)['report_statuses'] as Node)['items'] as Node)['enum'] = ['ACTIVE'];
    (top(spec)['credentials'] as Node)['oneOf'] = ((top(spec)['credentials'] as Node)['oneOf'] as Node[]).slice(0, 2);
    const problems = diffSpec(previous, spec);
    expect(problems).toContain('$.nullable: type ["string","null"] → ["string"] made the field non-nullable');
    expect(problems).toContain('$.days_back: type changed from "integer" to "string"');
    expect(problems).toContain('$.user: declares a new enum ["ALL"]');
    expect(problems.some((p) => p.startsWith('$.date_filter: enum narrowed'))).toBe(true);
    expect(problems.some((p) => p.startsWith('$.report_statuses[]: enum narrowed'))).toBe(true);
    expect(problems).toContain('$.credentials.oneOf[auth_type=refresh_token]: option removed');
  });

  it('generates old configs that a tightened spec refuses (the generator finds real breaks)', () => {
    const configs = generateConfigs(base());
    const tightened = base();
    (top(tightened)['lookback_minutes'] as Node)['maximum'] = 10;
    (top(tightened)['user'] as Node)['pattern'] = '^ALL$';
    const problems = invalidUnder(tightened, configs);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('\n')).toMatch(/lookback_minutes|user/);
  });

  it('generates strings for the spec’s patterns', () => {
    const rnd = random(1);
    for (const pattern of ['^\\S+$', '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', '^https?://', '^[^/\\s]+$', '^[A-Z]{2}$', '^[A-Z]_[A-Z0-9]{2,10}$']) {
      for (let i = 0; i < 20; i++) expect(fromPattern(pattern, rnd)).toMatch(new RegExp(pattern, 'u'));
    }
    expect(() => fromPattern('^(a|b)$', rnd)).toThrow(/not supported/);
  });

  it('reports a removed stream, a removed or retyped field (no widening), a changed cursor and a changed primary key', () => {
    const previous = clone(repoJson<{ streams: Stream[] }>(PREVIOUS_CATALOG).streams);
    const current = clone(previous);
    expect(diffCatalog(previous, current)).toEqual([]);
    const reports = current.find((s) => s.name === 'expense_reports') as Stream;
    const field = Object.keys(props(reports.json_schema))[0] as string;
    const typed = Object.entries(props(reports.json_schema)).find(([name, p]) => name !== field && show(p['type']) === show(['null', 'string']))?.[0] as string;
    delete props(reports.json_schema)[field];
    (props(reports.json_schema)[typed] as Node)['type'] = ['null', 'string', 'integer'];
    reports.default_cursor_field = ['CreateDate'];
    reports.source_defined_primary_key = [['Name']];
    const removed = current.filter((s) => s.name !== 'locations');
    const problems = diffCatalog(previous, removed);
    expect(problems).toContain('locations: stream removed');
    expect(problems).toContain(`expense_reports.${field}: property removed`);
    expect(problems).toContain(`expense_reports.${typed}: type changed from ["null","string"] to ["null","string","integer"] (no widening in a stream schema)`);
    expect(problems.some((p) => p.startsWith('expense_reports: default_cursor_field changed'))).toBe(true);
    expect(problems.some((p) => p.startsWith('expense_reports: primary key changed'))).toBe(true);
    // A stream that kept no cursor may get one; one that had a cursor may not lose it.
    const gained = clone(previous);
    const flat = gained.find((s) => s.default_cursor_field === undefined) as Stream;
    flat.default_cursor_field = ['LastModified'];
    expect(diffCatalog(previous, gained)).toEqual([]);
    const lost = clone(previous);
    delete (lost.find((s) => s.name === 'expense_reports') as Stream).default_cursor_field;
    expect(diffCatalog(previous, lost).some((p) => p.startsWith('expense_reports: default_cursor_field changed'))).toBe(true);
    // Making a field nullable is allowed in a catalog; a nested property removal is not.
    const nullable = clone(previous);
    const nested = nullable.find((s) => Object.values(props(s.json_schema)).some((p) => Object.keys(props(p)).length > 0 || Object.keys(props((p['items'] as Node | undefined) ?? {})).length > 0));
    expect(nested, 'a stream with a nested object').toBeDefined();
    if (nested) {
      const [name, parent] = Object.entries(props(nested.json_schema)).find(([, p]) => Object.keys(props(p)).length > 0 || Object.keys(props((p['items'] as Node | undefined) ?? {})).length > 0) as [string, Node];
      const holder = Object.keys(props(parent)).length > 0 ? parent : (parent['items'] as Node);
      const child = Object.keys(props(holder))[0] as string;
      delete props(holder)[child];
      expect(diffCatalog(previous, nullable).join('\n')).toContain(`${child}: property removed`);
      expect(diffCatalog(previous, nullable).join('\n')).toContain(name);
    }
  });
});
