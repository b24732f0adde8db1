/**
 * Parses a whole query: `let` statements, then one tabular expression `Source | op | op …`.
 * Each operator of the documented subset (docs/kql-subset.md) has a small parse method; a
 * Kusto operator outside the subset is a semantic error naming it, anything else a syntax
 * error worded like Kusto's.
 */

import type { Expr, Operator, Source, Statement } from './ast.ts';
import { tokenize } from './lexer.ts';
import { OperatorParser } from './parse-operators.ts';
import { KqlError } from './types.ts';

// Real Kusto operators this engine does not implement: named in the error so a user knows the
// query is valid KQL but outside the simulator's subset.
const UNSUPPORTED_OPERATORS = new Set(
  'as consume evaluate facet find fork getschema invoke lookup make-series mv-apply parse'
    .concat(' parse-where partition print project-reorder range render sample sample-distinct')
    .concat(' scan search serialize top-hitters top-nested')
    .split(' '),
);

/** Parses a query into statements; the last one is the tabular query. */
export function parseQuery(query: string): Statement[] {
  return new QueryParser(query, tokenize(query)).parseStatements();
}

class QueryParser extends OperatorParser {
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

  protected override toSource(expr: Expr): Source {
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
}
