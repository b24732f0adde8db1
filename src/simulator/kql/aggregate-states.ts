/**
 * Per-group state of each aggregate. They are small classes rather than closures: summarize
 * may create one per group for hundreds of thousands of groups, and instances are cheaper.
 * Nulls are ignored; ties in arg_max/arg_min keep the first row seen.
 */

import { integerOp } from './binary.ts';
import type { Row, RowFn } from './compiled.ts';
import { type Comparable, compareComparable, keyOf, type Normalizer } from './compare.ts';
import type { KqlType } from './types.ts';
import { toNumber } from './values.ts';

/** One group's running value of one aggregate. */
export interface AggState {
  add(row: Row): void;
  write(out: Row): void;
}

/** A column arg_max/arg_min copies from the winning row. */
export interface ArgOutput {
  name: string;
  type: KqlType;
  fn: RowFn;
}

/** State of one aggregate (see its factory in aggregates.ts). */
export class CountState implements AggState {
  private n = 0;
  constructor(
    private readonly name: string,
    private readonly predicate: RowFn,
  ) {}
  add(row: Row): void {
    if (this.predicate(row) === true) this.n++;
  }
  write(out: Row): void {
    out[this.name] = this.n;
  }
}

/** State of one aggregate (see its factory in aggregates.ts). */
export class DistinctCountState implements AggState {
  private readonly seen = new Set<string>();
  constructor(
    private readonly name: string,
    private readonly read: (row: Row) => Comparable,
    private readonly predicate: RowFn,
  ) {}
  add(row: Row): void {
    const v = this.read(row);
    if (v !== null && this.predicate(row) === true) this.seen.add(keyOf(v));
  }
  write(out: Row): void {
    out[this.name] = this.seen.size;
  }
}

/** State of one aggregate (see its factory in aggregates.ts). */
export class SumState implements AggState {
  private total: number | bigint = 0;
  constructor(
    private readonly name: string,
    private readonly fn: RowFn,
    private readonly isInteger: boolean,
  ) {}
  add(row: Row): void {
    const v = this.fn(row);
    if (v === null || v === undefined) return;
    this.total = this.isInteger
      ? (integerOp('+', this.total, v) ?? this.total)
      : (this.total as number) + (toNumber(v) ?? 0);
  }
  write(out: Row): void {
    out[this.name] = this.total;
  }
}

/** State of one aggregate (see its factory in aggregates.ts). */
export class AverageState implements AggState {
  private total = 0;
  private n = 0;
  constructor(
    private readonly name: string,
    private readonly fn: RowFn,
  ) {}
  add(row: Row): void {
    const v = toNumber(this.fn(row));
    if (v === null) return;
    this.total += v;
    this.n++;
  }
  write(out: Row): void {
    out[this.name] = this.n === 0 ? null : this.total / this.n;
  }
}

/** State of one aggregate (see its factory in aggregates.ts). */
export class ExtremeState implements AggState {
  private best: Comparable = null;
  private bestRaw: unknown = null;
  constructor(
    private readonly name: string,
    private readonly fn: RowFn,
    private readonly normalize: Normalizer,
    private readonly sign: number,
  ) {}
  add(row: Row): void {
    const raw = this.fn(row);
    const v = this.normalize(raw);
    if (v === null) return;
    if (this.best !== null && compareComparable(v, this.best) * this.sign <= 0) return;
    this.best = v;
    this.bestRaw = raw;
  }
  write(out: Row): void {
    out[this.name] = this.bestRaw;
  }
}

/** State of one aggregate (see its factory in aggregates.ts). */
export class AnyValueState implements AggState {
  private value: unknown = null;
  constructor(
    private readonly name: string,
    private readonly fn: RowFn,
  ) {}
  add(row: Row): void {
    if (this.value !== null) return;
    const v = this.fn(row);
    if (v !== undefined) this.value = v;
  }
  write(out: Row): void {
    out[this.name] = this.value;
  }
}

/** State of one aggregate (see its factory in aggregates.ts). */
export class AnyRowState implements AggState {
  private first: Row | undefined;
  constructor(private readonly names: string[]) {}
  add(row: Row): void {
    this.first ??= row;
  }
  write(out: Row): void {
    for (const name of this.names) out[name] = this.first?.[name] ?? null;
  }
}

/** State of one aggregate (see its factory in aggregates.ts). */
export class CollectState implements AggState {
  private readonly values: unknown[] = [];
  private readonly seen: Set<string> | undefined;
  constructor(
    private readonly name: string,
    private readonly fn: RowFn,
    private readonly predicate: RowFn,
    private readonly normalize: Normalizer | undefined,
    private readonly limit: number,
  ) {
    this.seen = normalize === undefined ? undefined : new Set();
  }
  add(row: Row): void {
    if (this.values.length >= this.limit) return;
    const v = this.fn(row);
    if (v === null || v === undefined || this.predicate(row) !== true) return;
    if (this.seen !== undefined) {
      const key = keyOf((this.normalize as Normalizer)(v));
      if (this.seen.has(key)) return;
      this.seen.add(key);
    }
    this.values.push(v);
  }
  write(out: Row): void {
    out[this.name] = this.values;
  }
}

/** State of one aggregate (see its factory in aggregates.ts). */
export class ArgExtremeState implements AggState {
  private best: Comparable = null;
  private bestRow: Row | undefined;
  private bestRaw: unknown = null;
  constructor(
    private readonly keyName: string,
    private readonly keyFn: RowFn,
    private readonly normalize: Normalizer,
    private readonly sign: number,
    private readonly outputs: ArgOutput[],
  ) {}
  add(row: Row): void {
    const raw = this.keyFn(row);
    const v = this.normalize(raw);
    if (v === null) {
      this.bestRow ??= row;
      return;
    }
    if (this.best !== null && compareComparable(v, this.best) * this.sign <= 0) return;
    this.best = v;
    this.bestRow = row;
    this.bestRaw = raw;
  }
  write(out: Row): void {
    out[this.keyName] = this.bestRaw;
    const row = this.bestRow;
    for (const o of this.outputs) out[o.name] = row === undefined ? null : o.fn(row);
  }
}
