/**
 * Recursive-descent parser for KQL scalar expressions, in Kusto's precedence order: `or`,
 * `and`, comparisons and string operators (not chained), `+ -`, `* / %`, unary minus, then
 * member access, indexing and calls. The tabular part lives in parse-query.ts.
 */

import type { Expr } from './ast.ts';
import { syntaxError, type Token } from './lexer.ts';
import type { KqlType } from './types.ts';

const COMPARISONS = new Set(['==', '!=', '<>', '<', '<=', '>', '>=', '=~', '!~']);

/** Binary string operators; the negated forms arrive from the lexer as one word (`!has`). */
export const STRING_OPERATORS = new Set(
  ['has', 'contains', 'startswith', 'endswith', 'has_cs', 'contains_cs', 'startswith_cs']
    .concat(['endswith_cs'])
    .flatMap((op) => [op, '!' + op]),
);

const LIST_OPERATORS = new Set(['in', 'in~', '!in', '!in~', 'has_any', 'has_all']);

// `long(null)`, `int(5)`: type names used as literal constructors map to conversion functions.
const TYPE_CONSTRUCTORS: Record<string, { type: KqlType; convert: string }> = {
  long: { type: 'long', convert: 'tolong' },
  int: { type: 'int', convert: 'toint' },
  real: { type: 'real', convert: 'todouble' },
  double: { type: 'real', convert: 'todouble' },
  bool: { type: 'bool', convert: 'tobool' },
  boolean: { type: 'bool', convert: 'tobool' },
  string: { type: 'string', convert: 'tostring' },
  datetime: { type: 'datetime', convert: 'todatetime' },
  guid: { type: 'guid', convert: 'toguid' },
  timespan: { type: 'timespan', convert: 'totimespan' },
  time: { type: 'timespan', convert: 'totimespan' },
};

/** Token cursor plus the scalar expression grammar. */
export abstract class ExprParser {
  protected index = 0;

  constructor(
    protected readonly query: string,
    protected readonly tokens: Token[],
  ) {}

  /** Parses `( … )` where the content may be a tabular pipeline or a scalar expression. */
  protected abstract parseParenthesized(): Expr;

  protected get current(): Token {
    return this.tokens[this.index] as Token;
  }

  protected isAtEnd(): boolean {
    return this.current.kind === 'eof';
  }

  protected peek(offset = 1): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)] as Token;
  }

  protected next(): Token {
    const token = this.current;
    if (token.kind !== 'eof') this.index++;
    return token;
  }

  protected isPunct(text: string, token = this.current): boolean {
    return token.kind === 'punct' && token.text === text;
  }

  protected isWord(text?: string, token = this.current): boolean {
    return token.kind === 'word' && (text === undefined || token.text === text);
  }

  protected accept(text: string): boolean {
    if (!this.isPunct(text) && !this.isWord(text)) return false;
    this.index++;
    return true;
  }

  protected expect(text: string): Token {
    if (!this.isPunct(text) && !this.isWord(text)) throw this.fail(`'${text}' expected`);
    return this.next();
  }

  protected expectWord(): Token {
    if (this.current.kind !== 'word') throw this.fail('A name is expected');
    return this.next();
  }

  protected fail(detail?: string, token = this.current) {
    return syntaxError(this.query, token.pos, detail);
  }

  /** Parses one scalar expression (the lowest precedence level). */
  parseExpr(): Expr {
    let left = this.parseAnd();
    while (this.isWord('or')) {
      const pos = this.next().pos;
      left = { k: 'binary', op: 'or', left, right: this.parseAnd(), pos };
    }
    return left;
  }

  private parseAnd(): Expr {
    let left = this.parseComparison();
    while (this.isWord('and')) {
      const pos = this.next().pos;
      left = { k: 'binary', op: 'and', left, right: this.parseComparison(), pos };
    }
    return left;
  }

  private parseComparison(): Expr {
    const left = this.parseAdditive();
    const token = this.current;
    const pos = token.pos;
    if (token.kind === 'punct' && COMPARISONS.has(token.text)) {
      this.next();
      const op = token.text === '<>' ? '!=' : token.text;
      return { k: 'binary', op, left, right: this.parseAdditive(), pos };
    }
    if (token.kind !== 'word') return left;
    if (STRING_OPERATORS.has(token.text)) {
      this.next();
      return { k: 'binary', op: token.text, left, right: this.parseAdditive(), pos };
    }
    if (LIST_OPERATORS.has(token.text)) {
      this.next();
      return { k: 'list', op: token.text, left, items: this.parseArgumentList(), pos };
    }
    if (token.text === 'between' || token.text === '!between') {
      this.next();
      this.expect('(');
      const low = this.parseAdditive();
      this.expect('..');
      const high = this.parseAdditive();
      this.expect(')');
      return { k: 'between', negated: token.text === '!between', left, low, high, pos };
    }
    return left;
  }

  private parseAdditive(): Expr {
    let left = this.parseMultiplicative();
    while (this.isPunct('+') || this.isPunct('-')) {
      const { text: op, pos } = this.next();
      left = { k: 'binary', op, left, right: this.parseMultiplicative(), pos };
    }
    return left;
  }

  private parseMultiplicative(): Expr {
    let left = this.parseUnary();
    while (this.isPunct('*') || this.isPunct('/') || this.isPunct('%')) {
      const { text: op, pos } = this.next();
      left = { k: 'binary', op, left, right: this.parseUnary(), pos };
    }
    return left;
  }

  private parseUnary(): Expr {
    if (this.isPunct('-') || this.isPunct('+')) {
      const { text, pos } = this.next();
      return { k: 'unary', op: text as '-' | '+', arg: this.parseUnary(), pos };
    }
    return this.parsePostfix();
  }

  private parsePostfix(): Expr {
    let expr = this.parsePrimary();
    for (;;) {
      if (this.isPunct('.') && this.peek().kind === 'word') {
        const pos = this.next().pos;
        expr = { k: 'member', target: expr, name: this.next().text, pos };
      } else if (this.isPunct('[')) {
        const pos = this.next().pos;
        const index = this.parseExpr();
        this.expect(']');
        expr = { k: 'index', target: expr, index, pos };
      } else {
        return expr;
      }
    }
  }

  protected parsePrimary(): Expr {
    const token = this.current;
    const pos = token.pos;
    if (token.kind === 'long' || token.kind === 'real') {
      this.next();
      return { k: 'lit', type: token.kind, value: token.value, pos };
    }
    if (token.kind === 'timespan') {
      this.next();
      return { k: 'lit', type: 'timespan', value: token.value, pos };
    }
    if (token.kind === 'string') {
      this.next();
      return { k: 'lit', type: 'string', value: token.value, pos };
    }
    if (this.isPunct('(')) return this.parseParenthesized();
    if (token.kind !== 'word') throw this.fail();
    return this.parseWordExpression(token);
  }

  private parseWordExpression(token: Token): Expr {
    const pos = token.pos;
    this.next();
    if (token.text === 'true' || token.text === 'false') {
      return { k: 'lit', type: 'bool', value: token.text === 'true', pos };
    }
    if (!this.isPunct('(')) return { k: 'name', name: token.text, pos };
    if (token.text === 'dynamic') return this.parseDynamicLiteral(pos);
    const constructor = TYPE_CONSTRUCTORS[token.text];
    if (constructor !== undefined) return this.parseTypedLiteral(constructor, pos);
    return { k: 'call', name: token.text, args: this.parseArgumentList(), pos };
  }

  /** `( a, b, * )` — the argument list of a call or the right side of `in`. */
  protected parseArgumentList(): Expr[] {
    this.expect('(');
    const args: Expr[] = [];
    if (this.accept(')')) return args;
    do {
      if (this.isPunct('*')) args.push({ k: 'star', pos: this.next().pos });
      else args.push(this.parseArgument());
    } while (this.accept(','));
    this.expect(')');
    return args;
  }

  /** One argument; the query parser widens this to allow tabular arguments. */
  protected parseArgument(): Expr {
    return this.parseExpr();
  }

  private parseTypedLiteral(target: { type: KqlType; convert: string }, pos: number): Expr {
    this.expect('(');
    if (this.isWord('null')) {
      this.next();
      this.expect(')');
      return { k: 'lit', type: target.type, value: null, pos };
    }
    const arg = this.parseExpr();
    this.expect(')');
    return { k: 'call', name: target.convert, args: [arg], pos };
  }

  private parseDynamicLiteral(pos: number): Expr {
    this.expect('(');
    const value = this.parseJsonValue();
    this.expect(')');
    return { k: 'lit', type: 'dynamic', value, pos };
  }

  private parseJsonValue(): unknown {
    const token = this.next();
    if (token.kind === 'string' || token.kind === 'long' || token.kind === 'real') {
      return token.value;
    }
    if (token.kind === 'punct' && token.text === '-') return negate(this.parseJsonValue());
    if (token.kind === 'word' && (token.text === 'true' || token.text === 'false')) {
      return token.text === 'true';
    }
    if (token.kind === 'word' && token.text === 'null') return null;
    if (token.kind === 'punct' && token.text === '[') return this.parseJsonArray();
    if (token.kind === 'punct' && token.text === '{') return this.parseJsonObject();
    throw this.fail('A dynamic literal value is expected', token);
  }

  private parseJsonArray(): unknown[] {
    const items: unknown[] = [];
    if (this.accept(']')) return items;
    do items.push(this.parseJsonValue());
    while (this.accept(','));
    this.expect(']');
    return items;
  }

  private parseJsonObject(): Record<string, unknown> {
    const bag: Record<string, unknown> = {};
    if (this.accept('}')) return bag;
    do {
      const key = this.next();
      if (key.kind !== 'string' && key.kind !== 'word') throw this.fail('A key is expected', key);
      this.expect(':');
      bag[String(key.kind === 'string' ? key.value : key.text)] = this.parseJsonValue();
    } while (this.accept(','));
    this.expect('}');
    return bag;
  }
}

function negate(value: unknown): unknown {
  if (typeof value === 'number') return -value;
  if (typeof value === 'bigint') return -value;
  return value;
}
