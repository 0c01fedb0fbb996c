import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { byType, runCli, type CliResult } from '../helpers/run-cli.js';

// The spec rules of the Connector Acceptance Tests (CAT, TestSpec), re-implemented against the CLI.
type Node = Record<string, unknown>;
const SECRET_NAMES = new Set(['client_token', 'access_token', 'api_token', 'token', 'secret', 'client_secret', 'password', 'key', 'service_account_info', 'service_account', 'tenant_id', 'certificate', 'jwt', 'credentials', 'app_id', 'appid', 'refresh_token']);
const FORBIDDEN = ['not', 'anyOf', 'patternProperties', 'prefixItems', 'allOf', 'if', 'then', 'else', 'dependentSchemas', 'dependentRequired'];

/** Every schema node with its JSON path, properties walked by name. */
function nodes(schema: Node, path = '$'): Array<{ path: string; node: Node; parentKey?: string }> {
  const out: Array<{ path: string; node: Node; parentKey?: string }> = [{ path, node: schema }];
  const props = schema['properties'] as Record<string, Node> | undefined;
  for (const [name, child] of Object.entries(props ?? {})) {
    for (const entry of nodes(child, `${path}.${name}`)) out.push(entry.path === `${path}.${name}` ? { ...entry, parentKey: name } : entry);
  }
  (schema['oneOf'] as Node[] | undefined)?.forEach((option, i) => out.push(...nodes(option, `${path}.oneOf[${i}]`)));
  if (schema['items'] && typeof schema['items'] === 'object') out.push(...nodes(schema['items'] as Node, `${path}.items`));
  return out;
}

describe('spec (CAT TestSpec rules)', () => {
  let result: CliResult;
  let spec: Node;
  let connection: Node;
  beforeAll(async () => {
    result = await runCli(['spec']);
    spec = byType(result.messages, 'SPEC')[0]?.['spec'] as Node;
    connection = spec['connectionSpecification'] as Node;
  });

  it('prints exactly one SPEC message and exits 0', () => {
    expect(result.code).toBe(0);
    expect(byType(result.messages, 'SPEC')).toHaveLength(1);
  });

  it('matches the checked-in spec.json', () => {
    expect(spec).toEqual(JSON.parse(readFileSync('spec.json', 'utf8')));
  });

  it('is a valid draft-07 JSON schema with a documentation URL', () => {
    expect(() => new Ajv({ strict: false }).compile(connection)).not.toThrow();
    expect(String(spec['documentationUrl'])).toMatch(/^https:\/\//);
    expect(connection['type']).toBe('object');
  });

  it('has no duplicate enum values (test_enum_usage)', () => {
    for (const { path, node } of nodes(connection)) {
      const values = node['enum'] as unknown[] | undefined;
      if (values) expect(new Set(values.map((v) => JSON.stringify(v))).size, path).toBe(values.length);
    }
  });

  it('uses oneOf the way the UI needs it (test_oneof_usage)', () => {
    for (const { path, node } of nodes(connection)) {
      const options = node['oneOf'] as Node[] | undefined;
      if (!options) continue;
      expect(node['type'], path).toBe('object');
      const keys = options.map((o) => Object.keys((o['properties'] as Node | undefined) ?? {}));
      const common = keys.reduce((a, b) => a.filter((k) => b.includes(k)));
      const withConst = common.filter((k) => options.every((o) => ((o['properties'] as Record<string, Node>)[k] as Node)['const'] !== undefined));
      expect(withConst, path).toHaveLength(1);
      for (const option of options) {
        const selector = (option['properties'] as Record<string, Node>)[withConst[0] as string] as Node;
        if (selector['default'] !== undefined) expect(selector['default']).toBe(selector['const']);
        if (selector['enum'] !== undefined) expect(selector['enum']).toEqual([selector['const']]);
      }
    }
  });

  it('marks every secret-like field airbyte_secret, and nothing un-secret-like (test_secret_is_properly_marked)', () => {
    for (const { path, node, parentKey } of nodes(connection)) {
      const types = [node['type']].flat();
      const canHoldSecret = types.some((t) => t === 'string' || t === 'integer' || t === 'number') && node['const'] === undefined;
      if (parentKey && SECRET_NAMES.has(parentKey) && canHoldSecret) expect(node['airbyte_secret'], path).toBe(true);
      if (node['airbyte_secret'] === true) expect(canHoldSecret, path).toBe(true);
    }
    const credentials = (connection['properties'] as Record<string, Node>)['credentials'] as Node;
    const company = (credentials['oneOf'] as Node[]).find((o) => ((o['properties'] as Record<string, Node>)['auth_type'] as Node)['const'] === 'company') as Node;
    expect(((company['properties'] as Record<string, Node>)['company_request_token'] as Node)['airbyte_secret']).toBe(true);
  });

  it('uses only [T] or [T, "null"] types, non-empty objects, single array item schemas', () => {
    for (const { path, node } of nodes(connection)) {
      const type = node['type'];
      if (Array.isArray(type)) expect(type.length === 1 || (type.length === 2 && type[1] === 'null'), path).toBe(true);
      if (type === 'object' || (Array.isArray(type) && type.includes('object'))) {
        expect(Object.keys((node['properties'] as Node | undefined) ?? {}).length > 0 || Array.isArray(node['oneOf']), path).toBe(true);
      }
      if (node['items'] !== undefined) expect(Array.isArray(node['items']), path).toBe(false);
    }
  });

  it('uses no forbidden keywords and no $ref (test_forbidden_complex_types, refs)', () => {
    const text = JSON.stringify(connection);
    expect(text).not.toContain('"$ref"');
    for (const { path, node } of nodes(connection)) for (const keyword of FORBIDDEN) expect(node[keyword], `${path}.${keyword}`).toBeUndefined();
  });

  it('has unique order values per object, groups only at top level, display_type only on oneOf', () => {
    for (const { path, node } of nodes(connection)) {
      const props = Object.values((node['properties'] as Record<string, Node> | undefined) ?? {});
      const orders = props.map((p) => p['order']).filter((o) => o !== undefined);
      expect(new Set(orders).size, path).toBe(orders.length);
      if (path !== '$' && path.split('.').length > 2) expect(node['group'], path).toBeUndefined();
      if (node['display_type'] !== undefined) {
        expect(Array.isArray(node['oneOf']), path).toBe(true);
        expect(['dropdown', 'radio']).toContain(node['display_type']);
      }
    }
  });

  it('keeps additionalProperties true wherever it appears', () => {
    for (const { path, node } of nodes(connection)) if (node['additionalProperties'] !== undefined) expect(node['additionalProperties'], path).toBe(true);
  });

  it('requires only credentials, with the field names the product promises', () => {
    expect(connection['required']).toEqual(['credentials']);
    const props = connection['properties'] as Record<string, Node>;
    for (const name of ['credentials', 'token_url', 'base_url', 'user', 'start_date', 'days_back', 'end_date', 'end_days_back']) expect(props).toHaveProperty(name);
    const options = (props['credentials']?.['oneOf'] as Node[]).map((o) => o['properties'] as Record<string, Node>);
    expect(options.map((o) => (o['auth_type'] as Node)['const'])).toEqual(['password', 'company', 'refresh_token']);
    expect(Object.keys(options[0] as Node)).toEqual(expect.arrayContaining(['client_id', 'client_secret', 'username', 'password']));
    expect(Object.keys(options[1] as Node)).toEqual(expect.arrayContaining(['client_id', 'client_secret', 'company_id', 'company_request_token']));
    expect(Object.keys(options[2] as Node)).toEqual(expect.arrayContaining(['client_id', 'client_secret', 'refresh_token']));
    for (const [name, prop] of Object.entries(props)) {
      expect(prop['title'], name).toBeTruthy();
      expect(prop['description'], name).toBeTruthy();
    }
  });
});
