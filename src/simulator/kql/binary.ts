/**
 * Comparison, arithmetic and logic between two compiled expressions. Types are checked once
 * at compile time, as Kusto does (comparing a string with a long is a semantic error), and a
 * constant side is normalised once instead of per row.
 */

import { type Compiled, derived, isIntegerType, isNumericType, type Row } from './compiled.ts';
import { type Comparable, normalizerFor, type Normalizer } from './compare.ts';
import { KqlError, type KqlType } from './types.ts';
import {
  datetimeToTicks,
  str,
  ticksToDatetime,
  toDatetime,
  toNumber,
  toTimespan,
} from './values.ts';

type Test = (a: Comparable, b: Comparable) => boolean | null;

const passThrough: Normalizer = (v) => (v === undefined ? null : (v as Comparable));

const TESTS: Record<string, Test> = {
  '==': (a, b) => (a === null || b === null ? (a === b ? null : false) : a == b),
  '!=': (a, b) => (a === null || b === null ? (a === b ? null : true) : a != b),
  '<': (a, b) => (a === null || b === null ? null : a < b),
  '<=': (a, b) => (a === null || b === null ? null : a <= b),
  '>': (a, b) => (a === null || b === null ? null : a > b),
  '>=': (a, b) => (a === null || b === null ? null : a >= b),
};

/** The type both sides are compared as, or a semantic error for incompatible types. */
export function comparisonType(l: KqlType, r: KqlType, pos: number): KqlType {
  if (l === 'dynamic') return r;
  if (r === 'dynamic' || l === r) return l;
  if (isNumericType(l) && isNumericType(r)) return 'real';
  const pair = new Set([l, r]);
  if (pair.has('datetime') && pair.has('string')) return 'datetime';
  if (pair.has('guid') && pair.has('string')) return 'guid';
  throw new KqlError(
    'semantic',
    `Cannot compare values of types ${l} and ${r}. Try adding explicit casts`,
    pos,
  );
}

/** Compiles `==`, `!=`, `<`, `<=`, `>`, `>=`, `=~`, `!~`. */
export function compileComparison(op: string, l: Compiled, r: Compiled, pos: number): Compiled {
  const isCaseless = op === '=~' || op === '!~';
  const type = isCaseless ? 'string' : comparisonType(l.type, r.type, pos);
  // Datetime expressions already yield canonical strings (see values.ts), so two datetime
  // operands need no per-row normalisation.
  const isBothDatetime = l.type === 'datetime' && r.type === 'datetime';
  const base = isBothDatetime ? passThrough : normalizerFor(type);
  const normalize: Normalizer = isCaseless ? (v) => str(v).toLowerCase() : base;
  const test = TESTS[isCaseless ? (op === '=~' ? '==' : '!=') : op] as Test;
  const lf = l.fn;
  const rf = r.fn;
  if (r.isConstant && !l.isConstant) {
    const rv = normalize(r.value);
    return derived('bool', (row) => test(normalize(lf(row)), rv), [l]);
  }
  return derived('bool', (row) => test(normalize(lf(row)), normalize(rf(row))), [l, r]);
}

/** Kusto's three-valued `and` / `or`; `where` keeps only rows where the result is true. */
export function compileLogical(op: string, l: Compiled, r: Compiled): Compiled {
  const lf = l.fn;
  const rf = r.fn;
  if (op === 'and') {
    return derived(
      'bool',
      (row) => {
        const a = lf(row);
        if (a === false) return false;
        const b = rf(row);
        return b === false ? false : a === true && b === true ? true : null;
      },
      [l, r],
    );
  }
  return derived(
    'bool',
    (row) => {
      const a = lf(row);
      if (a === true) return true;
      const b = rf(row);
      return b === true ? true : a === false && b === false ? false : null;
    },
    [l, r],
  );
}

/** Compiles `+ - * / %` for numbers, datetimes and timespans. */
export function compileArithmetic(op: string, l: Compiled, r: Compiled, pos: number): Compiled {
  const [type, apply] = arithmeticFor(op, l.type, r.type, pos);
  const lf = l.fn;
  const rf = r.fn;
  return derived(
    type,
    (row: Row) => {
      const a = lf(row);
      if (a === null || a === undefined) return null;
      const b = rf(row);
      return b === null || b === undefined ? null : apply(a, b);
    },
    [l, r],
  );
}

type Apply = (a: unknown, b: unknown) => unknown;

function arithmeticFor(op: string, l: KqlType, r: KqlType, pos: number): [KqlType, Apply] {
  if (isIntegerType(l) && isIntegerType(r)) {
    return [l === 'int' && r === 'int' ? 'int' : 'long', (a, b) => integerOp(op, a, b)];
  }
  if ((isNumericType(l) || l === 'dynamic') && (isNumericType(r) || r === 'dynamic')) {
    return ['real', (a, b) => realOp(op, toNumber(a), toNumber(b))];
  }
  const temporal = temporalFor(op, l, r);
  if (temporal !== undefined) return temporal;
  throw new KqlError(
    'semantic',
    `Operator '${op}' cannot be applied to types ${l} and ${r}. Try adding explicit casts`,
    pos,
  );
}

function temporalFor(op: string, l: KqlType, r: KqlType): [KqlType, Apply] | undefined {
  const ticks = (v: unknown) => datetimeToTicks(toDatetime(v) as string);
  const span = (v: unknown) => BigInt(Math.round(toTimespan(v) ?? 0));
  if (l === 'datetime' && r === 'datetime' && op === '-') {
    return ['timespan', (a, b) => Number(ticks(a) - ticks(b))];
  }
  if (l === 'datetime' && r === 'timespan' && (op === '+' || op === '-')) {
    return [
      'datetime',
      (a, b) => ticksToDatetime(op === '+' ? ticks(a) + span(b) : ticks(a) - span(b)),
    ];
  }
  if (l === 'timespan' && r === 'datetime' && op === '+') {
    return ['datetime', (a, b) => ticksToDatetime(ticks(b) + span(a))];
  }
  if (l === 'timespan' && r === 'timespan') {
    if (op === '/') return ['real', (a, b) => realOp('/', toTimespan(a), toTimespan(b))];
    if (op === '+' || op === '-')
      return ['timespan', (a, b) => realOp(op, toTimespan(a), toTimespan(b))];
  }
  if (l === 'timespan' && isNumericType(r) && (op === '*' || op === '/')) {
    return ['timespan', (a, b) => roundTicks(realOp(op, toTimespan(a), toNumber(b)))];
  }
  if (isNumericType(l) && r === 'timespan' && op === '*') {
    return ['timespan', (a, b) => roundTicks(realOp('*', toNumber(a), toTimespan(b)))];
  }
  return undefined;
}

const roundTicks = (v: number | null) => (v === null ? null : Math.round(v));

function realOp(op: string, a: number | null, b: number | null): number | null {
  if (a === null || b === null) return null;
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    default:
      return a % b;
  }
}

/** Integer arithmetic on number or bigint; falls back to bigint when a result is not exact. */
export function integerOp(op: string, a: unknown, b: unknown): number | bigint | null {
  if (typeof a === 'number' && typeof b === 'number') {
    if ((op === '/' || op === '%') && b === 0) return null;
    const result = op === '/' ? Math.trunc(a / b) : realOp(op, a, b);
    const isExact = Number.isSafeInteger(result) || !Number.isInteger(a) || !Number.isInteger(b);
    if (result === null || isExact) return result;
  }
  const x = BigInt(a as number | bigint);
  const y = BigInt(b as number | bigint);
  if ((op === '/' || op === '%') && y === 0n) return null;
  const big =
    op === '+' ? x + y : op === '-' ? x - y : op === '*' ? x * y : op === '/' ? x / y : x % y;
  return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(big)
    : big;
}

/** Unary minus on a number or timespan. */
export function compileNegate(arg: Compiled, pos: number): Compiled {
  if (!isNumericType(arg.type) && arg.type !== 'timespan' && arg.type !== 'dynamic') {
    throw new KqlError('semantic', `Unary '-' cannot be applied to type ${arg.type}`, pos);
  }
  const f = arg.fn;
  return derived(
    arg.type === 'dynamic' ? 'real' : arg.type,
    (row) => {
      const v = f(row);
      if (v === null || v === undefined) return null;
      return typeof v === 'bigint' ? -v : -(toNumber(v) as number);
    },
    [arg],
  );
}
