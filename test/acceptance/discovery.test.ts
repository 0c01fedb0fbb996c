import { readdirSync } from 'node:fs';
import { Ajv } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { byType, jsonFile, runCli, type CliResult } from '../helpers/run-cli.js';

// The discovery rules of the Connector Acceptance Tests (CAT, TestDiscovery), against the CLI. With a company or
// password grant discover needs a valid config but no network; a company token is offered every stream.
type Node = Record<string, unknown>;
const config = {
  credentials: { auth_type: 'company', client_id: 'c', client_secret: 's', company_id: 'u', company_request_token: 'p' },
  token_url: 'http://127.0.0.1:9/oauth2/v0/token',
};
const TYPES = new Set(['null', 'string', 'number', 'integer', 'boolean', 'object', 'array']);

function walk(schema: Node, visit: (node: Node, path: string) => void, path = '$'): void {
  visit(schema, path);
  for (const [name, child] of Object.entries((schema['properties'] as Record<string, Node> | undefined) ?? {})) walk(child, visit, `${path}.${name}`);
  if (schema['items'] && typeof schema['items'] === 'object') walk(schema['items'] as Node, visit, `${path}[]`);
}

describe('discover (CAT TestDiscovery rules)', () => {
  let result: CliResult;
  let streams: Node[];
  beforeAll(async () => {
    result = await runCli(['discover', '--config', jsonFile(config)]);
    streams = (byType(result.messages, 'CATALOG')[0]?.['catalog'] as { streams: Node[] }).streams;
  });

  it('prints exactly one CATALOG with unique stream names and exits 0', () => {
    expect(result.code).toBe(0);
    expect(byType(result.messages, 'CATALOG')).toHaveLength(1);
    const names = streams.map((s) => s['name']);
    expect(new Set(names).size).toBe(names.length);
    expect(names.length).toBeGreaterThan(0);
  });

  it('lists exactly the streams that have a schema in schemas/', () => {
    const files = readdirSync('schemas').filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, ''));
    expect(streams.map((s) => s['name']).sort()).toEqual(files.sort());
  });

  it('gives every stream a valid draft-07 schema without $ref, allOf or not', () => {
    for (const stream of streams) {
      const schema = stream['json_schema'] as Node;
      expect(() => new Ajv({ strict: false, validateSchema: true }).compile(schema), String(stream['name'])).not.toThrow();
      expect(schema['type']).toBe('object');
      const text = JSON.stringify(schema);
      expect(text).not.toContain('"$ref"');
      walk(schema, (node, path) => {
        expect(node['allOf'], path).toBeUndefined();
        expect(node['not'], path).toBeUndefined();
        if (node['additionalProperties'] !== undefined) expect(node['additionalProperties'], path).toBe(true);
      });
    }
  });

  it('uses only supported data types and formats', () => {
    for (const stream of streams) {
      walk(stream['json_schema'] as Node, (node, path) => {
        for (const type of [node['type']].flat().filter((t) => t !== undefined)) expect(TYPES.has(type as string), `${path}: ${String(type)}`).toBe(true);
        if (node['format'] !== undefined) expect(['date', 'date-time']).toContain(node['format']);
        if (node['airbyte_type'] !== undefined) {
          expect(['timestamp_with_timezone', 'timestamp_without_timezone', 'integer']).toContain(node['airbyte_type']);
          if (String(node['airbyte_type']).startsWith('timestamp')) expect(node['format'], path).toBe('date-time');
        }
      });
    }
  });

  it('declares sync modes, and a cursor (that exists in the schema) exactly for incremental streams', () => {
    for (const stream of streams) {
      const modes = stream['supported_sync_modes'] as string[];
      expect(modes.length, String(stream['name'])).toBeGreaterThan(0);
      const props = (stream['json_schema'] as Node)['properties'] as Record<string, Node>;
      if (modes.includes('incremental')) {
        expect(stream['source_defined_cursor']).toBe(true);
        expect(stream['is_resumable']).toBe(true);
        const cursor = stream['default_cursor_field'] as string[];
        expect(cursor).toHaveLength(1);
        expect(props[cursor[0] as string], `${String(stream['name'])} cursor ${cursor[0]}`).toBeDefined();
        expect(props[cursor[0] as string]?.['format']).toBe('date-time');
      } else {
        expect(stream['default_cursor_field']).toBeUndefined();
      }
    }
  });

  it('has primary keys that exist in the schema and are scalar', () => {
    for (const stream of streams) {
      const keys = stream['source_defined_primary_key'] as string[][];
      expect(keys.length, String(stream['name'])).toBeGreaterThan(0);
      const props = (stream['json_schema'] as Node)['properties'] as Record<string, Node>;
      for (const path of keys) {
        const field = props[path[0] as string];
        expect(field, `${String(stream['name'])} key ${path.join('.')}`).toBeDefined();
        const types = [field?.['type']].flat();
        expect(types.includes('object') || types.includes('array')).toBe(false);
        // A key that may be null would make deduplication in the destination unreliable.
        expect(types.includes('null'), `${String(stream['name'])} key ${path.join('.')} is nullable`).toBe(false);
      }
    }
  });

  it('fails with a config_error trace and exit 1 on an invalid config, before any network use', async () => {
    const bad = await runCli(['discover', '--config', jsonFile({ credentials: { auth_type: 'password' } })]);
    expect(bad.code).toBe(1);
    const traces = byType(bad.messages, 'TRACE');
    expect(traces).toHaveLength(1);
    expect(traces[0]?.['trace'].error.failure_type).toBe('config_error');
    expect(traces[0]?.['trace'].error.message).toMatch(/config\.credentials\.client_id: is required/);
  });
});
