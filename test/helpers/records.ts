import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';

// Records are checked the way CAT's basic_read does: the stream's schema with strict integers (1.0 is not an
// integer) and, at the top level, no undeclared field (fail_on_extra_columns).
const validators = new Map<string, ValidateFunction>();

export function schemaOf(stream: string): Record<string, unknown> {
  return JSON.parse(readFileSync(`schemas/${stream}.json`, 'utf8')) as Record<string, unknown>;
}

export function recordValidator(stream: string): ValidateFunction {
  let validate = validators.get(stream);
  if (!validate) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    // CAT's own date-time check: "YYYY-M-D[T ]h:m:s…" must parse; no offset required.
    ajv.addFormat('date-time', /^\d{4}-\d{1,2}-\d{1,2}[T ]\d{1,2}:\d{1,2}(:\d{1,2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/);
    ajv.addFormat('date', /^\d{4}-\d{2}-\d{2}$/);
    const { $schema: _draft, ...schema } = schemaOf(stream);
    validate = ajv.compile({ ...schema, additionalProperties: false });
    validators.set(stream, validate);
  }
  return validate;
}

/** Throws on the first record that does not match its stream's schema. */
export function assertRecordsValid(stream: string, records: readonly Record<string, unknown>[]): void {
  const validate = recordValidator(stream);
  for (const record of records) {
    if (!validate(record)) throw new Error(`${stream} record invalid: ${JSON.stringify(validate.errors?.slice(0, 3))}\n${JSON.stringify(record).slice(0, 400)}`);
  }
}
