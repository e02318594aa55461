/**
 * An open-addressing hash table from a (source id, target id) pair to a pair index, on typed
 * arrays. Several times faster than a `Map` with composite keys when building large graphs, and
 * it keeps no per-entry objects.
 */
export class PairTable {
  #keysS: Int32Array;
  #keysT: Int32Array;
  #values: Int32Array;
  #mask: number;
  #used = 0;

  constructor(capacity = 16) {
    let size = 16;
    while (size * 3 < capacity * 4) size *= 2;
    this.#keysS = new Int32Array(size).fill(-1);
    this.#keysT = new Int32Array(size);
    this.#values = new Int32Array(size);
    this.#mask = size - 1;
  }

  #slot(s: number, t: number): number {
    let h = Math.imul(s, 0x9e3779b1) ^ Math.imul(t + 0x7f4a7c15, 0x85ebca77);
    h ^= h >>> 15;
    return h & this.#mask;
  }

  /** The pair index, or -1. */
  get(s: number, t: number): number {
    const keysS = this.#keysS;
    const keysT = this.#keysT;
    let i = this.#slot(s, t);
    for (;;) {
      const k = keysS[i] as number;
      if (k === -1) return -1;
      if (k === s && keysT[i] === t) return this.#values[i] as number;
      i = (i + 1) & this.#mask;
    }
  }

  /** Inserts the pair with `value` unless present; returns the existing value, or -1 if inserted. */
  getOrInsert(s: number, t: number, value: number): number {
    if ((this.#used + 1) * 4 > this.#keysS.length * 3) this.#grow();
    const keysS = this.#keysS;
    const keysT = this.#keysT;
    let i = this.#slot(s, t);
    for (;;) {
      const k = keysS[i] as number;
      if (k === -1) {
        keysS[i] = s;
        keysT[i] = t;
        this.#values[i] = value;
        this.#used++;
        return -1;
      }
      if (k === s && keysT[i] === t) {
        const v = this.#values[i] as number;
        if (v === -1) {
          this.#values[i] = value;
          return -1;
        }
        return v;
      }
      i = (i + 1) & this.#mask;
    }
  }

  /** Sets the pair index (value -1 marks a removed pair; the slot stays occupied). */
  set(s: number, t: number, value: number): void {
    if ((this.#used + 1) * 4 > this.#keysS.length * 3) this.#grow();
    let i = this.#slot(s, t);
    for (;;) {
      const k = this.#keysS[i] as number;
      if (k === -1) {
        this.#keysS[i] = s;
        this.#keysT[i] = t;
        this.#values[i] = value;
        this.#used++;
        return;
      }
      if (k === s && this.#keysT[i] === t) {
        this.#values[i] = value;
        return;
      }
      i = (i + 1) & this.#mask;
    }
  }

  #grow(): void {
    const oldS = this.#keysS;
    const oldT = this.#keysT;
    const oldV = this.#values;
    const size = oldS.length * 2;
    this.#keysS = new Int32Array(size).fill(-1);
    this.#keysT = new Int32Array(size);
    this.#values = new Int32Array(size);
    this.#mask = size - 1;
    this.#used = 0;
    for (let i = 0; i < oldS.length; i++) {
      const s = oldS[i] as number;
      if (s !== -1 && (oldV[i] as number) !== -1) this.set(s, oldT[i] as number, oldV[i] as number);
    }
  }
}
