/*
 * The set of keys seen in an import file with the row that had each first. A Map<string, number>
 * of a million keys costs about 2 s and keeps a million strings for the garbage collector to move;
 * this table keeps the keys' UTF-16 units in one growing typed array and finds them by open
 * addressing, so the memory is ~2 bytes per character plus 20 bytes per key and nothing to trace.
 */

const EMPTY = 0;

/** FNV-1a over UTF-16 code units. */
export function hashOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h | 0;
}

export class KeyTable {
  private slots = new Int32Array(1 << 12); // entry number + 1, or EMPTY
  private hashes = new Int32Array(1 << 11);
  private rows = new Int32Array(1 << 11);
  private starts = new Int32Array((1 << 11) + 1);
  private units = new Uint16Array(1 << 15);
  private count = 0;

  /** Number of distinct keys. */
  get size(): number {
    return this.count;
  }

  /** The row that had this key first, or undefined, in which case the key now belongs to `row`. */
  claim(key: string, row: number): number | undefined {
    const h = hashOf(key);
    const mask = this.slots.length - 1;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot] ?? EMPTY;
      if (entry === EMPTY) {
        this.slots[slot] = this.add(key, h, row) + 1;
        if (this.count * 2 > this.slots.length) this.rehash();
        return undefined;
      }
      if (this.hashes[entry - 1] === h && this.equals(entry - 1, key)) return this.rows[entry - 1];
    }
  }

  private equals(entry: number, key: string): boolean {
    const start = this.starts[entry] ?? 0;
    if ((this.starts[entry + 1] ?? 0) - start !== key.length) return false;
    for (let i = 0; i < key.length; i++) if (this.units[start + i] !== key.charCodeAt(i)) return false;
    return true;
  }

  private add(key: string, h: number, row: number): number {
    const entry = this.count++;
    if (entry + 1 >= this.hashes.length) {
      this.hashes = grow(this.hashes, this.hashes.length * 2);
      this.rows = grow(this.rows, this.rows.length * 2);
      this.starts = grow(this.starts, this.starts.length * 2);
    }
    const start = this.starts[entry] ?? 0;
    const end = start + key.length;
    if (end > this.units.length) this.units = grow(this.units, Math.max(end, this.units.length * 2));
    for (let i = 0; i < key.length; i++) this.units[start + i] = key.charCodeAt(i);
    this.hashes[entry] = h;
    this.rows[entry] = row;
    this.starts[entry + 1] = end;
    return entry;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let entry = 0; entry < this.count; entry++) {
      let slot = (this.hashes[entry] ?? 0) & mask;
      while (slots[slot] !== EMPTY) slot = (slot + 1) & mask;
      slots[slot] = entry + 1;
    }
    this.slots = slots;
  }
}

function grow<T extends Int32Array | Uint16Array>(array: T, length: number): T {
  const bigger = new (array.constructor as new (n: number) => T)(length);
  bigger.set(array);
  return bigger;
}
