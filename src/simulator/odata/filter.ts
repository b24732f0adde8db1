/**
 * The OData `$filter` subset the Defender API accepts (mde-api.md §2.1, §2.2, §6 Q9):
 * `eq ne gt ge lt le`, `and or not`, parentheses, `startswith/endswith/contains`, lambdas such
 * as `machineTags/any(t: t eq 'x')`, unquoted datetimes (`2024-05-01T00:00:00Z`,
 * `2018-08-01Z`), property names and string values compared without regard to case.
 * Properties outside the endpoint's filterable list are rejected, as the service does.
 */
import { parseMdeTime } from '../../mde/time.ts';

export type FieldType = 'string' | 'datetime' | 'number' | 'bool' | 'collection';

/** Filterable properties of one endpoint: canonical name → type. */
export type FilterFields = Record<string, FieldType>;

/** Thrown for any invalid query option; the route answers 400 `ODataError` with the message. */
export class ODataQueryError extends Error {}

type Literal = string | number | boolean | null;
type Operand =
  | { k: 'prop'; name: string; type: FieldType }
  | { k: 'lit'; value: Literal; isDate: boolean; ticks?: bigint | null }
  | { k: 'var' };
type Node =
  | { k: 'and' | 'or'; l: Node; r: Node }
  | { k: 'not'; e: Node }
  | { k: 'cmp'; op: string; l: Operand; r: Operand }
  | { k: 'fn'; name: string; args: Operand[] }
  | { k: 'lambda'; quantifier: 'any' | 'all'; prop: string; body: Node };

export type Predicate = (record: Record<string, unknown>) => boolean;

const COMPARISONS = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const FUNCTIONS = new Set(['startswith', 'endswith', 'contains']);
const TOKEN =
  /\s*(?:(\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?(?:Z|[+-]\d{2}:\d{2})?)(?![\w.])|('(?:[^']|'')*')|(-?\d+(?:\.\d+)?)(?![\w.])|([A-Za-z_][\w.]*)|([(),/:]))/y;

interface Token {
  kind: 'date' | 'string' | 'number' | 'word' | 'punct';
  text: string;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (!m) throw new ODataQueryError(`Syntax error at position ${at} in '${text}'.`);
    const [, date, str, num, word, punct] = m;
    if (date !== undefined) tokens.push({ kind: 'date', text: date });
    else if (str !== undefined)
      tokens.push({ kind: 'string', text: str.slice(1, -1).replace(/''/g, "'") });
    else if (num !== undefined) tokens.push({ kind: 'number', text: num });
    else if (word !== undefined) tokens.push({ kind: 'word', text: word });
    else tokens.push({ kind: 'punct', text: punct ?? '' });
  }
  return tokens;
}

/** Parses `$filter` against the endpoint's fields; throws ODataQueryError. */
export function parseFilter(text: string, fields: FilterFields): Predicate {
  const parser = new Parser(tokenize(text), fields, text);
  const node = parser.parseExpression();
  parser.expectEnd();
  return (record) => evaluate(node, record, undefined);
}

class Parser {
  private pos = 0;
  private lambdaVar: string | undefined;
  private readonly byLowerName: Map<string, string>;

  constructor(
    private readonly tokens: Token[],
    private readonly fields: FilterFields,
    private readonly text: string,
  ) {
    this.byLowerName = new Map(Object.keys(fields).map((name) => [name.toLowerCase(), name]));
  }

  parseExpression(): Node {
    let left = this.parseAnd();
    while (this.isWord('or')) left = { k: 'or', l: left, r: (this.pos++, this.parseAnd()) };
    return left;
  }

  expectEnd(): void {
    if (this.pos < this.tokens.length) this.fail(`unexpected '${this.tokens[this.pos]?.text}'`);
  }

  private parseAnd(): Node {
    let left = this.parseUnary();
    while (this.isWord('and')) left = { k: 'and', l: left, r: (this.pos++, this.parseUnary()) };
    return left;
  }

  private parseUnary(): Node {
    if (this.isWord('not')) {
      this.pos += 1;
      return { k: 'not', e: this.parseUnary() };
    }
    if (this.isPunct('(')) {
      this.pos += 1;
      const inner = this.parseExpression();
      this.expectPunct(')');
      return inner;
    }
    const token = this.peek();
    if (
      token?.kind === 'word' &&
      FUNCTIONS.has(token.text.toLowerCase()) &&
      this.tokens[this.pos + 1]?.text === '('
    )
      return this.parseFunction();
    if (token?.kind === 'word' && this.tokens[this.pos + 1]?.text === '/')
      return this.parseLambda();
    const left = this.parseOperand();
    const op = this.next();
    if (op?.kind !== 'word' || !COMPARISONS.has(op.text.toLowerCase()))
      this.fail(`expected a comparison operator after '${this.describe(left)}'`);
    return { k: 'cmp', op: (op as Token).text.toLowerCase(), l: left, r: this.parseOperand() };
  }

  private parseFunction(): Node {
    const name = (this.next() as Token).text.toLowerCase();
    this.expectPunct('(');
    const args = [this.parseOperand()];
    while (this.isPunct(',')) {
      this.pos += 1;
      args.push(this.parseOperand());
    }
    this.expectPunct(')');
    return { k: 'fn', name, args };
  }

  private parseLambda(): Node {
    const prop = this.property((this.next() as Token).text);
    this.expectPunct('/');
    const quantifier = this.next()?.text.toLowerCase();
    if (quantifier !== 'any' && quantifier !== 'all')
      this.fail(`expected any or all after '${prop.name}/'`);
    if (prop.type !== 'collection') this.fail(`'${prop.name}' is not a collection`);
    this.expectPunct('(');
    const variable = this.next();
    if (variable?.kind !== 'word') this.fail('expected a lambda variable');
    this.expectPunct(':');
    const outer = this.lambdaVar;
    this.lambdaVar = (variable as Token).text;
    const body = this.parseExpression();
    this.lambdaVar = outer;
    this.expectPunct(')');
    return { k: 'lambda', quantifier: quantifier as 'any' | 'all', prop: prop.name, body };
  }

  private parseOperand(): Operand {
    const token = this.next();
    if (!token) this.fail('unexpected end of the expression');
    const t = token as Token;
    if (t.kind === 'string') return { k: 'lit', value: t.text, isDate: false };
    if (t.kind === 'number') return { k: 'lit', value: Number(t.text), isDate: false };
    if (t.kind === 'date') return { k: 'lit', value: t.text, isDate: true };
    if (t.kind !== 'word') this.fail(`unexpected '${t.text}'`);
    const lower = t.text.toLowerCase();
    if (lower === 'true' || lower === 'false')
      return { k: 'lit', value: lower === 'true', isDate: false };
    if (lower === 'null') return { k: 'lit', value: null, isDate: false };
    if (this.lambdaVar !== undefined && t.text === this.lambdaVar) return { k: 'var' };
    return this.property(t.text);
  }

  private property(name: string): Operand & { k: 'prop' } {
    const canonical = this.byLowerName.get(name.toLowerCase());
    if (!canonical)
      throw new ODataQueryError(
        `The query specified in the URI is not valid. The property '${name}' cannot be used in the $filter query option.`,
      );
    return { k: 'prop', name: canonical, type: this.fields[canonical] as FieldType };
  }

  private describe(operand: Operand): string {
    return operand.k === 'prop'
      ? operand.name
      : operand.k === 'var'
        ? (this.lambdaVar ?? '')
        : String(operand.value);
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private next(): Token | undefined {
    const token = this.tokens[this.pos];
    this.pos += 1;
    return token;
  }

  private isWord(word: string): boolean {
    const t = this.peek();
    return t?.kind === 'word' && t.text.toLowerCase() === word;
  }

  private isPunct(p: string): boolean {
    return this.peek()?.text === p && this.peek()?.kind === 'punct';
  }

  private expectPunct(p: string): void {
    if (!this.isPunct(p)) this.fail(`expected '${p}'`);
    this.pos += 1;
  }

  private fail(detail: string): never {
    throw new ODataQueryError(
      `The query specified in the URI is not valid. Syntax error in $filter '${this.text}': ${detail}.`,
    );
  }
}

function evaluate(node: Node, record: Record<string, unknown>, element: unknown): boolean {
  switch (node.k) {
    case 'and':
      return evaluate(node.l, record, element) && evaluate(node.r, record, element);
    case 'or':
      return evaluate(node.l, record, element) || evaluate(node.r, record, element);
    case 'not':
      return !evaluate(node.e, record, element);
    case 'cmp':
      return compare(node.op, node.l, node.r, record, element);
    case 'fn':
      return callFunction(
        node.name,
        node.args.map((a) => valueOf(a, record, element)),
      );
    case 'lambda': {
      const items = record[node.prop];
      const list = Array.isArray(items) ? items : [];
      return node.quantifier === 'any'
        ? list.some((item) => evaluate(node.body, record, item))
        : list.every((item) => evaluate(node.body, record, item));
    }
  }
}

function valueOf(operand: Operand, record: Record<string, unknown>, element: unknown): unknown {
  if (operand.k === 'lit') return operand.value;
  if (operand.k === 'var') return element;
  return record[operand.name];
}

function isDateOperand(o: Operand): boolean {
  return (o.k === 'prop' && o.type === 'datetime') || (o.k === 'lit' && o.isDate);
}

function compare(
  op: string,
  l: Operand,
  r: Operand,
  record: Record<string, unknown>,
  element: unknown,
): boolean {
  const a = valueOf(l, record, element);
  const b = valueOf(r, record, element);
  if (a === null || a === undefined || b === null || b === undefined) {
    const bothNull = (a === null || a === undefined) && (b === null || b === undefined);
    return op === 'eq' ? bothNull : op === 'ne' ? !bothNull : false;
  }
  const order =
    isDateOperand(l) || isDateOperand(r)
      ? compareDates(ticksOf(l, a), ticksOf(r, b))
      : compareValues(a, b);
  if (order === undefined) return op === 'ne';
  switch (op) {
    case 'eq':
      return order === 0;
    case 'ne':
      return order !== 0;
    case 'gt':
      return order > 0;
    case 'ge':
      return order >= 0;
    case 'lt':
      return order < 0;
    default:
      return order <= 0;
  }
}

// A literal is parsed once per filter, not once per row it is compared with.
function ticksOf(operand: Operand, value: unknown): bigint | undefined {
  if (operand.k !== 'lit') return parseMdeTime(String(value))?.ticks;
  if (operand.ticks === undefined) operand.ticks = parseMdeTime(String(value))?.ticks ?? null;
  return operand.ticks ?? undefined;
}

function compareDates(ta: bigint | undefined, tb: bigint | undefined): number | undefined {
  if (ta === undefined || tb === undefined) return undefined;
  return ta < tb ? -1 : ta > tb ? 1 : 0;
}

/** Strings compare without regard to case (enum values, names); numbers numerically. */
export function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' || typeof b === 'boolean')
    return String(a) === String(b) ? 0 : String(a) < String(b) ? -1 : 1;
  if (typeof a === 'number' || typeof b === 'number') {
    const na = Number(a);
    const nb = Number(b);
    if (!Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
  }
  const sa = String(a).toLowerCase();
  const sb = String(b).toLowerCase();
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

function callFunction(name: string, args: unknown[]): boolean {
  const [subject, fragment] = args.map((v) =>
    v === null || v === undefined ? undefined : String(v).toLowerCase(),
  );
  if (subject === undefined || fragment === undefined) return false;
  if (name === 'startswith') return subject.startsWith(fragment);
  if (name === 'endswith') return subject.endsWith(fragment);
  return subject.includes(fragment);
}
