import { describe, expect, it } from 'vitest';
import { readAhead } from '../../../src/sync/prefetch.ts';

/** A source that logs when each item is asked for and can fail at one item. */
function source(count: number, log: string[], failAt?: number) {
  let closed = false;
  async function* pages(): AsyncGenerator<number> {
    try {
      for (let i = 1; i <= count; i += 1) {
        log.push(`ask ${i}`);
        await new Promise((resolve) => setTimeout(resolve, 1));
        if (i === failAt) throw new Error(`page ${i} failed`);
        yield i;
      }
    } finally {
      closed = true;
    }
  }
  return { pages: pages(), isClosed: () => closed };
}

describe('readAhead', () => {
  it('hands out every item in order', async () => {
    const seen: number[] = [];
    for await (const item of readAhead(source(4, []).pages)) seen.push(item);
    expect(seen).toEqual([1, 2, 3, 4]);
  });

  it('asks for the next item before the current one has been processed', async () => {
    const log: string[] = [];
    for await (const item of readAhead(source(3, log).pages)) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      log.push(`wrote ${item}`);
    }
    expect(log).toEqual(['ask 1', 'ask 2', 'wrote 1', 'ask 3', 'wrote 2', 'wrote 3']);
  });

  it('raises a failed item only after the item before it was processed', async () => {
    const log: string[] = [];
    const run = async () => {
      for await (const item of readAhead(source(3, log, 2).pages)) log.push(`wrote ${item}`);
    };
    await expect(run()).rejects.toThrow('page 2 failed');
    expect(log).toEqual(['ask 1', 'ask 2', 'wrote 1']);
  });

  it('closes the source when the loop is left early, without an unhandled rejection', async () => {
    const log: string[] = [];
    const src = source(5, log, 2);
    const run = async () => {
      for await (const item of readAhead(src.pages)) {
        log.push(`wrote ${item}`);
        throw new Error('write failed');
      }
    };
    await expect(run()).rejects.toThrow('write failed');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(src.isClosed()).toBe(true);
    expect(log).toEqual(['ask 1', 'ask 2', 'wrote 1']);
  });
});
