import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { isInteger, isSafeNumber, parse as parseLossless } from 'lossless-json';
import { describe, expect, it } from 'vitest';
import {
  countKeysIfNativeSafe,
  parseExactJson,
  type NumberParser,
} from '../../../src/mde/exact-json.ts';
import { parseHuntingResult } from '../../../src/mde/hunting.ts';

/** The hunting number parser: unsafe integers become bigint. */
function toBigIntIfUnsafe(literal: string): number | bigint {
  return isInteger(literal) && !isSafeNumber(literal) ? BigInt(literal) : Number(literal);
}

type Outcome = { value: unknown } | { error: string };

function outcome(parse: () => unknown): Outcome {
  try {
    return { value: parse() };
  } catch (err) {
    return { error: `${(err as Error).name}: ${(err as Error).message}` };
  }
}

/** The dynamic-column number parser: unsafe integers stay as their text. */
function toTextIfUnsafe(literal: string): number | string {
  const value = Number(literal);
  return /^-?\d+$/.test(literal) && !Number.isSafeInteger(value) ? literal : value;
}

/** Asserts parseExactJson matches lossless-json exactly: same value (-0 included) or same error. */
function expectSameAsLossless(text: string, parseNumber: NumberParser = toBigIntIfUnsafe): void {
  const expected = outcome(() => parseLossless(text, null, parseNumber));
  const actual = outcome(() => parseExactJson(text, parseNumber));
  if ('error' in expected) {
    expect(actual).toEqual(expected);
    return;
  }
  expect('value' in actual && isDeepStrictEqual(actual.value, expected.value)).toBe(true);
}

const NUMBER_LITERAL = fc.oneof(
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
  fc.constantFrom(
    '9007199254740991',
    '9007199254740992',
    '-9007199254740993',
    '639199916335081329',
    '10000000000000000000',
    '0',
    '-0',
    '1e400',
    '-1.5E-7',
    '1234567890123456.5',
    '0.12345678901234567890',
  ),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)),
  fc
    .tuple(fc.integer(), fc.nat(), fc.integer({ min: -400, max: 400 }))
    .map(([a, b, e]) => `${a}.${b}e${e}`),
);

const KEY = fc.oneof(
  fc.constantFrom('a', 'b', 'ReportId', '__proto__', '1', '0', 'key:with"quote', 'back\\slash'),
  fc.string({ maxLength: 6 }),
);

const WS = fc.constantFrom('', '', ' ', '\n', '\t ', '\r\n');

/** JSON text built piece by piece, so it can hold duplicate keys and exact number literals. */
const JSON_TEXT: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    NUMBER_LITERAL,
    fc.string({ unit: 'binary', maxLength: 12 }).map((s) => JSON.stringify(s)),
    fc.constantFrom(
      'true',
      'false',
      'null',
      '"\\\\"',
      '"a\\"b"',
      '"\\u0000x"',
      '"12345678901234567890"',
    ),
    fc
      .array(fc.tuple(WS, tie('value'), WS), { maxLength: 5 })
      .map((items) => `[${items.map(([a, v, b]) => a + v + b).join(',')}]`),
    fc
      .array(fc.tuple(KEY, WS, tie('value')), { maxLength: 5 })
      .map(
        (entries) =>
          `{${entries.map(([k, ws, v]) => `${JSON.stringify(k)}${ws}:${ws}${v}`).join(',')}}`,
      ),
  ),
})).value;

/** Small corruptions of valid text: cut, insert a character, or double a character. */
const MUTATED_TEXT = fc
  .tuple(JSON_TEXT, fc.nat(), fc.constantFrom('', ',', '"', '\\', ':', '}', ']', '0', '\u0001'))
  .map(([text, at, insert]) => {
    const i = text.length === 0 ? 0 : at % text.length;
    return text.slice(0, i) + insert + text.slice(insert === '' ? i + 1 : i);
  });

describe('parseExactJson', () => {
  it('gives the same value or the same error as lossless-json for generated JSON', () => {
    fc.assert(
      fc.property(JSON_TEXT, (text) => expectSameAsLossless(text)),
      { numRuns: 3000 },
    );
  });

  it('gives the same value or the same error as lossless-json for corrupted JSON', () => {
    fc.assert(
      fc.property(MUTATED_TEXT, (text) => expectSameAsLossless(text)),
      { numRuns: 3000 },
    );
  });

  it('keeps agreeing with lossless-json when unsafe integers are kept as text', () => {
    fc.assert(
      fc.property(JSON_TEXT, (text) => expectSameAsLossless(text, toTextIfUnsafe)),
      { numRuns: 2000 },
    );
  });

  it('gives the same result as lossless-json for any JSON value fast-check generates', () => {
    fc.assert(
      fc.property(fc.json(), (text) => expectSameAsLossless(text)),
      { numRuns: 2000 },
    );
  });

  it.each([
    '{"ReportId":639199916335081329}',
    '[9007199254740992]',
    '[-9007199254740993]',
    '{"a":1,"a":2}',
    '{"a":{"x":1},"a":{"x":1}}',
    '{"a":0,"a":-0}',
    '{"a":[1],"a":{"0":1}}',
    '{"__proto__":1,"b":2}',
    '{"a":"\\"","b":"\\\\","c":12345678901234567}',
    '',
    '{"a":1}x',
    '[1,]',
  ])('agrees with lossless-json on %s', (text) => {
    expectSameAsLossless(text);
  });

  it('leaves texts nested deeper than 200 levels to lossless-json', () => {
    expectSameAsLossless(`${'['.repeat(250)}1${']'.repeat(250)}`);
    expectSameAsLossless(`${'{"a":'.repeat(250)}1${'}'.repeat(250)}`);
  });

  it('reads a ReportId beyond 2^53 in a hunting answer as an exact bigint', () => {
    const answer = parseHuntingResult(
      '{"Schema":[{"Name":"ReportId","Type":"Int64"}],"Results":[{"ReportId":639199916335081329,"n":12}]}',
    );
    expect(answer.Results).toEqual([{ ReportId: 639199916335081329n, n: 12 }]);
  });
});

describe('countKeysIfNativeSafe', () => {
  it('counts the keys of a text without long integers', () => {
    expect(countKeysIfNativeSafe('{"a:b":1,"c":[{"d":"x\\":"}]}')).toBe(3);
  });

  it('refuses a text with an integer of 16 digits or more outside strings', () => {
    expect(countKeysIfNativeSafe('{"a":1234567890123456}')).toBeUndefined();
    expect(countKeysIfNativeSafe('{"a":"1234567890123456"}')).toBe(1);
  });

  it('refuses a text nested deeper than lossless-json can be trusted with', () => {
    expect(countKeysIfNativeSafe(`${'['.repeat(201)}${']'.repeat(201)}`)).toBeUndefined();
  });
});
