import { describe, expect, it } from 'vitest';
import {
  deviceListState,
  fullPartitionState,
  recordAnswer,
  splitTooLarge,
  takeNext,
  type Slice,
} from '../../../src/sync/partitions.ts';
import { huntingQuery, sliceFilter } from '../../../src/sync/queries.ts';

describe('hunting partitions', () => {
  it('sizes later groups from the rows the first answer returned', () => {
    const state = fullPartitionState(100_000, 90_000);
    const first = takeNext(state, 90_000, 1) as { modulus: number; residues: number[] };
    // The guess was 1 row per class, far too low: the first group is the whole modulus.
    recordAnswer(state, first, 0);
    expect(state.queue).toHaveLength(0);
  });

  it('halves a refused group and then splits a single class into two finer classes', () => {
    const state = fullPartitionState(1, 1000);
    const group = takeNext(state, 1000, 0.001) as { modulus: number; residues: number[] };
    expect(group.residues).toHaveLength(group.modulus);
    expect(splitTooLarge(state, group, 1000)).toBe(true);
    expect(state.queue).toHaveLength(2);

    const single: Slice = { modulus: 16, residues: [3] };
    const fresh = { queue: [], unitsDone: 0, rowsDone: 0 };
    expect(splitTooLarge(fresh, single, 1000)).toBe(true);
    expect(fresh.queue).toEqual([{ modulus: 32, residues: [3, 19] }]);
  });

  it('covers every class exactly once while splitting', () => {
    const state = fullPartitionState(10_000, 5_000);
    const seen: string[] = [];
    let refusals = 0;
    for (let s = takeNext(state, 5_000, 50); s; s = takeNext(state, 5_000, 50)) {
      if (!('residues' in s)) throw new Error('expected residues');
      if (s.residues.length > 3 && refusals < 3) {
        refusals += 1;
        splitTooLarge(state, s, 5_000);
        continue;
      }
      recordAnswer(state, s, s.residues.length * 10);
      for (const r of s.residues) seen.push(`${r}/${s.modulus}`);
    }
    const modulus = fullPartitionState(10_000, 5_000).queue[0] as { modulus: number };
    expect(new Set(seen).size).toBe(modulus.modulus);
    expect(seen).toHaveLength(modulus.modulus);
  });

  it('chunks changed device ids and splits a refused chunk in half', () => {
    const ids = Array.from({ length: 5 }, (_, i) => `d${i}`);
    const state = deviceListState(ids);
    const chunk = takeNext(state, 1000, 1) as { deviceIds: string[] };
    expect(chunk.deviceIds).toEqual(ids);
    splitTooLarge(state, chunk, 1000);
    expect(state.queue).toEqual([{ deviceIds: ['d0', 'd1', 'd2'] }, { deviceIds: ['d3', 'd4'] }]);
  });

  it('writes hash partitions and id lists as KQL filters', () => {
    expect(sliceFilter({ modulus: 8, residues: [1, 2] })).toBe('hash(DeviceId, 8) in (1, 2)');
    expect(sliceFilter({ deviceIds: ['abc', "x'; drop"] })).toBe("DeviceId in ('abc')");
    expect(huntingQuery('network', { modulus: 4, residues: [0] })).toContain(
      'summarize arg_max(Timestamp, *) by DeviceId, NetworkAdapterName',
    );
  });
});
