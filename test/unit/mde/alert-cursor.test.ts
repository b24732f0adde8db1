import { describe, expect, it } from 'vitest';
import { advanceAlertCursor, alertFilter } from '../../../src/mde/alerts.ts';
import type { Alert } from '../../../src/mde/types.ts';

const alert = (id: string, lastUpdateTime: string | null): Alert => ({ id, lastUpdateTime });

describe('alert cursor (B07, B08)', () => {
  it('starts at the latest time and remembers every id seen at exactly that time', () => {
    const cursor = advanceAlertCursor(undefined, [
      alert('a', '2024-05-02T09:00:00Z'),
      alert('b', '2024-05-02T09:00:00.0000000Z'),
      alert('c', '2024-05-02T08:00:00Z'),
    ]);

    expect(cursor).toEqual({ time: '2024-05-02T09:00:00Z', idsAtTime: ['a', 'b'] });
  });

  it('moves to a later time and forgets the ids of the earlier one', () => {
    const cursor = advanceAlertCursor({ time: '2024-05-02T09:00:00Z', idsAtTime: ['a'] }, [
      alert('d', '2024-05-02T09:00:00.0000001Z'),
    ]);

    expect(cursor).toEqual({ time: '2024-05-02T09:00:00.0000001Z', idsAtTime: ['d'] });
  });

  it('treats values that differ only below a millisecond as different instants', () => {
    const cursor = advanceAlertCursor(undefined, [
      alert('x', '2024-03-13T06:40:13.9880001Z'),
      alert('y', '2024-03-13T06:40:13.988Z'),
    ]);

    expect(cursor).toEqual({ time: '2024-03-13T06:40:13.9880001Z', idsAtTime: ['x'] });
  });

  it('ignores alerts without a parseable lastUpdateTime and keeps an absent cursor absent', () => {
    expect(
      advanceAlertCursor(undefined, [alert('n', null), alert('m', 'yesterday')]),
    ).toBeUndefined();
  });

  it('does not add an id twice', () => {
    const cursor = advanceAlertCursor({ time: '2024-05-02T09:00:00Z', idsAtTime: ['a'] }, [
      alert('a', '2024-05-02T09:00:00Z'),
    ]);

    expect(cursor?.idsAtTime).toEqual(['a']);
  });
});

describe('alert filter', () => {
  it('combines the time floor and the statuses, quoting values safely', () => {
    expect(alertFilter(['New', "O'Brien"], '2024-05-02T00:00:00Z')).toBe(
      "lastUpdateTime ge 2024-05-02T00:00:00Z and (status eq 'New' or status eq 'O''Brien')",
    );
  });

  it('is absent when there is nothing to filter', () => {
    expect(alertFilter(undefined, undefined)).toBeUndefined();
    expect(alertFilter([], undefined)).toBeUndefined();
  });
});
