/**
 * Aggregation functions of `summarize`. Each call site compiles to a spec: its output columns
 * and a factory of per-group state that takes rows one by one. Nulls are ignored, as Kusto's
 * aggregates do. `dcount` is exact here (Kusto's is an estimate); ties in `arg_max`/`arg_min`
 * keep the first row seen.
 */

import type { Assignment, Expr } from './ast.ts';
import {
  AnyRowState,
  AnyValueState,
  type AggState,
  type ArgOutput,
  ArgExtremeState,
  AverageState,
  CollectState,
  CountState,
  DistinctCountState,
  ExtremeState,
  SumState,
} from './aggregate-states.ts';
import { compileExpr, type ExprScope } from './compile-expr.ts';
import { type Compiled, isIntegerType, type Row, type RowFn } from './compiled.ts';
import { type Comparable, normalizerFor } from './compare.ts';
import { inferName } from './plan.ts';
import { KqlError, type KqlColumn } from './types.ts';
import { toNumber } from './values.ts';

export type { AggState } from './aggregate-states.ts';

/** Output columns of one aggregate call and a factory of its per-group state. */
export interface AggregateSpec {
  columns: KqlColumn[];
  create(): AggState;
}

const MAX_SET_SIZE = 1_048_576;

/** Compiles one `name = aggregate(...)` item; `byNames` are excluded from `arg_max(…, *)`. */
export function compileAggregate(
  item: Assignment,
  scope: ExprScope,
  byNames: Set<string>,
): AggregateSpec {
  const call = item.expr;
  if (call.k !== 'call') {
    throw new KqlError(
      'semantic',
      "'summarize' operator: an aggregate function such as count() is expected",
      item.expr.pos,
    );
  }
  const args = call.args;
  const argName = (i: number) => (args[i] === undefined ? '' : (inferName(args[i] as Expr) ?? ''));
  const named = (prefix: string, i = 0) => item.name ?? `${prefix}_${argName(i)}`;
  const compileArg = (i: number): Compiled => {
    const arg = args[i];
    if (arg === undefined)
      throw new KqlError('semantic', `'${call.name}' expects more arguments`, call.pos);
    return compileExpr(arg, scope);
  };
  switch (call.name) {
    case 'count':
      return counter(item.name ?? 'count_', () => true);
    case 'countif':
      return counter(item.name ?? 'countif_', compileArg(0).fn);
    case 'dcount':
      return distinctCount(named('dcount'), compileArg(0), () => true);
    case 'dcountif':
      return distinctCount(named('dcountif'), compileArg(0), compileArg(1).fn);
    case 'sum':
      return sum(named('sum'), compileArg(0));
    case 'avg':
      return average(named('avg'), compileArg(0));
    case 'min':
    case 'max':
      return extreme(named(call.name), compileArg(0), call.name === 'max');
    case 'any':
    case 'take_any':
      return args[0]?.k === 'star'
        ? anyRow(scope, byNames)
        : anyValue(named(call.name), compileArg(0));
    case 'make_set':
    case 'make_list':
      return collect(
        named(call.name),
        compileArg(0),
        () => true,
        call.name === 'make_set',
        maxSize(args[1], scope),
      );
    case 'make_set_if':
    case 'make_list_if':
      return collect(
        named(call.name),
        compileArg(0),
        compileArg(1).fn,
        call.name === 'make_set_if',
        maxSize(args[2], scope),
      );
    case 'arg_max':
    case 'arg_min':
      return argExtreme(item, call, scope, byNames);
  }
  throw new KqlError(
    'semantic',
    `'summarize' operator: '${call.name}' is not a supported aggregate function`,
    call.pos,
  );
}

function maxSize(arg: Expr | undefined, scope: ExprScope): number {
  if (arg === undefined) return MAX_SET_SIZE;
  const compiled = compileExpr(arg, scope);
  return Number(toNumber(compiled.value) ?? MAX_SET_SIZE);
}

function counter(name: string, predicate: RowFn): AggregateSpec {
  return { columns: [{ name, type: 'long' }], create: () => new CountState(name, predicate) };
}

function distinctCount(name: string, arg: Compiled, predicate: RowFn): AggregateSpec {
  const read = normalizedReader(arg);
  return {
    columns: [{ name, type: 'long' }],
    create: () => new DistinctCountState(name, read, predicate),
  };
}

function normalizedReader(arg: Compiled): (row: Row) => Comparable {
  const normalize = normalizerFor(arg.type);
  const fn = arg.fn;
  return (row) => normalize(fn(row));
}

function sum(name: string, arg: Compiled): AggregateSpec {
  const isInteger = isIntegerType(arg.type);
  const type = isInteger ? 'long' : arg.type === 'timespan' ? 'timespan' : 'real';
  return { columns: [{ name, type }], create: () => new SumState(name, arg.fn, isInteger) };
}

function average(name: string, arg: Compiled): AggregateSpec {
  return { columns: [{ name, type: 'real' }], create: () => new AverageState(name, arg.fn) };
}

function extreme(name: string, arg: Compiled, isMax: boolean): AggregateSpec {
  const normalize = normalizerFor(arg.type);
  return {
    columns: [{ name, type: arg.type }],
    create: () => new ExtremeState(name, arg.fn, normalize, isMax ? 1 : -1),
  };
}

function anyValue(name: string, arg: Compiled): AggregateSpec {
  return { columns: [{ name, type: arg.type }], create: () => new AnyValueState(name, arg.fn) };
}

function anyRow(scope: ExprScope, byNames: Set<string>): AggregateSpec {
  const columns = [...scope.columns]
    .filter(([n]) => !byNames.has(n))
    .map(([name, type]) => ({ name, type }));
  const names = columns.map((c) => c.name);
  return { columns, create: () => new AnyRowState(names) };
}

function collect(
  name: string,
  arg: Compiled,
  predicate: RowFn,
  isSet: boolean,
  limit: number,
): AggregateSpec {
  const normalize = isSet ? normalizerFor(arg.type) : undefined;
  return {
    columns: [{ name, type: 'dynamic' }],
    create: () => new CollectState(name, arg.fn, predicate, normalize, limit),
  };
}

function argExtreme(
  item: Assignment,
  call: Expr & { k: 'call' },
  scope: ExprScope,
  byNames: Set<string>,
): AggregateSpec {
  const [first, ...rest] = call.args;
  if (first === undefined || rest.length === 0) {
    throw new KqlError(
      'semantic',
      `'${call.name}' expects an expression and at least one column or *`,
      call.pos,
    );
  }
  const isMax = call.name === 'arg_max';
  const key = compileExpr(first, scope);
  const keyName = item.name ?? inferName(first) ?? (isMax ? 'max_' : 'min_');
  const taken = new Set([...byNames, keyName]);
  const outputs: ArgOutput[] = [];
  for (const arg of rest) {
    if (arg.k === 'star') {
      for (const [name, type] of scope.columns) {
        if (taken.has(name)) continue;
        outputs.push({ name, type, fn: (row) => row[name] });
        taken.add(name);
      }
      continue;
    }
    const compiled = compileExpr(arg, scope);
    let name = inferName(arg) ?? `Column${outputs.length + 1}`;
    while (taken.has(name)) name = `${name}1`;
    taken.add(name);
    outputs.push({ name, type: compiled.type, fn: compiled.fn });
  }
  const normalize = normalizerFor(key.type);
  const sign = isMax ? 1 : -1;
  return {
    columns: [
      { name: keyName, type: key.type },
      ...outputs.map(({ name, type }) => ({ name, type })),
    ],
    create: () => new ArgExtremeState(keyName, key.fn, normalize, sign, outputs),
  };
}
