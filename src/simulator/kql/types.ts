/**
 * Public types of the simulator's KQL engine: the tables it reads, the result it returns and
 * the one error class it throws. The simulator's HTTP layer maps `KqlError.kind` to the
 * advanced-hunting 400 body (mde-api.md §2.3).
 */

/** Kusto scalar types the engine knows; column types of tables and results use these names. */
export type KqlType =
  'string' | 'datetime' | 'long' | 'int' | 'real' | 'bool' | 'dynamic' | 'guid' | 'timespan';

/** One column of a table or a result. */
export interface KqlColumn {
  name: string;
  type: KqlType;
}

/** A table the query can name; rows are read, never modified. */
export interface KqlTable {
  name: string;
  columns: KqlColumn[];
  rows: readonly Record<string, unknown>[];
}

/** Looks tables up by their exact (case-sensitive) name. */
export interface KqlTables {
  get(name: string): KqlTable | undefined;
}

/** The rows a query returns, each a fresh object keyed by column name. */
export interface KqlResult {
  columns: KqlColumn[];
  rows: Record<string, unknown>[];
}

/** Options of one query run: the instant `now()`/`ago()` use and the result row limit. */
export interface KqlOptions {
  now: Date;
  maxRows: number;
}

export type KqlErrorKind = 'syntax' | 'semantic' | 'limit';

/**
 * A query the engine cannot parse (`syntax`), cannot resolve or does not support (`semantic`),
 * or whose result exceeds `maxRows` (`limit`). `position` is the 0-based offset in the query.
 */
export class KqlError extends Error {
  readonly kind: KqlErrorKind;
  readonly position?: number;

  constructor(kind: KqlErrorKind, message: string, position?: number) {
    super(message);
    this.name = 'KqlError';
    this.kind = kind;
    if (position !== undefined) this.position = position;
  }
}

/** The service's message when a result is too large (run-advanced-query-api.md, limits). */
export const RESULT_LIMIT_MESSAGE =
  'Query execution has exceeded the allowed result size. Optimize your query by limiting the number of results and try again';

/** A semantic error in the words Kusto uses for an unknown name. */
export function unresolved(what: 'scalar' | 'table', name: string, pos?: number, op?: string) {
  const prefix = op === undefined ? '' : `'${op}' operator: `;
  const noun = what === 'table' ? 'table or column expression' : 'scalar expression';
  return new KqlError('semantic', `${prefix}Failed to resolve ${noun} named '${name}'`, pos);
}
