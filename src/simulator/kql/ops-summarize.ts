/**
 * `summarize aggregates by keys`. Rows are grouped in a Map keyed by the normalised `by`
 * values, so memory grows with the number of groups, not rows. Output columns are the `by`
 * columns first, then the aggregates, as in Kusto; groups come out in first-seen order.
 */

import type { Assignment, Expr, Operator } from './ast.ts';
import { type AggState, compileAggregate } from './aggregates.ts';
import { compileExpr } from './compile-expr.ts';
import type { Row, RowFn } from './compiled.ts';
import { keyOf, normalizerFor, type Normalizer } from './compare.ts';
import { assertUniqueNames, inferName, pipe, type Plan, type QueryEnv } from './plan.ts';
import type { KqlColumn, KqlType } from './types.ts';
import { str } from './values.ts';

type Op<K extends Operator['op']> = Extract<Operator, { op: K }>;

interface ByKey {
  name: string;
  fn: RowFn;
  key: (row: Row) => string;
  isString: boolean;
}

interface Group {
  values: unknown[];
  states: AggState[];
}

// Kusto names `by bin(Timestamp, 1d)` after the binned column.
const NAME_KEEPING_FUNCTIONS = new Set(['bin', 'floor', 'startofday']);

function byName(item: Assignment, index: number): string {
  if (item.name !== undefined) return item.name;
  const inferred = inferName(item.expr);
  if (inferred !== undefined) return inferred;
  const expr = item.expr;
  const first = expr.k === 'call' ? expr.args[0] : undefined;
  if (expr.k === 'call' && NAME_KEEPING_FUNCTIONS.has(expr.name) && first !== undefined) {
    const name = inferName(first as Expr);
    if (name !== undefined) return name;
  }
  return `Column${index + 1}`;
}

/** Compiles `summarize`. */
export function planSummarize(input: Plan, op: Op<'summarize'>, env: QueryEnv): Plan {
  const scope = env.scope(input.columns, 'summarize');
  const byColumns: KqlColumn[] = [];
  const keys: ByKey[] = op.by.map((item, i) => {
    const compiled = compileExpr(item.expr, scope);
    const name = byName(item, i);
    byColumns.push({ name, type: compiled.type });
    return {
      name,
      fn: compiled.fn,
      key: keyReader(compiled.fn, compiled.type),
      isString: compiled.type === 'string',
    };
  });
  const byNames = new Set(byColumns.map((c) => c.name));
  const specs = op.aggregates.map((item) => compileAggregate(item, scope, byNames));
  const columns = [...byColumns, ...specs.flatMap((s) => s.columns)];
  assertUniqueNames(columns, 'summarize', op.pos);
  const createStates = () => specs.map((s) => s.create());
  const keyOfRow = groupKeyFunction(keys);

  return pipe(input, columns, (down) => {
    const groups = new Map<string, Group>();
    return {
      push(row) {
        const key = keyOfRow(row);
        let group = groups.get(key);
        if (group === undefined) {
          group = {
            values: keys.map((k) => (k.isString ? str(k.fn(row)) : k.fn(row))),
            states: createStates(),
          };
          groups.set(key, group);
        }
        for (const state of group.states) state.add(row);
        return true;
      },
      end() {
        if (groups.size === 0 && keys.length === 0)
          groups.set('', { values: [], states: createStates() });
        for (const group of groups.values()) if (!down.push(groupRow(keys, group))) break;
        down.end();
      },
    };
  });
}

// One and two keys are the common shapes (by DeviceId; by DeviceId, NetworkAdapterName):
// build those keys without an intermediate array.
function groupKeyFunction(keys: ByKey[]): (row: Row) => string {
  const [a, b] = keys;
  if (keys.length === 0) return () => '';
  if (keys.length === 1 && a !== undefined) return a.key;
  if (keys.length === 2 && a !== undefined && b !== undefined) {
    const [ka, kb] = [a.key, b.key];
    return (row) => ka(row) + '\u0001' + kb(row);
  }
  return (row) => keys.map((k) => k.key(row)).join('\u0001');
}

// String keys are their own group key, which spares two calls per row on the common path.
function keyReader(fn: RowFn, type: KqlType): (row: Row) => string {
  if (type === 'string') {
    return (row) => {
      const v = fn(row);
      return typeof v === 'string' ? v : str(v);
    };
  }
  const normalize: Normalizer = normalizerFor(type);
  return (row) => keyOf(normalize(fn(row)));
}

function groupRow(keys: ByKey[], group: Group): Row {
  const out: Row = {};
  keys.forEach((k, i) => (out[k.name] = group.values[i]));
  for (const state of group.states) state.write(out);
  return out;
}
