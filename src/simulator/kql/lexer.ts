/**
 * Splits a KQL query into tokens. Hyphenated operator names (`project-away`, `mv-expand`) and
 * negated string operators (`!has`, `!in~`) become single word tokens so the parser can treat
 * them like keywords. Timespan literals (`30d`, `100ms`) are read here and carry 100 ns ticks.
 */

import { KqlError } from './types.ts';

export type TokenKind = 'word' | 'long' | 'real' | 'timespan' | 'string' | 'punct' | 'eof';

export interface Token {
  kind: TokenKind;
  text: string;
  /** Parsed value: number/bigint for numbers, ticks for timespans, text for strings. */
  value?: unknown;
  pos: number;
}

const HYPHENATED = new Set([
  'project-away',
  'project-rename',
  'project-keep',
  'project-reorder',
  'mv-expand',
  'mv-apply',
  'make-series',
]);

const PUNCTUATION = [
  '..',
  '==',
  '!=',
  '<>',
  '<=',
  '>=',
  '=~',
  '!~',
  '|',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ',',
  ';',
  '.',
  '=',
  '<',
  '>',
  '+',
  '-',
  '*',
  '/',
  '%',
  ':',
];

const TICKS_PER_UNIT: Record<string, number> = {
  d: 864_000_000_000,
  day: 864_000_000_000,
  days: 864_000_000_000,
  h: 36_000_000_000,
  hr: 36_000_000_000,
  hrs: 36_000_000_000,
  hour: 36_000_000_000,
  hours: 36_000_000_000,
  m: 600_000_000,
  min: 600_000_000,
  minute: 600_000_000,
  minutes: 600_000_000,
  s: 10_000_000,
  sec: 10_000_000,
  second: 10_000_000,
  seconds: 10_000_000,
  ms: 10_000,
  milli: 10_000,
  millis: 10_000,
  millisecond: 10_000,
  milliseconds: 10_000,
  microsecond: 10,
  microseconds: 10,
  tick: 1,
  ticks: 1,
};

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isWordStart = (c: string | undefined) => c !== undefined && /[A-Za-z_]/.test(c);
const isWordChar = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_]/.test(c);

/** Returns `[line, column]` (1-based line, 0-based column) the way Kusto reports positions. */
export function lineAndColumn(query: string, pos: number): [number, number] {
  const before = query.slice(0, pos);
  const line = before.split('\n').length;
  return [line, pos - (before.lastIndexOf('\n') + 1)];
}

/** A syntax error at a position, worded like Kusto's parser error. */
export function syntaxError(query: string, pos: number, detail?: string): KqlError {
  const [line, column] = lineAndColumn(query, pos);
  const at = query.slice(pos).match(/^(\S+?)(?=[\s|(),;]|$)|^\S/)?.[0] ?? '';
  const where = at === '' ? 'end of query' : `'${at}'`;
  const suffix = detail === undefined ? '' : `. ${detail}`;
  return new KqlError(
    'syntax',
    `Query could not be parsed at ${where} on line [${line},${column}]${suffix}`,
    pos,
  );
}

/** Tokenizes a whole query; the last token is always `eof`. */
export function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const c = query[i];
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      i++;
    } else if (c === '/' && query[i + 1] === '/') {
      while (i < query.length && query[i] !== '\n') i++;
    } else if (isDigit(c)) {
      i = readNumber(query, i, tokens);
    } else if (isStringStart(query, i)) {
      i = readString(query, i, tokens);
    } else if (isWordStart(c) || (c === '$' && isWordStart(query[i + 1]))) {
      i = readWord(query, i, tokens);
    } else if (c === '!' && isWordStart(query[i + 1])) {
      i = readWord(query, i + 1, tokens, i);
    } else {
      i = readPunctuation(query, i, tokens);
    }
  }
  tokens.push({ kind: 'eof', text: '', pos: query.length });
  return tokens;
}

function isStringStart(query: string, i: number): boolean {
  const c = query[i];
  if (c === "'" || c === '"') return true;
  if (c === '@') return query[i + 1] === "'" || query[i + 1] === '"';
  if (c === 'h' || c === 'H') return isStringStart(query, i + 1) && query[i + 1] !== 'h';
  return false;
}

function readNumber(query: string, start: number, tokens: Token[]): number {
  let i = start;
  while (isDigit(query[i])) i++;
  let isReal = false;
  if (query[i] === '.' && isDigit(query[i + 1])) {
    isReal = true;
    i++;
    while (isDigit(query[i])) i++;
  }
  if ((query[i] === 'e' || query[i] === 'E') && /^[eE][+-]?\d/.test(query.slice(i, i + 3))) {
    isReal = true;
    i += query[i + 1] === '+' || query[i + 1] === '-' ? 2 : 1;
    while (isDigit(query[i])) i++;
  }
  const text = query.slice(start, i);
  if (isWordStart(query[i])) return readTimespan(query, start, i, text, tokens);
  if (isReal) {
    tokens.push({ kind: 'real', text, value: Number(text), pos: start });
  } else {
    const big = BigInt(text);
    const value = big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
    tokens.push({ kind: 'long', text, value, pos: start });
  }
  return i;
}

function readTimespan(q: string, start: number, unitStart: number, num: string, out: Token[]) {
  let i = unitStart;
  while (isWordChar(q[i])) i++;
  const unit = q.slice(unitStart, i).toLowerCase();
  const ticksPerUnit = TICKS_PER_UNIT[unit];
  if (ticksPerUnit === undefined) throw syntaxError(q, start);
  const ticks = Math.round(Number(num) * ticksPerUnit);
  out.push({ kind: 'timespan', text: q.slice(start, i), value: ticks, pos: start });
  return i;
}

function readString(query: string, start: number, tokens: Token[]): number {
  let i = start;
  if (query[i] === 'h' || query[i] === 'H') i++;
  const isVerbatim = query[i] === '@';
  if (isVerbatim) i++;
  const quote = query[i];
  i++;
  let value = '';
  for (;;) {
    const c = query[i];
    if (c === undefined || c === '\n') throw syntaxError(query, start, 'Unterminated string');
    if (c === quote) {
      if (isVerbatim && query[i + 1] === quote) {
        value += quote;
        i += 2;
        continue;
      }
      i++;
      break;
    }
    if (c === '\\' && !isVerbatim) {
      value += unescape(query[i + 1]);
      i += 2;
      continue;
    }
    value += c;
    i++;
  }
  tokens.push({ kind: 'string', text: query.slice(start, i), value, pos: start });
  return i;
}

function unescape(c: string | undefined): string {
  if (c === 'n') return '\n';
  if (c === 't') return '\t';
  if (c === 'r') return '\r';
  return c ?? '';
}

function readWord(query: string, start: number, tokens: Token[], bangPos?: number): number {
  let i = start;
  while (isWordChar(query[i]) || (i === start && query[i] === '$')) i++;
  let text = query.slice(start, i);
  const joined = query[i] === '-' ? /^-[a-z]+/.exec(query.slice(i))?.[0] : undefined;
  if (joined !== undefined && HYPHENATED.has(text + joined)) {
    text += joined;
    i += joined.length;
  }
  if (query[i] === '~' && text === 'in') {
    text += '~';
    i++;
  }
  if (bangPos !== undefined) text = '!' + text;
  tokens.push({ kind: 'word', text, pos: bangPos ?? start });
  return RAW_LITERALS.has(text) ? readRawArgument(query, i, tokens) : i;
}

// `datetime(2024-01-01T10:00:00Z)` and `guid(…)` hold unquoted text that is not made of tokens,
// so their argument is read as one string token between the parentheses.
const RAW_LITERALS = new Set(['datetime', 'guid']);

function readRawArgument(query: string, start: number, tokens: Token[]): number {
  let open = start;
  while (query[open] === ' ' || query[open] === '\t') open++;
  if (query[open] !== '(') return start;
  let inner = open + 1;
  while (query[inner] === ' ') inner++;
  if (query[inner] === "'" || query[inner] === '"') return start;
  const close = query.indexOf(')', inner);
  if (close < 0) throw syntaxError(query, open, 'Missing closing parenthesis');
  tokens.push({ kind: 'punct', text: '(', pos: open });
  const raw = query.slice(inner, close).trim();
  tokens.push({ kind: 'string', text: raw, value: raw, pos: inner });
  tokens.push({ kind: 'punct', text: ')', pos: close });
  return close + 1;
}

function readPunctuation(query: string, i: number, tokens: Token[]): number {
  const text = PUNCTUATION.find((p) => query.startsWith(p, i));
  if (text === undefined) throw syntaxError(query, i);
  tokens.push({ kind: 'punct', text, pos: i });
  return i + text.length;
}
