/**
 * `mv-expand [with_itemindex=I] [Name =] expr [to typeof(T)], … [limit N]`. Arrays give one
 * row per element, property bags one row per `{key: value}` pair, and several expressions
 * expand in lock-step (shorter ones padded with null). JSON text in a dynamic column is
 * parsed first, since tables hold dynamic columns as strings.
 */

import type { Operator } from './ast.ts';
import { compileExpr } from './compile-expr.ts';
import type { RowFn } from './compiled.ts';
import { inferName, pick, pipe, type Plan, type QueryEnv, withColumn } from './plan.ts';
import { type KqlColumn, KqlError, type KqlType } from './types.ts';
import { asDynamic, toDatetime, toTimespan } from './values.ts';

type Op<K extends Operator['op']> = Extract<Operator, { op: K }>;

// Limitation: like Kusto's mv-expand, a row whose value is null or an empty array produces no
// output row; wrap the value with iff(array_length(x) == 0, dynamic([null]), x) to keep it.
function elementsOf(value: unknown): unknown[] {
  const d = asDynamic(value);
  if (Array.isArray(d)) return d;
  if (d === null) return [];
  if (typeof d === 'object') return Object.entries(d).map(([k, v]) => ({ [k]: v }));
  return [d];
}

// `to typeof(T)` casts without parsing: elements of another kind become null (Kusto docs).
const CASTS: Record<KqlType, (v: unknown) => unknown> = {
  dynamic: (v) => v,
  string: (v) => (typeof v === 'string' ? v : null),
  long: (v) => (typeof v === 'bigint' || Number.isInteger(v) ? v : null),
  int: (v) => (Number.isInteger(v) ? v : null),
  real: (v) => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : null),
  bool: (v) => (typeof v === 'boolean' ? v : null),
  datetime: (v) => toDatetime(v),
  timespan: (v) => (typeof v === 'string' ? toTimespan(v) : null),
  guid: (v) => (typeof v === 'string' ? v.toLowerCase() : null),
};

/** Compiles `mv-expand`. */
export function planMvExpand(input: Plan, op: Op<'mv-expand'>, env: QueryEnv): Plan {
  const scope = env.scope(input.columns, 'mv-expand');
  let columns: KqlColumn[] = input.columns;
  const items: { name: string; fn: RowFn; cast: (v: unknown) => unknown }[] = [];
  for (const item of op.items) {
    const compiled = compileExpr(item.expr, scope);
    const name = item.name ?? inferName(item.expr);
    if (name === undefined) {
      throw new KqlError(
        'semantic',
        "'mv-expand' operator: name the expanded expression (Name = expr)",
        item.pos,
      );
    }
    const type = item.toType ?? 'dynamic';
    items.push({ name, fn: compiled.fn, cast: CASTS[type] });
    columns = withColumn(columns, name, type);
  }
  const indexColumn = op.indexColumn;
  if (indexColumn !== undefined) columns = withColumn(columns, indexColumn, 'long');
  const inputNames = input.columns.map((c) => c.name);
  const limit = op.limit ?? Number.MAX_SAFE_INTEGER;

  return pipe(input, columns, (down) => ({
    push(row) {
      const arrays = items.map((item) => elementsOf(item.fn(row)));
      const count = Math.min(limit, Math.max(...arrays.map((a) => a.length)));
      for (let i = 0; i < count; i++) {
        const out = pick(row, inputNames);
        items.forEach(
          (item, j) => (out[item.name] = item.cast((arrays[j] as unknown[])[i] ?? null)),
        );
        if (indexColumn !== undefined) out[indexColumn] = i;
        if (!down.push(out)) return false;
      }
      return true;
    },
    end: () => down.end(),
  }));
}
