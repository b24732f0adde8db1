/**
 * The edges of one collection in first-added order, found by their two ends. Ends are looked
 * up in a map per `from` id rather than by one joined `from\0to` string, whose building and
 * hashing cost more than the rest of adding an edge. Ids holding a NUL keep the joined key, so
 * two pairs that join to the same text still name one edge, as they always have (a pair can
 * only join like another pair when both hold a NUL).
 */
import type { EdgeRecord } from './types.ts';

/** Edge records of one collection with their index by ends. */
export class EdgeTable {
  /** The records, in the order their ends were first added. */
  readonly records: EdgeRecord[] = [];
  private readonly byFrom = new Map<string, Map<string, number>>();
  private readonly byJoinedEnds = new Map<string, number>();

  /** Position in `records` of the edge between these ends, if added. */
  indexOf(fromId: string, toId: string): number | undefined {
    if (hasNul(fromId, toId)) return this.byJoinedEnds.get(`${fromId}\u0000${toId}`);
    return this.byFrom.get(fromId)?.get(toId);
  }

  /** Appends the record of ends not added before. */
  add(fromId: string, toId: string, record: EdgeRecord): void {
    const at = this.records.push(record) - 1;
    if (hasNul(fromId, toId)) {
      this.byJoinedEnds.set(`${fromId}\u0000${toId}`, at);
      return;
    }
    let byTo = this.byFrom.get(fromId);
    if (byTo === undefined) {
      byTo = new Map();
      this.byFrom.set(fromId, byTo);
    }
    byTo.set(toId, at);
  }
}

function hasNul(fromId: string, toId: string): boolean {
  return fromId.includes('\u0000') || toId.includes('\u0000');
}
