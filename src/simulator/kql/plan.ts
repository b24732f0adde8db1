/**
 * The compiled form of a tabular expression. A plan knows its output columns and, when run,
 * pushes rows into a sink; each operator wraps the sink of the next one, so rows stream
 * through filters and projections without intermediate arrays, and `take` stops the scan
 * early by returning false from `push`.
 */

import type { Expr, Source } from './ast.ts';
import type { ExprScope, Materialized } from './compile-expr.ts';
import type { Row } from './compiled.ts';
import { KqlError, type KqlColumn, type KqlType } from './types.ts';

/** Receives rows; `push` returns false when it wants no more rows. */
export interface Sink {
  push(row: Row): boolean;
  end(): void;
}

/** A runnable tabular expression. */
export interface Plan {
  columns: KqlColumn[];
  run(sink: Sink): void;
}

/** What operators need from the query being compiled. */
export interface QueryEnv {
  /** An expression scope over some columns, naming the operator in errors. */
  scope(columns: readonly KqlColumn[], operator: string): ExprScope;
  /** Compiles a tabular source (table name, tabular `let`, parenthesised pipeline, union). */
  source(source: Source): Plan;
}

/** Column name to type, for scopes and look-ups. */
export function columnMap(columns: readonly KqlColumn[]): Map<string, KqlType> {
  return new Map(columns.map((c) => [c.name, c.type]));
}

/** Runs a plan and keeps every row. */
export function materialize(plan: Plan): Materialized {
  const rows: Row[] = [];
  plan.run({ push: (row) => rows.push(row) > 0, end: () => undefined });
  return { columns: plan.columns, rows };
}

/** A plan that streams rows already in memory. */
export function planOfRows(columns: KqlColumn[], rows: readonly Row[]): Plan {
  return {
    columns,
    run(sink) {
      for (let i = 0; i < rows.length; i++) if (!sink.push(rows[i] as Row)) break;
      sink.end();
    },
  };
}

/** A new row holding only the named columns of `row`. */
export function pick(row: Row, names: readonly string[]): Row {
  const out: Row = {};
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    out[name] = row[name];
  }
  return out;
}

/** Wraps a sink transformation into a plan on top of `input`. */
export function pipe(input: Plan, columns: KqlColumn[], wrap: (down: Sink) => Sink): Plan {
  return { columns, run: (sink) => input.run(wrap(sink)) };
}

/** Appends a column or replaces the type of one with the same name, keeping order. */
export function withColumn(columns: KqlColumn[], name: string, type: KqlType): KqlColumn[] {
  const at = columns.findIndex((c) => c.name === name);
  if (at < 0) return [...columns, { name, type }];
  return columns.map((c, i) => (i === at ? { name, type } : c));
}

/** Kusto's automatic name for an unnamed expression: a column keeps its name, `a.b` → `a_b`. */
export function inferName(expr: Expr): string | undefined {
  if (expr.k === 'name') return expr.name;
  if (expr.k === 'member') {
    const base = inferName(expr.target);
    return base === undefined ? undefined : `${base}_${expr.name}`;
  }
  return undefined;
}

/** Rejects a second column of the same name in one operator's output. */
export function assertUniqueNames(columns: readonly KqlColumn[], operator: string, pos: number) {
  const seen = new Set<string>();
  for (const column of columns) {
    if (seen.has(column.name)) {
      const message = `'${operator}' operator: A column named '${column.name}' is produced more than once`;
      throw new KqlError('semantic', message, pos);
    }
    seen.add(column.name);
  }
}
