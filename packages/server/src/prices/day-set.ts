import { dayFromNumber } from '@ethcast/days';

const BLOCK_BITS = 12; // 4096 days (≈11 years) per 512-byte block

/**
 * The days seen for one symbol, as a sparse bitmap: memory stays at a few hundred bytes per decade
 * however many rows a file has, which keeps duplicate detection and missing-day counts streaming.
 */
export class DaySet {
  private blocks = new Map<number, Uint8Array>();
  size = 0;
  first: number | null = null;
  last: number | null = null;

  /** false if the day was already present */
  add(day: number): boolean {
    const key = day >> BLOCK_BITS;
    let block = this.blocks.get(key);
    if (!block) {
      block = new Uint8Array(1 << (BLOCK_BITS - 3));
      this.blocks.set(key, block);
    }
    const offset = day - (key << BLOCK_BITS);
    const mask = 1 << (offset & 7);
    const byte = block[offset >> 3] ?? 0;
    if (byte & mask) return false;
    block[offset >> 3] = byte | mask;
    this.size++;
    if (this.first === null || day < this.first) this.first = day;
    if (this.last === null || day > this.last) this.last = day;
    return true;
  }

  has(day: number): boolean {
    const key = day >> BLOCK_BITS;
    const block = this.blocks.get(key);
    if (!block) return false;
    const offset = day - (key << BLOCK_BITS);
    return ((block[offset >> 3] ?? 0) & (1 << (offset & 7))) !== 0;
  }

  /** calendar days between first and last that are absent */
  get missingCount(): number {
    return this.first === null || this.last === null ? 0 : this.last - this.first + 1 - this.size;
  }

  /** the first `limit` missing days, ascending */
  missingSample(limit: number): string[] {
    const out: string[] = [];
    if (this.first === null || this.last === null || this.missingCount === 0) return out;
    for (let day = this.first; day <= this.last && out.length < limit; day++) {
      if (!this.has(day)) out.push(dayFromNumber(day));
    }
    return out;
  }
}
