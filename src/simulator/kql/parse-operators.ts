/**
 * Parse methods for the clauses of individual tabular operators (lists of assignments, sort
 * keys, join and union options, mv-expand items). The query parser (parse-query.ts) extends
 * this class and supplies the tabular-expression entry points these clauses call back into.
 */

import type { Assignment, Expr, JoinKey, MvExpandItem, Operator, SortKey, Source } from './ast.ts';
import { ExprParser } from './parse-expr.ts';
import { KqlError, type KqlType } from './types.ts';

const MV_EXPAND_OPTIONS = /^(kind|bagexpansion|with_itemindex)$/;
const JOIN_OPTIONS = /^(kind|hint\..+)$/;
const UNION_OPTIONS = /^(kind|withsource|isfuzzy)$/;

const TYPE_NAMES = new Set<string>(['string', 'datetime', 'long', 'int', 'real', 'bool']);
['dynamic', 'guid', 'timespan'].forEach((t) => TYPE_NAMES.add(t));

/** Operator-clause grammar shared by the query parser. */
export abstract class OperatorParser extends ExprParser {
  /** Turns a parsed expression into a tabular source, or fails. */
  protected abstract toSource(expr: Expr): Source;

  protected parseAssignments(): Assignment[] {
    const items: Assignment[] = [];
    do items.push(this.parseAssignment());
    while (this.accept(','));
    return items;
  }

  protected parseAssignment(): Assignment {
    const pos = this.current.pos;
    if (this.current.kind === 'word' && this.isPunct('=', this.peek())) {
      const name = this.next().text;
      this.next();
      return { name, expr: this.parseExpr(), pos };
    }
    return { expr: this.parseExpr(), pos };
  }

  /** Column names with `*` wildcards, as project-away and project-keep take them. */
  protected parsePatterns(): string[] {
    const patterns: string[] = [];
    do {
      let pattern = '';
      let end = -1;
      while (
        (this.current.kind === 'word' || this.isPunct('*')) &&
        (end < 0 || this.current.pos === end)
      ) {
        pattern += this.current.text;
        end = this.current.pos + this.current.text.length;
        this.next();
      }
      if (pattern === '') throw this.fail('A column name is expected');
      patterns.push(pattern);
    } while (this.accept(','));
    return patterns;
  }

  protected parseRenames(): { name: string; from: string; pos: number }[] {
    const renames: { name: string; from: string; pos: number }[] = [];
    do {
      const target = this.expectWord();
      this.expect('=');
      renames.push({ name: target.text, from: this.expectWord().text, pos: target.pos });
    } while (this.accept(','));
    return renames;
  }

  protected parseSummarize(pos: number): Operator {
    const aggregates = this.isWord('by') ? [] : this.parseAssignments();
    const by = this.accept('by') ? this.parseAssignments() : [];
    return { op: 'summarize', aggregates, by, pos };
  }

  protected parseMvExpand(pos: number): Operator {
    let indexColumn: string | undefined;
    for (
      let option = this.parseOption(MV_EXPAND_OPTIONS);
      option;
      option = this.parseOption(MV_EXPAND_OPTIONS)
    ) {
      if (option.name === 'with_itemindex') indexColumn = option.value;
    }
    const items: MvExpandItem[] = [];
    do {
      const item: MvExpandItem = this.parseAssignment();
      if (this.accept('to')) item.toType = this.parseTypeofClause();
      items.push(item);
    } while (this.accept(','));
    const limit = this.accept('limit') ? Number(this.expectNumber()) : undefined;
    return { op: 'mv-expand', items, indexColumn, limit, pos };
  }

  protected parseTypeofClause(): KqlType {
    this.expect('typeof');
    this.expect('(');
    const name = this.expectWord();
    this.expect(')');
    const type = name.text === 'double' ? 'real' : name.text === 'boolean' ? 'bool' : name.text;
    if (!TYPE_NAMES.has(type)) throw this.fail('A type name is expected', name);
    return type as KqlType;
  }

  protected expectNumber(): number | bigint {
    if (this.current.kind !== 'long') throw this.fail('A number is expected');
    return this.next().value as number | bigint;
  }

  protected parseTop(pos: number): Operator {
    const count = this.parseExpr();
    this.expect('by');
    const [key] = this.parseSortKeys(true);
    return { op: 'top', count, key: key as SortKey, pos };
  }

  protected parseSortKeys(single = false): SortKey[] {
    const keys: SortKey[] = [];
    do {
      const key: SortKey = { expr: this.parseExpr(), isDescending: true };
      if (this.accept('asc')) key.isDescending = false;
      else this.accept('desc');
      if (this.accept('nulls')) {
        if (this.accept('first')) key.nullsFirst = true;
        else if (this.accept('last')) key.nullsFirst = false;
        else throw this.fail("'first' or 'last' expected");
      }
      keys.push(key);
    } while (!single && this.accept(','));
    return keys;
  }

  protected parseDistinctColumns(): Expr[] {
    if (this.isPunct('*')) return [{ k: 'star', pos: this.next().pos }];
    const columns: Expr[] = [];
    do columns.push(this.parseExpr());
    while (this.accept(','));
    return columns;
  }

  protected parseJoin(pos: number): Operator {
    let kind = 'innerunique';
    for (
      let option = this.parseOption(JOIN_OPTIONS);
      option;
      option = this.parseOption(JOIN_OPTIONS)
    ) {
      if (option.name === 'kind') kind = option.value;
    }
    const right = this.parseJoinRight();
    this.expect('on');
    const keys: JoinKey[] = [];
    do keys.push(this.parseJoinKey());
    while (this.accept(','));
    return { op: 'join', kind, right, keys, pos };
  }

  /** `name=value` operator options (`kind=inner`, `hint.strategy=shuffle`) among `allowed`. */
  protected parseOption(allowed: RegExp): { name: string; value: string; pos: number } | undefined {
    const start = this.index;
    const pos = this.current.pos;
    if (this.current.kind !== 'word') return undefined;
    let name = this.next().text;
    while (this.isPunct('.') && this.peek().kind === 'word') {
      this.next();
      name += '.' + this.next().text;
    }
    if (!allowed.test(name) || !this.isPunct('=')) {
      this.index = start;
      return undefined;
    }
    this.next();
    return { name, value: this.next().text, pos };
  }

  protected parseJoinRight(): Source {
    if (this.isPunct('(')) return this.toSource(this.parseParenthesized());
    const token = this.expectWord();
    return { k: 'name', name: token.text, pos: token.pos };
  }

  protected parseJoinKey(): JoinKey {
    const pos = this.current.pos;
    const first = this.parseExpr();
    if (first.k === 'name') return { left: first.name, right: first.name, pos };
    if (first.k === 'binary' && first.op === '==') {
      const a = sideOf(first.left);
      const b = sideOf(first.right);
      if (a !== undefined && b !== undefined && a.side !== b.side) {
        const left = a.side === '$left' ? a.name : b.name;
        const right = a.side === '$left' ? b.name : a.name;
        return { left, right, pos };
      }
    }
    throw this.fail('Expected a column name or $left.Column == $right.Column');
  }

  protected parseUnionItems(): Source[] {
    for (
      let option = this.parseOption(UNION_OPTIONS);
      option;
      option = this.parseOption(UNION_OPTIONS)
    ) {
      if (option.name === 'withsource') {
        const message = "union 'withsource' is not supported by the simulator's KQL subset";
        throw new KqlError('semantic', message, option.pos);
      }
    }
    const items: Source[] = [];
    do items.push(this.parseJoinRight());
    while (this.accept(','));
    return items;
  }
}

function sideOf(expr: Expr): { side: string; name: string } | undefined {
  if (expr.k !== 'member' || expr.target.k !== 'name') return undefined;
  const side = expr.target.name;
  return side === '$left' || side === '$right' ? { side, name: expr.name } : undefined;
}
