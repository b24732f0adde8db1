/**
 * `order by` / `sort by` and `top n by`. Keys are computed once per row before sorting.
 * Kusto's defaults: descending unless `asc`, nulls last when descending and first when
 * ascending, unless `nulls first|last` says otherwise. The sort is stable.
 */

import type { Operator, SortKey } from './ast.ts';
import { compileExpr } from './compile-expr.ts';
import type { Row } from './compiled.ts';
import { type Comparable, compareComparable, normalizerFor } from './compare.ts';
import { constantCount } from './ops-basic.ts';
import { pipe, type Plan, type QueryEnv } from './plan.ts';

type Op<K extends Operator['op']> = Extract<Operator, { op: K }>;

interface Decorated {
  row: Row;
  keys: Comparable[];
}

/** `order by a [asc|desc] [nulls first|last], …`. */
export function planSort(input: Plan, op: Op<'sort'>, env: QueryEnv): Plan {
  return sortedPlan(input, op.keys, env, 'order', Infinity);
}

/** `top n by key`: the first n rows in that order. */
export function planTop(input: Plan, op: Op<'top'>, env: QueryEnv): Plan {
  return sortedPlan(input, [op.key], env, 'top', constantCount(op.count, env, input, 'top'));
}

function sortedPlan(
  input: Plan,
  keys: SortKey[],
  env: QueryEnv,
  name: string,
  limit: number,
): Plan {
  const scope = env.scope(input.columns, name);
  const compiled = keys.map((key) => {
    const expr = compileExpr(key.expr, scope);
    const normalize = normalizerFor(expr.type);
    const fn = expr.fn;
    return { read: (row: Row) => normalize(fn(row)), ...orderOf(key) };
  });
  const compare = (a: Decorated, b: Decorated) => {
    for (let i = 0; i < compiled.length; i++) {
      const c = compiled[i] as (typeof compiled)[number];
      const result = compareKey(
        a.keys[i] as Comparable,
        b.keys[i] as Comparable,
        c.isDescending,
        c.nullsFirst,
      );
      if (result !== 0) return result;
    }
    return 0;
  };
  return pipe(input, input.columns, (down) => {
    const rows: Decorated[] = [];
    return {
      push: (row) => rows.push({ row, keys: compiled.map((c) => c.read(row)) }) > 0,
      end() {
        rows.sort(compare);
        const count = Math.min(limit, rows.length);
        for (let i = 0; i < count; i++) if (!down.push((rows[i] as Decorated).row)) break;
        down.end();
      },
    };
  });
}

function orderOf(key: SortKey): { isDescending: boolean; nullsFirst: boolean } {
  return { isDescending: key.isDescending, nullsFirst: key.nullsFirst ?? !key.isDescending };
}

function compareKey(
  a: Comparable,
  b: Comparable,
  isDescending: boolean,
  nullsFirst: boolean,
): number {
  if (a === null || b === null) {
    if (a === b) return 0;
    return (a === null) === nullsFirst ? -1 : 1;
  }
  const c = compareComparable(a, b);
  return isDescending ? -c : c;
}
