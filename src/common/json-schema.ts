import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import * as ajvFormatsModule from 'ajv-formats';

// Airbyte's UI keywords: declared so ajv's strict mode still rejects genuine typos in schema keywords.
const AIRBYTE_KEYWORDS = [
  'airbyte_secret',
  'airbyte_hidden',
  'airbyte_type',
  'always_show',
  'order',
  'group',
  'display_type',
  'pattern_descriptor',
  'multiline',
];

type AddFormats = (ajv: Ajv) => Ajv;
// ajv-formats ships CommonJS with a default export; under NodeNext it arrives wrapped once more.
const addFormats = ((ajvFormatsModule as unknown as { default: AddFormats | { default: AddFormats } }).default);
const applyFormats: AddFormats = typeof addFormats === 'function' ? addFormats : addFormats.default;

// Airbyte's timestamp_without_timezone values (and Concur's) have no offset; RFC 3339's date-time requires one.
const LENIENT_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * One ajv instance per purpose: strict schemas, Airbyte keywords known. `lenientDateTime` accepts timestamps
 * without an offset (record validation); `allErrors` reports every problem (user-facing validation).
 */
export function createAjv(options: { allErrors?: boolean; lenientDateTime?: boolean; useDefaults?: boolean; source?: boolean } = {}): Ajv {
  const ajv = new Ajv({
    allErrors: options.allErrors ?? true,
    useDefaults: options.useDefaults ?? false,
    strict: true,
    strictTypes: false,
    allowUnionTypes: true,
    // Code kept for ajv's standalone output (scripts/build-validators.mjs), as an ES module.
    ...(options.source ? { code: { source: true, esm: true } } : {}),
  });
  ajv.addVocabulary(AIRBYTE_KEYWORDS);
  applyFormats(ajv);
  if (options.lenientDateTime) ajv.addFormat('date-time', LENIENT_DATE_TIME);
  return ajv;
}

/** "config.credentials.client_id: must be string" for the first few errors, readable for a human. */
export function formatErrors(root: string, errors: readonly ErrorObject[] | null | undefined, limit = 5): string {
  if (!errors || errors.length === 0) return `${root}: invalid`;
  const lines = errors.slice(0, limit).map((e) => `${pathOf(root, e)}: ${describe(e)}`);
  if (errors.length > limit) lines.push(`(${errors.length - limit} more)`);
  return lines.join('; ');
}

export function pathOf(root: string, e: ErrorObject): string {
  let path = root;
  for (const segment of e.instancePath.split('/').slice(1)) {
    const key = segment.replaceAll('~1', '/').replaceAll('~0', '~');
    path += /^\d+$/.test(key) ? `[${key}]` : `.${key}`;
  }
  if (e.keyword === 'required') path += `.${String((e.params as { missingProperty: string }).missingProperty)}`;
  if (e.keyword === 'additionalProperties') path += `.${String((e.params as { additionalProperty: string }).additionalProperty)}`;
  return path;
}

function describe(e: ErrorObject): string {
  switch (e.keyword) {
    case 'required':
      return 'is required';
    case 'enum':
      return `must be one of ${((e.params as { allowedValues: unknown[] }).allowedValues ?? []).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}`;
    case 'additionalProperties':
      return 'is not a known field';
    case 'format': {
      const format = (e.params as { format: string }).format;
      return format === 'date' ? 'must be a real date in YYYY-MM-DD form' : `must be a valid ${format}`;
    }
    default:
      return e.message ?? e.keyword;
  }
}

export type { ValidateFunction };
