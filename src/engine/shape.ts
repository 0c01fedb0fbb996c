import type { ErrorObject, ValidateFunction } from 'ajv';
import { createAjv } from '../common/json-schema.js';
import type { EngineLog, RecordData } from './define.js';

export interface ShapedRecord {
  data: RecordData;
  /** Paths (a.b.c) of values that did not fit the schema and were replaced by null. */
  nulled: readonly string[];
}

/** What a record that fits has had nulled: nothing (one array shared by all of them). */
const NOTHING: readonly string[] = Object.freeze([]);

export class RecordShapeError extends Error {
  override readonly name = 'RecordShapeError';
}

export type Shaper = (record: RecordData) => ShapedRecord;

/**
 * Compiled once per stream: makes a record fit its schema. Undeclared top-level fields are dropped (logged once
 * each: a new Concur field should be added to the schema, not leak in undeclared); a value of the wrong type is
 * replaced by null and reported, so one bad field never loses the record. A record whose key itself is unusable
 * is refused with a clear error.
 */
export function compileShaper(stream: string, schema: Record<string, unknown>, log: EngineLog, compiled?: RecordChecks): Shaper {
  const properties = (schema['properties'] ?? {}) as Record<string, unknown>;
  const declared = new Set(Object.keys(properties));
  const fast = every(compiled ?? compileParts(fastSchemas(schema)));
  // Compiled on the first record that needs repair: most streams never have one, and compiling costs as much as
  // validating tens of thousands of records.
  let fullValidator: ValidateFunction | undefined;
  const full = (record: RecordData): ValidateFunction => {
    fullValidator ??= createAjv({ allErrors: true, lenientDateTime: true }).compile(schema);
    fullValidator(record);
    return fullValidator;
  };
  const warned = new Set<string>();
  // The keys of the last record found to have only declared ones. Records of one API mostly come with the same
  // keys in the same order, and property names are interned: comparing them one by one with `===` is far cheaper
  // than looking each up.
  let checked: string[] = [];

  return (record) => {
    let i = 0;
    let same = true;
    for (const key in record) {
      if (same && key === checked[i]) {
        i++;
        continue;
      }
      same = false;
      if (!declared.has(key)) {
        delete record[key];
        if (!warned.has(key)) {
          warned.add(key);
          log.warn(`Stream ${stream}: Concur sent a field "${key.slice(0, 100)}" that is not in the schema; it is left out. Please report it so it can be added.`);
        }
      }
    }
    if (!same || i !== checked.length) checked = Object.keys(record);
    if (fast(record)) return { data: record, nulled: NOTHING };
    const nulled: string[] = [];
    // First the exact value; where that is not allowed to be null (an array item, a key), its top-level field.
    for (const depth of ['exact', 'top'] as const) {
      for (const error of full(record).errors ?? []) {
        const path = nullAt(record, error, depth);
        if (path !== undefined && !nulled.includes(path)) nulled.push(path);
      }
      if (fast(record)) return { data: record, nulled: nulled.filter((p) => !nulled.some((q) => p.startsWith(`${q}.`))) };
    }
    const detail = (full(record).errors ?? []).slice(0, 3).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}`).join('; ');
    throw new RecordShapeError(`Stream ${stream}: a record does not fit the schema and cannot be repaired (${detail}).`);
  };
}

/** Record schema keywords that say nothing across properties: the record is valid when each property is. */
const ANNOTATIONS = new Set(['$schema', 'title', 'description', 'type', 'properties', 'additionalProperties']);
/** Serialized size of the properties validated by one function: small enough for V8 to optimize it. */
const GROUP_CHARS = 6000;

/**
 * The schemas of the record check of the hot path. ajv's code for a wide schema (expense entries: ~95 fields,
 * ~140 KB of JavaScript) is too big for V8's optimizing compiler and runs several times slower than the same
 * checks split into a few functions; a schema of independent properties (every stream's) is therefore checked a
 * group of properties at a time. Any other schema is checked whole.
 */
export function fastSchemas(schema: Record<string, unknown>): Record<string, unknown>[] {
  const properties = schema['properties'];
  const independent =
    schema['type'] === 'object' &&
    (schema['additionalProperties'] === undefined || schema['additionalProperties'] === true) &&
    typeof properties === 'object' &&
    properties !== null &&
    Object.keys(schema).every((key) => ANNOTATIONS.has(key));
  if (!independent) return [schema];
  const groups: Record<string, unknown>[] = [];
  let group: Record<string, unknown> = {};
  let size = 0;
  for (const [name, property] of Object.entries(properties as Record<string, unknown>)) {
    const chars = JSON.stringify(property).length;
    if (size > 0 && size + chars > GROUP_CHARS) {
      groups.push(group);
      group = {};
      size = 0;
    }
    group[name] = property;
    size += chars;
  }
  groups.push(group);
  return groups.map((part) => ({ type: 'object', additionalProperties: true, properties: part }));
}

/** A stream's hot-path checks as compiled when the package was built: one per part of fastSchemas(schema). */
export type RecordChecks = ((record: unknown) => boolean)[];

function compileParts(parts: Record<string, unknown>[]): ValidateFunction[] {
  const ajv = createAjv({ allErrors: false, lenientDateTime: true });
  return parts.map((part) => ajv.compile(part));
}

function every(checks: ((record: unknown) => boolean)[]): (record: RecordData) => boolean {
  if (checks.length === 1) return checks[0] as (record: RecordData) => boolean;
  return (record) => {
    for (const check of checks) if (!check(record)) return false;
    return true;
  };
}

function nullAt(record: RecordData, error: ErrorObject, depth: 'exact' | 'top'): string | undefined {
  if (error.instancePath === '') return undefined;
  const all = error.instancePath.split('/').slice(1).map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
  const segments = depth === 'top' ? all.slice(0, 1) : all;
  let holder: unknown = record;
  for (const segment of segments.slice(0, -1)) {
    if (typeof holder !== 'object' || holder === null) return undefined;
    holder = (holder as Record<string, unknown>)[segment];
  }
  const last = segments[segments.length - 1];
  if (typeof holder !== 'object' || holder === null || last === undefined) return undefined;
  (holder as Record<string, unknown>)[last] = null;
  return segments.join('.');
}
