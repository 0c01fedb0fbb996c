/** Keys whose characters are joined into one string, once that many have been added. */
const BLOCK = 4096;

/**
 * A set of strings for the keys a sync remembers from start to end (every report of a 100,000-report tenant, to
 * read each once). The characters live in a few large strings and the index in typed arrays: a third of the
 * memory of a Set<string> with the same keys, and nothing for the garbage collector to visit key by key, so the
 * heap (which V8 sizes by what is live) does not grow with the tenant.
 */
export class KeySet {
  /** Open addressing, linear probing: entry number + 1, or 0 for an empty slot. */
  private slots = new Int32Array(1024);
  private hashes = new Int32Array(512);
  private starts = new Int32Array(512);
  private lengths = new Int32Array(512);
  private readonly blocks: string[] = [];
  private open: string[] = [];
  private openChars = 0;
  private count = 0;

  get size(): number {
    return this.count;
  }

  has(key: string): boolean {
    return this.slotOf(key, hashOf(key)) < 0;
  }

  /** Adds `key`; false when it was already there. */
  add(key: string): boolean {
    const hash = hashOf(key);
    const slot = this.slotOf(key, hash);
    if (slot < 0) return false;
    const entry = this.count++;
    if (entry === this.hashes.length) {
      this.hashes = grow(this.hashes);
      this.starts = grow(this.starts);
      this.lengths = grow(this.lengths);
    }
    this.hashes[entry] = hash;
    this.starts[entry] = this.openChars;
    this.lengths[entry] = key.length;
    this.open.push(key);
    this.openChars += key.length;
    if (this.open.length === BLOCK) {
      this.blocks.push(this.open.join(''));
      this.open = [];
      this.openChars = 0;
    }
    this.slots[slot] = entry + 1;
    if (this.count * 2 > this.slots.length) this.rehash();
    return true;
  }

  /** The free slot where `key` belongs, or -1 when it is present. */
  private slotOf(key: string, hash: number): number {
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const stored = this.slots[slot] as number;
      if (stored === 0) return slot;
      const entry = stored - 1;
      if (this.hashes[entry] === hash && this.lengths[entry] === key.length && this.keyAt(entry, key)) return -1;
    }
  }

  private keyAt(entry: number, key: string): boolean {
    const block = Math.floor(entry / BLOCK);
    if (block === this.blocks.length) return this.open[entry % BLOCK] === key;
    return (this.blocks[block] as string).startsWith(key, this.starts[entry]);
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let entry = 0; entry < this.count; entry++) {
      let slot = (this.hashes[entry] as number) & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = entry + 1;
    }
    this.slots = slots;
  }
}

function grow(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}

/** FNV-1a over UTF-16 code units. */
function hashOf(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return hash | 0;
}
