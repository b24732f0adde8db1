/**
 * The simulator's KQL engine: evaluates the subset documented in docs/kql-subset.md over
 * in-memory tables, as the advanced-hunting endpoint needs (mde-api.md §2.3, §4). Queries are
 * parsed by a small recursive-descent parser and compiled to closures once; rows then stream
 * through the operators.
 */

import { parseQuery } from './parse-query.ts';
import { compileStatements } from './query.ts';
import type { Row } from './compiled.ts';
import {
  type KqlColumn,
  KqlError,
  type KqlOptions,
  type KqlResult,
  type KqlTables,
  type KqlType,
  RESULT_LIMIT_MESSAGE,
} from './types.ts';
import { formatTimespan, str, toDatetime, toTimespan } from './values.ts';

export type {
  KqlColumn,
  KqlOptions,
  KqlResult,
  KqlTable,
  KqlTables,
  KqlType,
  KqlErrorKind,
} from './types.ts';
export { KqlError, RESULT_LIMIT_MESSAGE } from './types.ts';

/**
 * Runs a query over tables. Result datetimes are ISO strings with 7 fractional digits,
 * timespans Kusto text (`1.02:03:04`), strings never null, longs number or bigint as stored.
 * Throws KqlError: `syntax`, `semantic`, or `limit` when more than `maxRows` rows would return.
 */
export function executeKql(query: string, tables: KqlTables, options: KqlOptions): KqlResult {
  const nowTicks = BigInt(options.now.getTime()) * 10_000n;
  const plan = compileStatements(parseQuery(query), tables, nowTicks);
  const columns = plan.columns.map((c) => ({ name: c.name, type: c.type }));
  const convert = outputConverter(columns);
  const rows: Record<string, unknown>[] = [];
  plan.run({
    push(row) {
      if (rows.length >= options.maxRows) throw new KqlError('limit', RESULT_LIMIT_MESSAGE);
      rows.push(convert(row));
      return true;
    },
    end: () => undefined,
  });
  return { columns, rows };
}

const OUTPUT: Partial<Record<KqlType, (v: unknown) => unknown>> = {
  datetime: toDatetime,
  string: str,
  timespan: (v) => {
    const ticks = toTimespan(v);
    return ticks === null ? null : formatTimespan(ticks);
  },
};

function outputConverter(columns: KqlColumn[]): (row: Row) => Record<string, unknown> {
  const converters = columns.map((c) => {
    const convert = OUTPUT[c.type];
    return { name: c.name, convert: convert ?? ((v: unknown) => (v === undefined ? null : v)) };
  });
  return (row) => {
    const out: Record<string, unknown> = {};
    for (const c of converters) out[c.name] = c.convert(row[c.name]);
    return out;
  };
}
