/**
 * Compiles parsed statements into one runnable plan: `let` bindings first (scalars become
 * constants, tabular lets are compiled once and materialised on first use), then the final
 * tabular expression. Table names are looked up exactly as written, like Kusto.
 */

import type { Expr, Operator, Pipeline, Source, Statement } from './ast.ts';
import { compileExpr, type ExprScope, type Materialized } from './compile-expr.ts';
import type { Compiled } from './compiled.ts';
import { planMvExpand } from './ops-mv-expand.ts';
import {
  planCount,
  planDistinct,
  planExtend,
  planProject,
  planProjectPattern,
  planProjectRename,
  planTake,
  planWhere,
} from './ops-basic.ts';
import { planJoin, planUnion, unionPlans } from './ops-join.ts';
import { planSort, planTop } from './ops-sort.ts';
import { planSummarize } from './ops-summarize.ts';
import { columnMap, materialize, type Plan, planOfRows, type QueryEnv } from './plan.ts';
import { KqlError, type KqlColumn, type KqlTables, unresolved } from './types.ts';

/** Compiles statements against tables; `nowTicks` is `now()` in 100 ns ticks. */
export function compileStatements(
  statements: Statement[],
  tables: KqlTables,
  nowTicks: bigint,
): Plan {
  const compiler = new QueryCompiler(tables, nowTicks);
  let result: Plan | undefined;
  for (const statement of statements) {
    if (statement.k === 'let') compiler.bind(statement.name, statement.value);
    else result = compiler.tabular(statement.value, statement.pos);
  }
  return result as Plan;
}

class QueryCompiler implements QueryEnv {
  private readonly scalars = new Map<string, Compiled>();
  private readonly tabulars = new Map<string, Plan>();

  constructor(
    private readonly tables: KqlTables,
    private readonly nowTicks: bigint,
  ) {}

  bind(name: string, value: Expr): void {
    this.scalars.delete(name);
    this.tabulars.delete(name);
    if (value.k === 'tabular') this.tabulars.set(name, cachedPlan(this.pipeline(value.pipeline)));
    else if (value.k === 'name' && this.isTabularName(value.name)) {
      this.tabulars.set(name, this.source({ k: 'name', name: value.name, pos: value.pos }));
    } else this.scalars.set(name, compileExpr(value, this.scope([], 'let')));
  }

  tabular(value: Expr, pos: number): Plan {
    if (value.k === 'tabular') return this.pipeline(value.pipeline);
    if (value.k === 'name') return this.source({ k: 'name', name: value.name, pos: value.pos });
    throw new KqlError(
      'semantic',
      'The query must end with a tabular expression, such as a table name',
      pos,
    );
  }

  scope(columns: readonly KqlColumn[], operator: string): ExprScope {
    return {
      columns: columnMap(columns),
      operator,
      nowTicks: this.nowTicks,
      scalar: (name) => this.scalars.get(name),
      tabular: (expr) => this.materializeExpr(expr),
    };
  }

  source(source: Source): Plan {
    if (source.k === 'pipeline') return this.pipeline(source.pipeline);
    if (source.k === 'union') return planUnion(unionPlans(source.items, this), source.pos);
    const bound = this.tabulars.get(source.name);
    if (bound !== undefined) return bound;
    const table = this.tables.get(source.name);
    if (table === undefined) throw unresolved('table', source.name, source.pos);
    return planOfRows(table.columns, table.rows);
  }

  private isTabularName(name: string): boolean {
    return this.tabulars.has(name) || this.tables.get(name) !== undefined;
  }

  private materializeExpr(expr: Expr): Materialized | undefined {
    if (expr.k === 'tabular') return materialize(this.pipeline(expr.pipeline));
    if (expr.k === 'name' && this.isTabularName(expr.name)) {
      return materialize(this.source({ k: 'name', name: expr.name, pos: expr.pos }));
    }
    return undefined;
  }

  private pipeline(pipeline: Pipeline): Plan {
    let plan = this.source(pipeline.source);
    for (const op of pipeline.operators) plan = this.operator(plan, op);
    return plan;
  }

  private operator(input: Plan, op: Operator): Plan {
    switch (op.op) {
      case 'where':
        return planWhere(input, op, this);
      case 'project':
        return planProject(input, op, this);
      case 'extend':
        return planExtend(input, op, this);
      case 'project-away':
      case 'project-keep':
        return planProjectPattern(input, op);
      case 'project-rename':
        return planProjectRename(input, op);
      case 'summarize':
        return planSummarize(input, op, this);
      case 'mv-expand':
        return planMvExpand(input, op, this);
      case 'take':
        return planTake(input, op, this);
      case 'top':
        return planTop(input, op, this);
      case 'sort':
        return planSort(input, op, this);
      case 'distinct':
        return planDistinct(input, op, this);
      case 'count':
        return planCount(input);
      case 'join':
        return planJoin(input, op, this);
      case 'union':
        return planUnion([input, ...unionPlans(op.items, this)], op.pos);
    }
  }
}

// A tabular `let` may be used several times (both sides of a join): run it once.
function cachedPlan(plan: Plan): Plan {
  let rows: Materialized | undefined;
  return {
    columns: plan.columns,
    run(sink) {
      rows ??= materialize(plan);
      planOfRows(rows.columns, rows.rows).run(sink);
    },
  };
}
