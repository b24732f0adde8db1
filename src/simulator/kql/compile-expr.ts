/**
 * Compiles scalar expressions into typed closures over a row. Names resolve case-sensitively
 * to the input columns first, then to scalar `let` bindings; an unknown name is a semantic
 * error naming it, worded like Kusto's.
 */

import type { Expr } from './ast.ts';
import { compileArithmetic, compileComparison, compileLogical, compileNegate } from './binary.ts';
import { type Compiled, constant, derived, type Row, type RowFn } from './compiled.ts';
import { compileList, compileBetween } from './list-ops.ts';
import { dynamicMember, type FunctionContext, FUNCTIONS, type Impl } from './functions.ts';
import { stringOperator } from './strings.ts';
import { KqlError, type KqlColumn, type KqlType, unresolved } from './types.ts';
import { toDatetime, toTimespan } from './values.ts';
import { STRING_OPERATORS } from './parse-expr.ts';

/** A materialised tabular result, as `in (T | …)` and `toscalar()` need it. */
export interface Materialized {
  columns: KqlColumn[];
  rows: Row[];
}

/** What an expression can see: the input columns, `let` bindings and the query clock. */
export interface ExprScope extends FunctionContext {
  columns: ReadonlyMap<string, KqlType>;
  /** The operator being compiled, named in error messages (`'where' operator: …`). */
  operator: string;
  scalar(name: string): Compiled | undefined;
  /** Runs a tabular expression or named table; undefined when the name is not tabular. */
  tabular(expr: Expr): Materialized | undefined;
}

/** Names of aggregation functions, which only `summarize` accepts. */
export const AGGREGATE_NAMES = new Set(
  'count countif dcount dcountif min max sum avg any take_any arg_max arg_min make_set make_list'
    .concat(' make_set_if make_list_if')
    .split(' '),
);

/** Reads a column, turning datetimes and timespans into their engine form. */
export function columnReader(name: string, type: KqlType): RowFn {
  if (type === 'datetime') return (row) => toDatetime(row[name]);
  if (type === 'timespan') return (row) => toTimespan(row[name]);
  return (row) => row[name];
}

/** Compiles one scalar expression in a scope. */
export function compileExpr(expr: Expr, scope: ExprScope): Compiled {
  switch (expr.k) {
    case 'lit':
      return constant(expr.type, expr.value);
    case 'name':
      return compileName(expr.name, expr.pos, scope);
    case 'member':
      return compileMember(compileExpr(expr.target, scope), constant('string', expr.name));
    case 'index':
      return compileMember(compileExpr(expr.target, scope), compileExpr(expr.index, scope));
    case 'unary': {
      const arg = compileExpr(expr.arg, scope);
      return expr.op === '-' ? compileNegate(arg, expr.pos) : arg;
    }
    case 'binary':
      return compileBinary(expr, scope);
    case 'list':
      return compileList(expr, scope);
    case 'between':
      return compileBetween(expr, scope);
    case 'call':
      return compileCall(expr, scope);
    case 'star':
      throw new KqlError(
        'semantic',
        `'${scope.operator}' operator: '*' is not allowed here`,
        expr.pos,
      );
    case 'tabular':
      throw new KqlError(
        'semantic',
        'A tabular expression is not allowed here; use toscalar()',
        expr.pos,
      );
  }
}

function compileName(name: string, pos: number, scope: ExprScope): Compiled {
  const type = scope.columns.get(name);
  if (type !== undefined) return { type, fn: columnReader(name, type), isConstant: false };
  const bound = scope.scalar(name);
  if (bound !== undefined) return bound;
  throw unresolved('scalar', name, pos, scope.operator);
}

function compileMember(target: Compiled, key: Compiled): Compiled {
  const tf = target.fn;
  const kf = key.fn;
  return derived('dynamic', (row) => dynamicMember(tf(row), kf(row)), [target, key]);
}

function compileBinary(expr: Expr & { k: 'binary' }, scope: ExprScope): Compiled {
  const l = compileExpr(expr.left, scope);
  const r = compileExpr(expr.right, scope);
  if (expr.op === 'and' || expr.op === 'or') return compileLogical(expr.op, l, r);
  if (STRING_OPERATORS.has(expr.op)) {
    const test = stringOperator(
      expr.op,
      l.fn as (row: unknown) => unknown,
      r.fn as (row: unknown) => unknown,
      r.isConstant ? r.value : undefined,
    );
    return derived('bool', test as RowFn, [l, r]);
  }
  if ('+-*/%'.includes(expr.op)) return compileArithmetic(expr.op, l, r, expr.pos);
  return compileComparison(expr.op, l, r, expr.pos);
}

function compileCall(expr: Expr & { k: 'call' }, scope: ExprScope): Compiled {
  if (expr.name === 'toscalar') return compileToScalar(expr, scope);
  const def = FUNCTIONS[expr.name];
  if (def === undefined) {
    if (AGGREGATE_NAMES.has(expr.name)) {
      const message = `'${scope.operator}' operator: the aggregate '${expr.name}()' is only allowed in summarize`;
      throw new KqlError('semantic', message, expr.pos);
    }
    throw new KqlError(
      'semantic',
      `'${scope.operator}' operator: Failed to resolve scalar expression named '${expr.name}'`,
      expr.pos,
    );
  }
  if (expr.args.length < def.minArgs || expr.args.length > def.maxArgs) {
    const message = `Function '${expr.name}' expects ${def.minArgs === def.maxArgs ? def.minArgs : `${def.minArgs} to ${def.maxArgs}`} arguments, got ${expr.args.length}`;
    throw new KqlError('semantic', message, expr.pos);
  }
  const args = expr.args.map((a) => compileExpr(a, scope));
  const types = args.map((a) => a.type);
  return derived(def.returns(types), callWith(def.make(types, scope), args), args);
}

// Fixed-arity closures avoid building an argument array for every row.
function callWith(impl: Impl, args: Compiled[]): RowFn {
  const [a, b, c] = args.map((x) => x.fn);
  switch (args.length) {
    case 0:
      return () => impl();
    case 1:
      return (row) => impl((a as RowFn)(row));
    case 2:
      return (row) => impl((a as RowFn)(row), (b as RowFn)(row));
    case 3:
      return (row) => impl((a as RowFn)(row), (b as RowFn)(row), (c as RowFn)(row));
    default: {
      const fns = args.map((x) => x.fn);
      return (row) => impl(...fns.map((f) => f(row)));
    }
  }
}

function compileToScalar(expr: Expr & { k: 'call' }, scope: ExprScope): Compiled {
  const [arg] = expr.args;
  const result = arg === undefined ? undefined : scope.tabular(arg);
  if (result === undefined) {
    throw new KqlError('semantic', 'toscalar() expects a tabular expression', expr.pos);
  }
  const column = result.columns[0];
  if (column === undefined) return constant('dynamic', null);
  const read = columnReader(column.name, column.type);
  const first = result.rows[0];
  return constant(column.type, first === undefined ? null : read(first));
}
