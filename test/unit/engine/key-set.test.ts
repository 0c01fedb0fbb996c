import { describe, expect, it } from 'vitest';
import { KeySet } from '../../../src/engine/key-set.js';

describe('KeySet', () => {
  it('adds each key once and answers has() like a Set, across blocks and rehashes', () => {
    const keys = new KeySet();
    const reference = new Set<string>();
    // Enough keys for several joined blocks and table growths; ids of varying length and alphabet.
    for (let i = 0; i < 20_000; i++) {
      const key = i % 3 === 0 ? `R${i.toString(16).toUpperCase()}` : i % 3 === 1 ? `gW$p${i}x` : JSON.stringify([`u${i % 97}`, i]);
      expect(keys.add(key)).toBe(!reference.has(key));
      reference.add(key);
    }
    expect(keys.size).toBe(reference.size);
    for (const key of reference) expect(keys.has(key)).toBe(true);
    for (const key of reference) expect(keys.add(key)).toBe(false);
    expect(keys.size).toBe(reference.size);
  });

  it('tells apart keys that are prefixes of each other, the empty key and non-ASCII keys', () => {
    const keys = new KeySet();
    for (const key of ['', 'a', 'ab', 'abc', 'Zürich', 'Zurich', '東京', '😀']) expect(keys.add(key)).toBe(true);
    for (const key of ['abcd', 'b', 'Zürichs', '東', '\ud83d']) expect(keys.has(key)).toBe(false);
    expect(keys.has('ab')).toBe(true);
    expect(keys.has('')).toBe(true);
    expect(keys.size).toBe(8);
  });

  it('keeps keys with the same 32-bit hash apart', () => {
    // Two keys with equal FNV-1a hashes (the hash the set uses), found by brute force: birthday odds make it quick.
    const fnv = (key: string): number => {
      let hash = 0x811c9dc5;
      for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
      return hash | 0;
    };
    const byHash = new Map<number, string>();
    let pair: [string, string] | undefined;
    for (let i = 0; !pair; i++) {
      const key = `id-${i}`;
      const other = byHash.get(fnv(key));
      if (other !== undefined) pair = [other, key];
      else byHash.set(fnv(key), key);
    }
    const keys = new KeySet();
    expect(keys.add(pair[0])).toBe(true);
    expect(keys.has(pair[1])).toBe(false);
    expect(keys.add(pair[1])).toBe(true);
    expect(keys.has(pair[0]) && keys.has(pair[1])).toBe(true);
    expect(keys.size).toBe(2);
  });
});
