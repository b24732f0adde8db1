/**
 * A small seeded pseudo-random generator (mulberry32 over a 32-bit state). The simulator
 * never uses Math.random: every tenant, change and identifier derives from the seed, so the
 * same seed always yields the same tenant.
 */

/**
 * Joins parts into one flat string. Concatenation builds rope strings that cost several times
 * their length in memory; a 100,000-machine tenant keeps millions of these strings.
 */
export function flat(parts: readonly string[]): string {
  return parts.join('');
}

/** Mixes any number of integers and strings into one 32-bit seed (FNV-1a over their text). */
export function mixSeed(...parts: (number | string)[]): number {
  let hash = 0x811c9dc5;
  for (const part of parts) {
    const text = `${String(part)}|`;
    for (let i = 0; i < text.length; i += 1) {
      hash ^= text.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193);
    }
  }
  return hash >>> 0;
}

// Number#toString(16) is slow on doubles; a table of byte pairs keeps id generation cheap.
const HEX_PAIRS = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** A deterministic random source; `fork` derives an independent stream for a sub-task. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Picks by weight: `[[value, weight], ...]`. */
  weighted<T>(table: readonly (readonly [T, number])[]): T {
    const total = table.reduce((sum, [, w]) => sum + w, 0);
    let roll = this.next() * total;
    for (const [value, weight] of table) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return (table[table.length - 1] as readonly [T, number])[0];
  }

  /** `length` lower-case hex digits. */
  hex(length: number): string {
    const parts: string[] = [];
    for (let have = 0; have < length; have += 6) {
      const word = Math.floor(this.next() * 4294967296);
      parts.push(
        HEX_PAIRS[word & 0xff]!,
        HEX_PAIRS[(word >>> 8) & 0xff]!,
        HEX_PAIRS[(word >>> 16) & 0xff]!,
      );
    }
    const out = flat(parts);
    return out.length === length ? out : out.slice(0, length);
  }

  /** A version-4-shaped GUID. */
  guid(): string {
    const h = this.hex(32);
    const variant = '89ab'[this.int(0, 3)] as string;
    return flat([
      h.slice(0, 8),
      '-',
      h.slice(8, 12),
      '-4',
      h.slice(13, 16),
      '-',
      variant,
      h.slice(17, 20),
      '-',
      h.slice(20, 32),
    ]);
  }

  /** A new generator whose stream depends on this one's seed and `label`. */
  fork(...label: (number | string)[]): Rng {
    return new Rng(mixSeed(this.state, ...label));
  }
}
