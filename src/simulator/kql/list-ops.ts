/**
 * `in`, `!in`, `in~`, `!in~`, `has_any`, `has_all` and `between`. The right side of the list
 * operators may mix scalars, dynamic arrays (flattened, as `let ids = dynamic([...])` is used)
 * and tabular expressions (their first column). A constant list becomes a Set built once.
 */

import type { Expr } from './ast.ts';
import { comparisonType } from './binary.ts';
import { type Compiled, constant, derived, type Row } from './compiled.ts';
import { compareComparable, keyOf, normalizerFor, type Normalizer } from './compare.ts';
import { compileExpr, type ExprScope } from './compile-expr.ts';
import { hasTerm } from './strings.ts';
import { unresolved } from './types.ts';
import { asDynamic, datetimeToTicks, str, ticksToDatetime, toDatetime } from './values.ts';

type ListExpr = Expr & { k: 'list' };
type BetweenExpr = Expr & { k: 'between' };

/** Compiles a list operator (`x in (a, b)`, `x has_any (…)`). */
export function compileList(expr: ListExpr, scope: ExprScope): Compiled {
  const left = compileExpr(expr.left, scope);
  const items = expr.items.map((item) => compileItem(item, scope));
  const valuesOf = (row: Row) => items.flatMap((item) => flatten(item.fn(row)));
  const isConstant = items.every((item) => item.isConstant);
  const constantValues = isConstant ? valuesOf({}) : undefined;
  if (expr.op === 'has_any' || expr.op === 'has_all') {
    return compileHasList(expr.op === 'has_all', left, items, valuesOf, constantValues);
  }
  const isCaseless = expr.op.endsWith('~');
  const isNegated = expr.op.startsWith('!');
  const base = normalizerFor(left.type);
  const normalize: Normalizer = isCaseless ? (x) => str(x).toLowerCase() : base;
  const lf = left.fn;
  if (constantValues !== undefined) {
    const set = new Set(constantValues.map((x) => keyOf(normalize(x))));
    return derived('bool', (row) => set.has(keyOf(normalize(lf(row)))) !== isNegated, [left]);
  }
  return derived(
    'bool',
    (row) => {
      const key = keyOf(normalize(lf(row)));
      return valuesOf(row).some((x) => keyOf(normalize(x)) === key) !== isNegated;
    },
    [left, ...items],
  );
}

function compileItem(item: Expr, scope: ExprScope): Compiled {
  const isBareName = item.k === 'name' && !scope.columns.has(item.name) && !scope.scalar(item.name);
  if (item.k !== 'tabular' && !isBareName) return compileExpr(item, scope);
  const table = scope.tabular(item);
  if (table === undefined)
    throw unresolved('scalar', (item as { name: string }).name, item.pos, scope.operator);
  const column = table.columns[0];
  const values = column === undefined ? [] : table.rows.map((row) => row[column.name] ?? null);
  return constant('dynamic', values);
}

function flatten(value: unknown): unknown[] {
  const d = asDynamic(value);
  return Array.isArray(d) ? d : [d];
}

function compileHasList(
  isAll: boolean,
  left: Compiled,
  items: Compiled[],
  valuesOf: (row: Row) => unknown[],
  constantValues: unknown[] | undefined,
): Compiled {
  const lf = left.fn;
  const needlesOf = (values: unknown[]) => values.map((x) => str(x).toLowerCase());
  const test = (row: Row, needles: string[]) => {
    const haystack = str(lf(row)).toLowerCase();
    return isAll
      ? needles.every((n) => hasTerm(haystack, n))
      : needles.some((n) => hasTerm(haystack, n));
  };
  if (constantValues !== undefined) {
    const needles = needlesOf(constantValues);
    return derived('bool', (row) => test(row, needles), [left]);
  }
  return derived('bool', (row) => test(row, needlesOf(valuesOf(row))), [left, ...items]);
}

/** Compiles `x between (low .. high)`, inclusive; a timespan upper bound counts from `low`. */
export function compileBetween(expr: BetweenExpr, scope: ExprScope): Compiled {
  const left = compileExpr(expr.left, scope);
  const low = compileExpr(expr.low, scope);
  let high = compileExpr(expr.high, scope);
  if (left.type === 'datetime' && high.type === 'timespan') high = offsetFrom(low, high);
  const type = comparisonType(left.type, low.type, expr.pos);
  const normalize = normalizerFor(type);
  const [lf, lowf, highf] = [left.fn, low.fn, high.fn];
  return derived(
    'bool',
    (row) => {
      const x = normalize(lf(row));
      const a = normalize(lowf(row));
      const b = normalize(highf(row));
      if (x === null || a === null || b === null) return null;
      const isInside = compareComparable(a, x) <= 0 && compareComparable(x, b) <= 0;
      return isInside !== expr.negated;
    },
    [left, low, high],
  );
}

function offsetFrom(start: Compiled, span: Compiled): Compiled {
  const [sf, spf] = [start.fn, span.fn];
  return derived(
    'datetime',
    (row) => {
      const dt = toDatetime(sf(row));
      const ticks = spf(row);
      if (dt === null || typeof ticks !== 'number') return null;
      return ticksToDatetime(datetimeToTicks(dt) + BigInt(Math.round(ticks)));
    },
    [start, span],
  );
}
