/**
 * The table interface the KQL engine (src/simulator/kql) evaluates over. Declared here as
 * well so the tenant does not depend on the engine; the shapes are structurally identical to
 * the engine's `KqlTables` / `KqlTable`.
 */

export type HuntingType =
  'string' | 'datetime' | 'long' | 'int' | 'real' | 'bool' | 'dynamic' | 'guid' | 'timespan';

export interface HuntingColumn {
  name: string;
  type: HuntingType;
}

/** One table: datetimes as ISO strings (7 digits), longs as number or bigint, dynamics as JS values. */
export interface HuntingTable {
  name: string;
  columns: HuntingColumn[];
  rows: readonly Record<string, unknown>[];
}

export interface HuntingTables {
  get(name: string): HuntingTable | undefined;
}
