// What an import must remember about every row or customer it has read, kept small: a 64-bit
// fingerprint (the first 8 bytes of the text's SHA-256) and a small number, in typed arrays with
// open addressing. A file can repeat a row (two identical tickets count twice, so each occurrence
// gets its own idempotency key) and a customer (counted once, however many rows name it); a Map or
// Set of the texts themselves held ~300 bytes a row, 300 MB for a 1,000,000-row file, where this
// holds 12 bytes a slot at most 70 % full: 17 to 34 bytes an entry. Two different texts sharing a
// fingerprint (odds about 1 in 10^7 for a million entries) would be taken for one.
import { createHash } from 'node:crypto';

const INITIAL_SLOTS = 1 << 10;
const MAX_LOAD = 0.7;

export class FingerprintTable {
  private hi = new Uint32Array(INITIAL_SLOTS);
  private lo = new Uint32Array(INITIAL_SLOTS);
  private values = new Uint32Array(INITIAL_SLOTS);
  private count = 0;

  /** Entries held. */
  get size(): number {
    return this.count;
  }

  /** The number stored for the text, 0 when none is. */
  get(text: string): number {
    const [hi, lo] = fingerprint(text);
    const slot = this.find(hi, lo);
    return this.hi[slot] === hi && this.lo[slot] === lo ? this.values[slot]! : 0;
  }

  /** Stores a number (1 to 2^32-1) for the text. */
  set(text: string, value: number): void {
    const [hi, lo] = fingerprint(text);
    let slot = this.find(hi, lo);
    if (this.hi[slot] !== hi || this.lo[slot] !== lo) {
      if ((this.count + 1) / this.hi.length > MAX_LOAD) {
        this.grow();
        slot = this.find(hi, lo);
      }
      this.hi[slot] = hi;
      this.lo[slot] = lo;
      this.count += 1;
    }
    this.values[slot] = value;
  }

  /** How many entries hold a number that passes the test. */
  countWhere(test: (value: number) => boolean): number {
    let n = 0;
    for (let slot = 0; slot < this.values.length; slot++)
      if ((this.hi[slot] !== 0 || this.lo[slot] !== 0) && test(this.values[slot]!)) n += 1;
    return n;
  }

  /** The slot holding the fingerprint, or the empty slot where it would go (linear probing). */
  private find(hi: number, lo: number): number {
    const mask = this.hi.length - 1;
    let slot = lo & mask;
    while ((this.hi[slot] !== 0 || this.lo[slot] !== 0) && (this.hi[slot] !== hi || this.lo[slot] !== lo))
      slot = (slot + 1) & mask;
    return slot;
  }

  private grow(): void {
    const { hi, lo, values } = this;
    this.hi = new Uint32Array(hi.length * 2);
    this.lo = new Uint32Array(hi.length * 2);
    this.values = new Uint32Array(hi.length * 2);
    for (let slot = 0; slot < hi.length; slot++) {
      if (hi[slot] === 0 && lo[slot] === 0) continue;
      const to = this.find(hi[slot]!, lo[slot]!);
      this.hi[to] = hi[slot]!;
      this.lo[to] = lo[slot]!;
      this.values[to] = values[slot]!;
    }
  }
}

/** Two 32-bit halves of the text's SHA-256; never both 0 (that pair marks an empty slot). */
function fingerprint(text: string): [number, number] {
  const digest = createHash('sha256').update(text).digest();
  const hi = digest.readUInt32LE(0);
  const lo = digest.readUInt32LE(4);
  return hi === 0 && lo === 0 ? [0, 1] : [hi, lo];
}
