import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadRecordChecks, loadSchema } from '../../src/assets.js';
import { createAjv } from '../../src/common/json-schema.js';
import { fastSchemas } from '../../src/engine/shape.js';

describe('generated types', () => {
  it('src/generated/ matches spec.json and schemas/ (run `npm run generate` after editing them)', () => {
    expect(() => execFileSync(process.execPath, ['scripts/generate-types.mjs', '--check'], { stdio: 'pipe' })).not.toThrow();
  });
});

describe('record checks compiled at build time (dist/validators)', () => {
  const streams = readdirSync('schemas').filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, ''));

  it.each(streams)('%s: compiled for its current schema, and judging records as the run-time compile does', async (stream) => {
    const schema = loadSchema(stream);
    const compiled = await loadRecordChecks(stream, schema);
    expect(compiled, 'run `npm run build`').toBeDefined();
    const parts = fastSchemas(schema);
    expect(compiled).toHaveLength(parts.length);
    const ajv = createAjv({ allErrors: false, lenientDateTime: true });
    const runtime = parts.map((part) => ajv.compile(part));
    // Every declared field with a value of each JSON type, one field at a time: both must say the same.
    const samples: unknown[] = ['x', '2026-01-31T10:00:00', 3, 2.5, true, null, [], {}, ['a'], { a: 1 }];
    for (const field of Object.keys((schema['properties'] ?? {}) as object)) {
      for (const value of samples) {
        const record = { [field]: value };
        expect(compiled?.map((check) => check(record)), `${field} = ${JSON.stringify(value)}`).toEqual(runtime.map((check) => check(record)));
      }
    }
  });

  it('a schema that changed after the build is not given stale checks', async () => {
    const schema = loadSchema('expense_reports');
    expect(await loadRecordChecks('expense_reports', { ...schema, title: 'changed' })).toBeUndefined();
  });
});
