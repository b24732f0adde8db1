/**
 * What the expression compiler produces: a typed closure over a row, and whether it is a
 * constant (then `value` holds it and the closure ignores the row). Constant folding is what
 * makes `ago(30d)` or a `dynamic([...])` list cost nothing per row.
 */

import type { KqlType } from './types.ts';

export type Row = Record<string, unknown>;
export type RowFn = (row: Row) => unknown;

export interface Compiled {
  type: KqlType;
  fn: RowFn;
  isConstant: boolean;
  value?: unknown;
}

const NO_ROW: Row = Object.freeze({}) as Row;

/** A constant expression of a type. */
export function constant(type: KqlType, value: unknown): Compiled {
  const v = value === undefined ? null : value;
  return { type, fn: () => v, isConstant: true, value: v };
}

/** A row expression; folded into a constant when every input is constant. */
export function derived(type: KqlType, fn: RowFn, inputs: readonly Compiled[]): Compiled {
  if (inputs.every((input) => input.isConstant)) return constant(type, fn(NO_ROW));
  return { type, fn, isConstant: false };
}

export const isNumericType = (t: KqlType) => t === 'long' || t === 'int' || t === 'real';
export const isIntegerType = (t: KqlType) => t === 'long' || t === 'int';
