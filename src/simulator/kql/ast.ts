/**
 * The syntax tree the parser builds and the compiler turns into closures. `pos` is the offset
 * of the node's first token in the query, used in error messages.
 */

import type { KqlType } from './types.ts';

export type Expr =
  | { k: 'lit'; type: KqlType; value: unknown; pos: number }
  | { k: 'name'; name: string; pos: number }
  | { k: 'star'; pos: number }
  | { k: 'call'; name: string; args: Expr[]; pos: number }
  | { k: 'binary'; op: string; left: Expr; right: Expr; pos: number }
  | { k: 'unary'; op: '-' | '+'; arg: Expr; pos: number }
  | { k: 'list'; op: string; left: Expr; items: Expr[]; pos: number }
  | { k: 'between'; negated: boolean; left: Expr; low: Expr; high: Expr; pos: number }
  | { k: 'member'; target: Expr; name: string; pos: number }
  | { k: 'index'; target: Expr; index: Expr; pos: number }
  | { k: 'tabular'; pipeline: Pipeline; pos: number };

/** `Name = expr` or a bare `expr` in project, extend, summarize and mv-expand lists. */
export interface Assignment {
  name?: string;
  expr: Expr;
  pos: number;
}

export interface SortKey {
  expr: Expr;
  isDescending: boolean;
  nullsFirst?: boolean;
}

export type Source =
  | { k: 'name'; name: string; pos: number }
  | { k: 'pipeline'; pipeline: Pipeline }
  | { k: 'union'; items: Source[]; pos: number };

export type JoinKey = { left: string; right: string; pos: number };

export type Operator =
  | { op: 'where'; predicate: Expr; pos: number }
  | { op: 'project'; items: Assignment[]; pos: number }
  | { op: 'extend'; items: Assignment[]; pos: number }
  | { op: 'project-away' | 'project-keep'; patterns: string[]; pos: number }
  | { op: 'project-rename'; renames: { name: string; from: string; pos: number }[]; pos: number }
  | { op: 'summarize'; aggregates: Assignment[]; by: Assignment[]; pos: number }
  | { op: 'mv-expand'; items: MvExpandItem[]; indexColumn?: string; limit?: number; pos: number }
  | { op: 'take'; count: Expr; pos: number }
  | { op: 'top'; count: Expr; key: SortKey; pos: number }
  | { op: 'sort'; keys: SortKey[]; pos: number }
  | { op: 'distinct'; columns: Expr[]; pos: number }
  | { op: 'count'; pos: number }
  | { op: 'join'; kind: string; right: Source; keys: JoinKey[]; pos: number }
  | { op: 'union'; items: Source[]; pos: number };

export interface MvExpandItem extends Assignment {
  toType?: KqlType;
}

export interface Pipeline {
  source: Source;
  operators: Operator[];
  pos: number;
}

export type Statement =
  { k: 'let'; name: string; value: Expr; pos: number } | { k: 'query'; value: Expr; pos: number };
