/**
 * Parses a whole query: `let` statements, then one tabular expression `Source | op | op …`.
 * Each operator of the documented subset (docs/kql-subset.md) has a small parse method; a
 * Kusto operator outside the subset is a semantic error naming it, anything else a syntax
 * error worded like Kusto's.
 */

import type {
  Assignment,
  Expr,
  JoinKey,
  MvExpandItem,
  Operator,
  Source,
  Statement,
} from './ast.ts';
import type { SortKey } from './ast.ts';
import { tokenize } from './lexer.ts';
import { ExprParser } from './parse-expr.ts';
import { KqlError, type KqlType } from './types.ts';

// Real Kusto operators this engine does not implement: named in the error so a user knows the
// query is valid KQL but outside the simulator's subset.
const UNSUPPORTED_OPERATORS = new Set(
  'as consume evaluate facet find fork getschema invoke lookup make-series mv-apply parse'
    .concat(' parse-where partition print project-reorder range render sample sample-distinct')
    .concat(' scan search serialize top-hitters top-nested')
    .split(' '),
);

const MV_EXPAND_OPTIONS = /^(kind|bagexpansion|with_itemindex)$/;
const JOIN_OPTIONS = /^(kind|hint\..+)$/;
const UNION_OPTIONS = /^(kind|withsource|isfuzzy)$/;

const TYPE_NAMES = new Set<string>(['string', 'datetime', 'long', 'int', 'real', 'bool']);
['dynamic', 'guid', 'timespan'].forEach((t) => TYPE_NAMES.add(t));

/** Parses a query into statements; the last one is the tabular query. */
export function parseQuery(query: string): Statement[] {
  return new QueryParser(query, tokenize(query)).parseStatements();
}

class QueryParser extends ExprParser {
  parseStatements(): Statement[] {
    const statements: Statement[] = [];
    while (!this.isAtEnd()) {
      statements.push(this.parseStatement());
      if (!this.accept(';') && !this.isAtEnd()) throw this.fail();
    }
    const last = statements.at(-1);
    if (last === undefined || last.k !== 'query') {
      throw new KqlError(
        'syntax',
        'Query could not be parsed: a tabular expression is expected',
        0,
      );
    }
    return statements;
  }

  private parseStatement(): Statement {
    const pos = this.current.pos;
    if (!this.isWord('let')) return { k: 'query', value: this.parsePipelineOrExpr(), pos };
    this.next();
    const name = this.expectWord().text;
    this.expect('=');
    return { k: 'let', name, value: this.parsePipelineOrExpr(), pos };
  }

  protected override parseParenthesized(): Expr {
    this.expect('(');
    const value = this.parsePipelineOrExpr();
    this.expect(')');
    return value;
  }

  protected override parseArgument(): Expr {
    return this.parsePipelineOrExpr();
  }

  /** A scalar expression, or a tabular one when a pipe follows or it starts with `union`. */
  private parsePipelineOrExpr(): Expr {
    const pos = this.current.pos;
    let source: Source;
    if (this.isWord('union') && this.peek().kind === 'word') {
      this.next();
      source = { k: 'union', items: this.parseUnionItems(), pos };
    } else {
      const expr = this.parseExpr();
      if (!this.isPunct('|')) return expr;
      source = this.toSource(expr);
    }
    const operators: Operator[] = [];
    while (this.accept('|')) operators.push(this.parseOperator());
    return { k: 'tabular', pipeline: { source, operators, pos }, pos };
  }

  private toSource(expr: Expr): Source {
    if (expr.k === 'name') return { k: 'name', name: expr.name, pos: expr.pos };
    if (expr.k === 'tabular') return { k: 'pipeline', pipeline: expr.pipeline };
    if (expr.k === 'call' && expr.name === 'materialize' && expr.args.length === 1) {
      return this.toSource(expr.args[0] as Expr);
    }
    throw this.fail('A tabular expression is expected');
  }

  private parseOperator(): Operator {
    const token = this.current;
    const pos = token.pos;
    if (token.kind !== 'word') throw this.fail('Query operator expected.');
    this.next();
    switch (token.text) {
      case 'where':
      case 'filter':
        return { op: 'where', predicate: this.parseExpr(), pos };
      case 'project':
        return { op: 'project', items: this.parseAssignments(), pos };
      case 'extend':
        return { op: 'extend', items: this.parseAssignments(), pos };
      case 'project-away':
      case 'project-keep':
        return { op: token.text, patterns: this.parsePatterns(), pos };
      case 'project-rename':
        return { op: 'project-rename', renames: this.parseRenames(), pos };
      case 'summarize':
        return this.parseSummarize(pos);
      case 'mv-expand':
        return this.parseMvExpand(pos);
      case 'take':
      case 'limit':
        return { op: 'take', count: this.parseExpr(), pos };
      case 'top':
        return this.parseTop(pos);
      case 'order':
      case 'sort':
        this.expect('by');
        return { op: 'sort', keys: this.parseSortKeys(), pos };
      case 'distinct':
        return { op: 'distinct', columns: this.parseDistinctColumns(), pos };
      case 'count':
        return { op: 'count', pos };
      case 'join':
        return this.parseJoin(pos);
      case 'union':
        return { op: 'union', items: this.parseUnionItems(), pos };
    }
    if (UNSUPPORTED_OPERATORS.has(token.text)) {
      const message = `The '${token.text}' operator is not supported by the simulator's KQL subset (see docs/kql-subset.md)`;
      throw new KqlError('semantic', message, pos);
    }
    throw this.fail('Query operator expected.', token);
  }

  private parseAssignments(): Assignment[] {
    const items: Assignment[] = [];
    do items.push(this.parseAssignment());
    while (this.accept(','));
    return items;
  }

  private parseAssignment(): Assignment {
    const pos = this.current.pos;
    if (this.current.kind === 'word' && this.isPunct('=', this.peek())) {
      const name = this.next().text;
      this.next();
      return { name, expr: this.parseExpr(), pos };
    }
    return { expr: this.parseExpr(), pos };
  }

  /** Column names with `*` wildcards, as project-away and project-keep take them. */
  private parsePatterns(): string[] {
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

  private parseRenames(): { name: string; from: string; pos: number }[] {
    const renames: { name: string; from: string; pos: number }[] = [];
    do {
      const target = this.expectWord();
      this.expect('=');
      renames.push({ name: target.text, from: this.expectWord().text, pos: target.pos });
    } while (this.accept(','));
    return renames;
  }

  private parseSummarize(pos: number): Operator {
    const aggregates = this.isWord('by') ? [] : this.parseAssignments();
    const by = this.accept('by') ? this.parseAssignments() : [];
    return { op: 'summarize', aggregates, by, pos };
  }

  private parseMvExpand(pos: number): Operator {
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

  private parseTypeofClause(): KqlType {
    this.expect('typeof');
    this.expect('(');
    const name = this.expectWord();
    this.expect(')');
    const type = name.text === 'double' ? 'real' : name.text === 'boolean' ? 'bool' : name.text;
    if (!TYPE_NAMES.has(type)) throw this.fail('A type name is expected', name);
    return type as KqlType;
  }

  private expectNumber(): number | bigint {
    if (this.current.kind !== 'long') throw this.fail('A number is expected');
    return this.next().value as number | bigint;
  }

  private parseTop(pos: number): Operator {
    const count = this.parseExpr();
    this.expect('by');
    const [key] = this.parseSortKeys(true);
    return { op: 'top', count, key: key as SortKey, pos };
  }

  private parseSortKeys(single = false): SortKey[] {
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

  private parseDistinctColumns(): Expr[] {
    if (this.isPunct('*')) return [{ k: 'star', pos: this.next().pos }];
    const columns: Expr[] = [];
    do columns.push(this.parseExpr());
    while (this.accept(','));
    return columns;
  }

  private parseJoin(pos: number): Operator {
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
  private parseOption(allowed: RegExp): { name: string; value: string; pos: number } | undefined {
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

  private parseJoinRight(): Source {
    if (this.isPunct('(')) return this.toSource(this.parseParenthesized());
    const token = this.expectWord();
    return { k: 'name', name: token.text, pos: token.pos };
  }

  private parseJoinKey(): JoinKey {
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

  private parseUnionItems(): Source[] {
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
