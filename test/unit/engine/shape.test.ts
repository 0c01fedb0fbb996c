import { describe, expect, it } from 'vitest';
import { compileShaper, RecordShapeError } from '../../../src/engine/shape.js';

const schema = {
  type: 'object',
  additionalProperties: true,
  properties: {
    ID: { type: 'string' },
    Count: { type: ['null', 'integer'] },
    Amount: { type: ['null', 'number'] },
    When: { type: ['null', 'string'], format: 'date-time', airbyte_type: 'timestamp_without_timezone' },
    Journey: { type: ['null', 'object'], additionalProperties: true, properties: { Miles: { type: ['null', 'integer'] } } },
    Tags: { type: ['null', 'array'], items: { type: 'string' } },
  },
};

function shaper() {
  const warnings: string[] = [];
  const shape = compileShaper('s', schema, { debug: () => undefined, info: () => undefined, warn: (m) => warnings.push(m) });
  return { shape, warnings };
}

describe('compileShaper', () => {
  it('passes a valid record through untouched, offset-less timestamps included', () => {
    const { shape } = shaper();
    const record = { ID: 'a', Count: 2, Amount: 1.5, When: '2013-09-02T19:46:01.57', Journey: { Miles: 3, Extra: 'kept' }, Tags: ['x'] };
    expect(shape(structuredClone(record))).toEqual({ data: record, nulled: [] });
  });

  it('drops undeclared top-level fields and warns once per field', () => {
    const { shape, warnings } = shaper();
    expect(shape({ ID: 'a', Surprise: 1 }).data).toEqual({ ID: 'a' });
    shape({ ID: 'b', Surprise: 2 });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/"Surprise"/);
  });

  it('nulls values of the wrong type (strict integers) and reports their paths', () => {
    const { shape } = shaper();
    const result = shape({ ID: 'a', Count: 1.5, Amount: 'lots', When: 'yesterday', Journey: { Miles: 'far' }, Tags: ['ok', 5] });
    expect(result.data).toMatchObject({ ID: 'a', Count: null, Amount: null, When: null, Journey: { Miles: null } });
    expect(result.data['Tags']).toBeNull(); // an array item cannot be null: the field it sits in is
    expect([...result.nulled].sort()).toEqual(['Amount', 'Count', 'Journey.Miles', 'Tags', 'When'].sort());
  });

  it('refuses a record whose key cannot be repaired', () => {
    const { shape } = shaper();
    expect(() => shape({ ID: 42 })).toThrow(RecordShapeError);
    expect(() => shape({ ID: 42 })).toThrow(/Stream s/);
  });
});
