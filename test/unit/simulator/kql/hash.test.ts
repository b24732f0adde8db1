import { describe, expect, it } from 'vitest';
import { executeKql, type KqlTable } from '../../../../src/simulator/kql/index.ts';
import { kqlHash } from '../../../../src/simulator/kql/hash.ts';
import { NOW, tablesOf } from './tables.ts';

const DEVICE_COUNT = 2000;
const MACHINES: KqlTable = {
  name: 'Machines',
  columns: [{ name: 'DeviceId', type: 'string' }],
  rows: Array.from({ length: DEVICE_COUNT }, (_, i) => ({
    DeviceId: (i * 2654435761 + 12345).toString(16).padStart(40, 'a').slice(-40),
  })),
};

function partition(n: number, k: number): string[] {
  const query = `Machines | where hash(DeviceId) % ${n} == ${k} | project DeviceId`;
  const result = executeKql(query, tablesOf(MACHINES), { now: NOW, maxRows: DEVICE_COUNT });
  return result.rows.map((r) => r.DeviceId as string);
}

describe('hash()', () => {
  it.each([2, 4, 8, 16])('puts every row in exactly one of %i partitions', (n) => {
    const seen = new Map<string, number>();
    for (let k = 0; k < n; k++)
      for (const id of partition(n, k)) seen.set(id, (seen.get(id) ?? 0) + 1);
    expect(seen.size).toBe(DEVICE_COUNT);
    expect([...seen.values()].every((count) => count === 1)).toBe(true);
  });

  it.each([4, 16])('spreads rows evenly over %i partitions (each within 30% of the mean)', (n) => {
    const mean = DEVICE_COUNT / n;
    for (let k = 0; k < n; k++) {
      const size = partition(n, k).length;
      expect(size).toBeGreaterThan(mean * 0.7);
      expect(size).toBeLessThan(mean * 1.3);
    }
  });

  it('gives the same partition on every run', () => {
    expect(partition(8, 3)).toEqual(partition(8, 3));
  });

  it('keeps its documented values so partitions stay stable across versions', () => {
    expect(kqlHash('')).toBe(6311882966237041);
    expect(kqlHash('abc')).toBe(5763177793066830);
  });

  it('hashes non-ASCII text over its UTF-8 bytes and accepts a modulus argument', () => {
    const result = executeKql(
      "Machines | take 1 | project a = hash('é€'), b = hash('é€', 10)",
      tablesOf(MACHINES),
      {
        now: NOW,
        maxRows: 1,
      },
    );
    const { a, b } = result.rows[0] as { a: number; b: number };
    expect(a).toBe(kqlHash('é€'));
    expect(b).toBe(a % 10);
    expect(Number.isSafeInteger(a) && a >= 0).toBe(true);
  });
});
