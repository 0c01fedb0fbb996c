import { hash, mix32 } from '../random.js';

/**
 * Opaque, reversible record ids. A record's id encodes its index (e.g. report r, entry k)
 * through a seeded Feistel permutation plus a checksum, so a GET-by-id is O(1) without an
 * id → index map in memory, and ids look random like Concur's.
 */

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Map<string, number>([...B64].map((ch, i) => [ch, i]));
/** Base64 digits as Concur writes them in ids: `+` → `$p`, `/` → `$s`. */
const CONCUR_DIGITS: readonly string[] = [...B64].map((ch) => (ch === '+' ? '$p' : ch === '/' ? '$s' : ch));
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** The pair (hi, lo) of unsigned 32-bit integers an id encodes. */
export interface IdParts {
  readonly hi: number;
  readonly lo: number;
}

class Feistel {
  private readonly keys: readonly number[];

  constructor(seed: number, tag: number) {
    this.keys = [1, 2, 3, 4].map((round) => hash(seed, tag, round, 0x1d));
  }

  forward(hi: number, lo: number): [number, number] {
    let l = hi >>> 0;
    let r = lo >>> 0;
    for (const k of this.keys) {
      const next = (l ^ mix32(r ^ k)) >>> 0;
      l = r;
      r = next;
    }
    return [l, r];
  }

  inverse(hi: number, lo: number): [number, number] {
    let l = hi >>> 0;
    let r = lo >>> 0;
    for (let i = this.keys.length - 1; i >= 0; i--) {
      const k = this.keys[i] ?? 0;
      const prev = (r ^ mix32(l ^ k)) >>> 0;
      r = l;
      l = prev;
    }
    return [l, r];
  }
}

/** Report ids: 20 uppercase hex characters, like `F4F027007E814C1CA70E` in the v3 samples. */
export class HexIdCodec {
  private readonly feistel: Feistel;

  constructor(
    private readonly seed: number,
    private readonly tag: number,
  ) {
    this.feistel = new Feistel(seed, tag);
  }

  encode(hi: number, lo: number): string {
    const [a, b] = this.feistel.forward(hi, lo);
    const check = hash(this.seed, this.tag, a, b) >>> 16;
    return hex8(a) + hex8(b) + (HEX_UPPER[check >>> 8] ?? '') + (HEX_UPPER[check & 255] ?? '');
  }

  decode(id: string): IdParts | null {
    if (!/^[0-9A-F]{20}$/i.test(id)) return null;
    const a = parseInt(id.slice(0, 8), 16);
    const b = parseInt(id.slice(8, 16), 16);
    const check = parseInt(id.slice(16, 20), 16);
    if (hash(this.seed, this.tag, a, b) >>> 16 !== check) return null;
    const [hi, lo] = this.feistel.inverse(a, b);
    return { hi, lo };
  }
}

/**
 * Concur-style encrypted ids: `gW` + a per-collection prefix + base64 text in which `+` is
 * written `$p` and `/` is written `$s` (as in `gWidFO7ikXV66iSvqtG6Yd0wZ$s4ftzvzTCg`).
 */
export class ConcurIdCodec {
  private readonly feistel: Feistel;
  private readonly prefix: string;

  constructor(
    private readonly seed: number,
    private readonly tag: number,
  ) {
    this.feistel = new Feistel(seed, tag);
    this.prefix = 'gW' + alnum(hash(seed, tag, 0x9f), 4) + alnum(hash(seed, tag, 0xa0), 4);
  }

  encode(hi: number, lo: number): string {
    const [a, b] = this.feistel.forward(hi, lo);
    const check = hash(this.seed, this.tag, a, b);
    return this.prefix + base64Words(a, b, check);
  }

  decode(id: string): IdParts | null {
    if (!id.startsWith(this.prefix)) return null;
    const words = decodeBase64Words(id.slice(this.prefix.length).replaceAll('$p', '+').replaceAll('$s', '/'));
    if (words === null) return null;
    const [a, b, check] = words;
    if (hash(this.seed, this.tag, a, b) !== check) return null;
    const [hi, lo] = this.feistel.inverse(a, b);
    return { hi, lo };
  }
}

/** A non-reversible Concur-style id for reference data (payment types, locations, list items). */
export function opaqueId(seed: number, tag: number, index: number, length = 27): string {
  let out = 'gW';
  let h = hash(seed, tag, index, 0x77);
  for (let i = 2; i < length; i += 5) {
    h = mix32(h + 0x6d2b79f5);
    out += digit(h) + digit(h >>> 6) + digit(h >>> 12) + digit(h >>> 18) + digit(h >>> 24);
  }
  return out;
}

function digit(n: number): string {
  return CONCUR_DIGITS[n & 63] ?? 'A';
}

const HEX_UPPER: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).toUpperCase().padStart(2, '0'));

function hex8(n: number): string {
  return (HEX_UPPER[(n >>> 24) & 255] ?? '') + (HEX_UPPER[(n >>> 16) & 255] ?? '') + (HEX_UPPER[(n >>> 8) & 255] ?? '') + (HEX_UPPER[n & 255] ?? '');
}

function alnum(h: number, n: number): string {
  let out = '';
  let x = h;
  for (let i = 0; i < n; i++) {
    out += ALNUM[x % ALNUM.length] ?? 'A';
    x = Math.floor(x / ALNUM.length) + mix32(x + i);
  }
  return out;
}

/** Base64 of three big-endian 32-bit words (12 bytes → 16 digits, no padding). */
function base64Words(w0: number, w1: number, w2: number): string {
  // Each 24-bit group: w0[31..8], w0[7..0]+w1[31..16], w1[15..0]+w2[31..24], w2[23..0].
  return (
    group(w0 >>> 8) +
    group(((w0 & 0xff) << 16) | (w1 >>> 16)) +
    group(((w1 & 0xffff) << 8) | (w2 >>> 24)) +
    group(w2 & 0xffffff)
  );
}

function group(n: number): string {
  return digit(n >>> 18) + digit(n >>> 12) + digit(n >>> 6) + digit(n);
}

function decodeBase64Words(text: string): [number, number, number] | null {
  if (text.length !== 16) return null;
  const bytes: number[] = [];
  for (let i = 0; i < 16; i += 4) {
    let n = 0;
    for (let j = 0; j < 4; j++) {
      const v = B64_INDEX.get(text[i + j] ?? '');
      if (v === undefined) return null;
      n = (n << 6) | v;
    }
    bytes.push((n >>> 16) & 255, (n >>> 8) & 255, n & 255);
  }
  const word = (o: number): number =>
    (((bytes[o] ?? 0) << 24) | ((bytes[o + 1] ?? 0) << 16) | ((bytes[o + 2] ?? 0) << 8) | (bytes[o + 3] ?? 0)) >>> 0;
  return [word(0), word(4), word(8)];
}
