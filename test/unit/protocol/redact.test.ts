import { describe, expect, it } from 'vitest';
import { Redactor } from '../../../src/protocol/redact.js';

describe('Redactor', () => {
  const redactor = new Redactor();
  redactor.add('p@ss word/&=');
  redactor.add('tok');
  redactor.add('tok-longer-secret');

  it('masks raw, URL-encoded and form-encoded forms', () => {
    expect(redactor.redact('a p@ss word/&= b')).toBe('a **** b');
    expect(redactor.redact(`q=${encodeURIComponent('p@ss word/&=')}`)).toBe('q=****');
    expect(redactor.redact(`q=${encodeURIComponent('p@ss word/&=').replaceAll('%20', '+')}`)).toBe('q=****');
  });

  it('masks the longest secret first, so no fragment of a longer one survives', () => {
    expect(redactor.redact('x tok-longer-secret y')).toBe('x **** y');
  });

  it('strips credentials from URLs and masks values in them', () => {
    expect(redactor.redactUrl('https://user:pw@host/path?t=tok')).toBe('https://host/path?t=****');
  });

  it('redacts strings deep inside objects and arrays without touching keys', () => {
    expect(redactor.redactDeep({ tok: ['tok', { k: 'a tok' }], n: 1 })).toEqual({ tok: ['****', { k: 'a ****' }], n: 1 });
  });

  it('ignores empty values', () => {
    const empty = new Redactor();
    empty.add('');
    empty.add(undefined);
    expect(empty.size).toBe(0);
    expect(empty.redact('anything')).toBe('anything');
  });
});
