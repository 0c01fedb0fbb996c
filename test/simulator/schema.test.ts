import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type SimCollection, type Simulator } from '../helpers/simulator.js';
import { adminToken, asPage, get, type Json } from './support.js';

/**
 * Every served record has exactly the top-level keys of schemas/<stream>.json (minus
 * ReportLastModifiedDate, which only the connector adds) with values of the declared types.
 */

interface PropertySchema {
  type?: string | string[];
  properties?: Record<string, PropertySchema>;
}
interface StreamSchema {
  properties: Record<string, PropertySchema>;
}

const CONNECTOR_ONLY = new Set(['ReportLastModifiedDate']);

function loadSchema(stream: string): StreamSchema {
  return JSON.parse(readFileSync(new URL(`../../schemas/${stream}.json`, import.meta.url), 'utf8')) as StreamSchema;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** Hand-written check: exact key set, and each value's JSON type allowed by the schema. */
function problems(record: Json, schema: StreamSchema, path = ''): string[] {
  const out: string[] = [];
  const expected = Object.keys(schema.properties).filter((k) => !CONNECTOR_ONLY.has(k));
  const actual = Object.keys(record);
  for (const k of expected) if (!actual.includes(k)) out.push(`${path}${k}: missing`);
  for (const k of actual) if (!expected.includes(k)) out.push(`${path}${k}: not in schema`);
  for (const k of expected) {
    const spec = schema.properties[k];
    const value = record[k];
    if (spec === undefined || value === undefined) continue;
    const allowed = spec.type === undefined ? [] : Array.isArray(spec.type) ? spec.type : [spec.type];
    const actualType = typeOf(value);
    const ok = allowed.includes(actualType) || (actualType === 'integer' && allowed.includes('number'));
    if (!ok) out.push(`${path}${k}: ${actualType} not in ${allowed.join('|')}`);
    if (actualType === 'object' && spec.properties !== undefined) {
      out.push(...problems(value as Json, { properties: spec.properties }, `${path}${k}.`));
    }
  }
  return out;
}

const STREAMS: [string, SimCollection][] = [
  ['expense_reports', 'reports'],
  ['expense_entries', 'entries'],
  ['expense_itemizations', 'itemizations'],
  ['expense_allocations', 'allocations'],
  ['entry_attendee_associations', 'entry_attendee_associations'],
];

describe('record shapes match schemas/', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator(['--seed', '11', '--users', '5', '--reports', '50', '--entries-per-report', '5']);
  });
  afterAll(async () => {
    await sim.stop();
  });

  it.each(STREAMS)('%s: exact keys and types (hand-written checker and ajv)', async (stream, collection) => {
    const schema = loadSchema(stream);
    const records = await sim.data(collection);
    expect(records.length).toBeGreaterThan(10);
    const found = records.flatMap((r) => problems(r, schema).map((p) => `${String(r['ID'])}: ${p}`));
    expect(found.slice(0, 20)).toEqual([]);
    // Raw Concur timestamps carry no offset (docs/concur-api.md#timestamps-without-offset-are-utc), so `format` is not checked here.
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    const validate = ajv.compile(schema);
    for (const record of records) {
      if (!validate(record)) throw new Error(`${stream} ${String(record['ID'])}: ${ajv.errorsText(validate.errors)}`);
    }
  });

  it('serves nested objects with non-null values in some records (CustomField, Journey)', async () => {
    const entries = await sim.data('entries');
    expect(entries.some((e) => e['Journey'] !== null)).toBe(true);
    expect(entries.some((e) => e['Custom1'] !== null)).toBe(true);
    const reports = await sim.data('reports');
    expect(reports.some((r) => r['OrgUnit1'] !== null && r['Custom1'] !== null)).toBe(true);
    const allocations = await sim.data('allocations');
    const custom = allocations.find((a) => a['Custom1'] !== null)?.['Custom1'] as Json | undefined;
    expect(Object.keys(custom ?? {})).toEqual(['Type', 'Value', 'Code', 'ListItemID', 'Label', 'Sequence']);
    expect(typeof allocations[0]?.['Percentage']).toBe('string');
  });

  it('expense_reports_detail: GET by id returns the list object with the detail schema keys', async () => {
    const schema = loadSchema('expense_reports_detail');
    const token = await adminToken(sim);
    const list = asPage(await get(sim.url, '/api/v3.0/expense/reports?user=ALL&limit=5', token));
    for (const item of list.Items) {
      const detail = await get(sim.url, `/api/v3.0/expense/reports/${String(item['ID'])}?user=${String(item['OwnerLoginID'])}`, token);
      expect(detail.status).toBe(200);
      expect(detail.body).toEqual(item);
      expect(problems(detail.body as Json, schema)).toEqual([]);
    }
  });

  it('attendees carry the documented Attendees v3 fields with the right types', async () => {
    const attendees = await sim.data('attendees');
    const first = attendees[0] ?? {};
    expect(Object.keys(first)).toHaveLength(44);
    for (const a of attendees) {
      expect(Number.isInteger(a['VersionNumber'])).toBe(true);
      expect(typeof a['TotalAmountYTD']).toBe('number');
      expect(typeof a['HasExceptionsYTD']).toBe('boolean');
    }
  });
});
