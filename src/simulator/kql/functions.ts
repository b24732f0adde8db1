/**
 * Scalar functions of the subset. Each entry checks its argument count, derives its result
 * type from the argument types, and builds an implementation once per call site, so
 * type-dependent choices (how `tostring` renders a timespan) are made at compile time.
 */

import { kqlHash } from './hash.ts';
import type { KqlType } from './types.ts';
import * as v from './values.ts';

export type Impl = (...args: unknown[]) => unknown;

export interface FunctionContext {
  /** `now()` of the query as 100 ns ticks, fixed for the whole query. */
  nowTicks: bigint;
}

export interface FunctionDef {
  minArgs: number;
  maxArgs: number;
  returns: (types: KqlType[]) => KqlType;
  make: (types: KqlType[], context: FunctionContext) => Impl;
}

const fixed = (type: KqlType) => () => type;
const sameAs = (index: number) => (types: KqlType[]) => types[index] ?? 'dynamic';
const simple = (
  minArgs: number,
  maxArgs: number,
  type: KqlType | ((types: KqlType[]) => KqlType),
  impl: Impl,
): FunctionDef => ({
  minArgs,
  maxArgs,
  returns: typeof type === 'string' ? fixed(type) : type,
  make: () => impl,
});

/** Kusto's `tostring` for a value of a known type. */
export function toStringOf(type: KqlType): (value: unknown) => string {
  if (type === 'timespan')
    return (x) => (x === null || x === undefined ? '' : v.formatTimespan(v.toTimespan(x) ?? 0));
  if (type === 'datetime') return (x) => v.toDatetime(x) ?? '';
  return v.str;
}

const isEmpty = v.isEmptyValue;

function bin(type: KqlType): Impl {
  if (type === 'datetime') return (x, size) => binDatetime(v.toDatetime(x), v.toTimespan(size));
  return (x, size) => {
    const n = type === 'timespan' ? v.toTimespan(x) : v.toNumber(x);
    const s = type === 'timespan' ? v.toTimespan(size) : v.toNumber(size);
    if (n === null || s === null || s <= 0) return null;
    return Math.floor(n / s) * s;
  };
}

function binDatetime(dt: string | null, spanTicks: number | null): string | null {
  if (dt === null || spanTicks === null || spanTicks <= 0) return null;
  // Whole-second bins (1s … 1d …) are exact in doubles; only finer bins need bigint ticks.
  if (spanTicks % 10_000_000 === 0) {
    const seconds = Math.floor(Date.parse(dt.slice(0, 19) + 'Z') / 1000);
    const step = spanTicks / 10_000_000;
    return v.secondsToDatetime(Math.floor(seconds / step) * step);
  }
  const ticks = v.datetimeToTicks(dt);
  const span = BigInt(spanTicks);
  const floored = ticks >= 0n ? (ticks / span) * span : ((ticks - span + 1n) / span) * span;
  return v.ticksToDatetime(floored);
}

function toBool(x: unknown): boolean | null {
  const d = v.asDynamic(x);
  if (typeof d === 'boolean') return d;
  if (typeof d === 'number' || typeof d === 'bigint') return d != 0;
  if (typeof d === 'string') {
    const t = d.trim().toLowerCase();
    return t === 'true' ? true : t === 'false' ? false : null;
  }
  return null;
}

function substring(s: unknown, start: unknown, length?: unknown): string {
  const text = v.str(s);
  const from = Math.max(0, Number(v.toNumber(start) ?? 0));
  const count = length === undefined ? undefined : Math.max(0, Number(v.toNumber(length) ?? 0));
  return count === undefined ? text.slice(from) : text.slice(from, from + count);
}

function split(s: unknown, delimiter: unknown, index?: unknown): unknown[] | null {
  const parts = v.str(s).split(v.str(delimiter));
  if (index === undefined) return parts;
  const i = Number(v.toNumber(index));
  return i >= 0 && i < parts.length ? [parts[i]] : null;
}

function member(target: unknown, key: unknown): unknown {
  const d = v.asDynamic(target);
  if (Array.isArray(d)) {
    const n = Number(v.toNumber(key));
    return d[n < 0 ? d.length + n : n] ?? null;
  }
  if (d !== null && typeof d === 'object') {
    return (d as Record<string, unknown>)[v.str(key)] ?? null;
  }
  return null;
}

/** `target[key]` and `target.key` on a dynamic value; missing members are null. */
export { member as dynamicMember };

function firstValueType(types: KqlType[]): KqlType {
  return types[1] ?? 'dynamic';
}

export const FUNCTIONS: Record<string, FunctionDef> = {
  ago: {
    minArgs: 1,
    maxArgs: 1,
    returns: fixed('datetime'),
    make:
      (_t, { nowTicks }) =>
      (span) => {
        const ticks = v.toTimespan(span);
        return ticks === null ? null : v.ticksToDatetime(nowTicks - BigInt(Math.round(ticks)));
      },
  },
  now: {
    minArgs: 0,
    maxArgs: 1,
    returns: fixed('datetime'),
    make:
      (_t, { nowTicks }) =>
      (offset) =>
        v.ticksToDatetime(nowTicks + BigInt(Math.round(v.toTimespan(offset ?? 0) ?? 0))),
  },
  bin: { minArgs: 2, maxArgs: 2, returns: sameAs(0), make: (t) => bin(t[0] as KqlType) },
  floor: { minArgs: 2, maxArgs: 2, returns: sameAs(0), make: (t) => bin(t[0] as KqlType) },
  startofday: simple(1, 1, 'datetime', (x) => {
    const dt = v.toDatetime(x);
    return dt === null ? null : dt.slice(0, 10) + 'T00:00:00.0000000Z';
  }),
  parse_json: simple(1, 1, 'dynamic', (x) => v.parseJson(x)),
  todynamic: simple(1, 1, 'dynamic', (x) => v.parseJson(x)),
  tostring: {
    minArgs: 1,
    maxArgs: 1,
    returns: fixed('string'),
    make: (t) => toStringOf(t[0] as KqlType),
  },
  toint: simple(1, 1, 'int', (x) => {
    const n = v.toInteger(v.asDynamic(x));
    return n === null ? null : Number(BigInt.asIntN(32, BigInt(n)));
  }),
  tolong: simple(1, 1, 'long', (x) => v.toInteger(v.asDynamic(x))),
  todouble: simple(1, 1, 'real', (x) => v.toNumber(v.asDynamic(x))),
  toreal: simple(1, 1, 'real', (x) => v.toNumber(v.asDynamic(x))),
  tobool: simple(1, 1, 'bool', toBool),
  toboolean: simple(1, 1, 'bool', toBool),
  todatetime: simple(1, 1, 'datetime', (x) => v.toDatetime(v.asDynamic(x))),
  totimespan: simple(1, 1, 'timespan', (x) => v.toTimespan(v.asDynamic(x))),
  toguid: simple(1, 1, 'guid', (x) => (isEmpty(x) ? null : v.str(x).toLowerCase())),
  tolower: simple(1, 1, 'string', (x) => v.str(x).toLowerCase()),
  toupper: simple(1, 1, 'string', (x) => v.str(x).toUpperCase()),
  strlen: simple(1, 1, 'long', (x) => [...v.str(x)].length),
  substring: simple(2, 3, 'string', substring),
  split: simple(2, 3, 'dynamic', split),
  indexof: simple(2, 2, 'long', (s, lookup) => v.str(s).indexOf(v.str(lookup))),
  replace_string: simple(3, 3, 'string', (s, a, b) => v.str(s).split(v.str(a)).join(v.str(b))),
  strcat: {
    minArgs: 1,
    maxArgs: 64,
    returns: fixed('string'),
    make: (types) => {
      const parts = types.map(toStringOf);
      return (...args) => args.map((a, i) => (parts[i] as (x: unknown) => string)(a)).join('');
    },
  },
  iff: simple(3, 3, sameAs(1), (c, a, b) => (c === true ? a : b)),
  iif: simple(3, 3, sameAs(1), (c, a, b) => (c === true ? a : b)),
  case: simple(3, 64, firstValueType, (...args) => {
    for (let i = 0; i + 1 < args.length; i += 2) if (args[i] === true) return args[i + 1];
    return args[args.length - 1];
  }),
  coalesce: simple(1, 64, sameAs(0), (...args) => args.find((a) => !isEmpty(a)) ?? null),
  array_length: simple(1, 1, 'long', (x) => {
    const d = v.asDynamic(x);
    return Array.isArray(d) ? d.length : null;
  }),
  set_has_element: simple(2, 2, 'bool', (arr, x) => {
    const d = v.asDynamic(arr);
    return Array.isArray(d) ? d.some((e) => e === x || v.str(e) === v.str(x)) : null;
  }),
  pack_array: simple(1, 64, 'dynamic', (...args) => args.map((a) => v.asDynamic(a))),
  bag_pack: simple(2, 64, 'dynamic', packBag),
  pack: simple(2, 64, 'dynamic', packBag),
  hash: simple(1, 2, 'long', (x, mod) => {
    const h = kqlHash(x);
    const m = mod === undefined ? undefined : v.toNumber(mod);
    return m === undefined || m === null || m === 0 ? h : h % m;
  }),
  isempty: simple(1, 1, 'bool', isEmpty),
  isnotempty: simple(1, 1, 'bool', (x) => !isEmpty(x)),
  isnull: simple(1, 1, 'bool', (x) => x === null || x === undefined),
  isnotnull: simple(1, 1, 'bool', (x) => x !== null && x !== undefined),
  not: simple(1, 1, 'bool', (x) => (x === true ? false : x === false ? true : null)),
  abs: simple(1, 1, sameAs(0), (x) =>
    typeof x === 'bigint' ? (x < 0n ? -x : x) : x === null ? null : Math.abs(Number(x)),
  ),
  round: simple(1, 2, 'real', (x, digits) => {
    const n = v.toNumber(x);
    const factor = 10 ** Number(v.toNumber(digits ?? 0) ?? 0);
    return n === null ? null : Math.round(n * factor) / factor;
  }),
  extract: {
    minArgs: 3,
    maxArgs: 3,
    returns: fixed('string'),
    make: () => {
      const cache = new Map<string, RegExp>();
      return (pattern, group, s) => {
        const source = v.str(pattern);
        let re = cache.get(source);
        if (re === undefined) cache.set(source, (re = new RegExp(source)));
        const match = re.exec(v.str(s));
        return match?.[Number(v.toNumber(group) ?? 0)] ?? '';
      };
    },
  },
};

function packBag(...args: unknown[]): Record<string, unknown> {
  const bag: Record<string, unknown> = {};
  for (let i = 0; i + 1 < args.length; i += 2) bag[v.str(args[i])] = v.asDynamic(args[i + 1]);
  return bag;
}
