/**
 * `join` and `union`. A join reads its right side fully into a hash map keyed by the `on`
 * columns, then streams the left side through it. Kinds: `innerunique` (the default: one left
 * row per key value, as Kusto does), `inner`, `leftouter`, `leftsemi`, `leftanti`. Right
 * columns whose names clash with left ones get a numeric suffix (`CveId1`). Null keys never
 * match.
 */

import type { Operator, Source } from './ast.ts';
import { comparisonType } from './binary.ts';
import type { Row } from './compiled.ts';
import { isNullKey, keyOf, normalizerFor, type Normalizer } from './compare.ts';
import { columnMap, materialize, type Plan, type QueryEnv } from './plan.ts';
import { type KqlColumn, KqlError, unresolved } from './types.ts';

type Op<K extends Operator['op']> = Extract<Operator, { op: K }>;

const KINDS: Record<string, string> = {
  innerunique: 'innerunique',
  inner: 'inner',
  leftouter: 'leftouter',
  leftsemi: 'leftsemi',
  leftanti: 'leftanti',
  anti: 'leftanti',
  leftantisemi: 'leftanti',
};

interface KeyReader {
  left: string;
  right: string;
  normalize: Normalizer;
}

/** Compiles `join kind=… (right) on keys`. */
export function planJoin(input: Plan, op: Op<'join'>, env: QueryEnv): Plan {
  const kind = KINDS[op.kind];
  if (kind === undefined) {
    throw new KqlError(
      'semantic',
      `join kind '${op.kind}' is not supported by the simulator's KQL subset`,
      op.pos,
    );
  }
  const right = env.source(op.right);
  const keys = keyReaders(op, input.columns, right.columns);
  const isFiltering = kind === 'leftsemi' || kind === 'leftanti';
  const rightOutputs = isFiltering ? [] : renamedRightColumns(input.columns, right.columns);
  const columns = [...input.columns, ...rightOutputs.map((o) => ({ name: o.name, type: o.type }))];
  const leftNames = input.columns.map((c) => c.name);
  const keyOfRow = joinKeyFunction(keys);
  const combine = (l: Row, r: Row | undefined) => {
    const out: Row = {};
    for (const name of leftNames) out[name] = l[name];
    for (const o of rightOutputs) out[o.name] = r === undefined ? null : r[o.from];
    return out;
  };

  return {
    columns,
    run(sink) {
      const index = indexRows(materialize(right).rows, (row) => keyOfRow(row, 'right'));
      const seenLeftKeys = new Set<string>();
      input.run({
        push(row) {
          const key = keyOfRow(row, 'left');
          if (kind === 'innerunique' && key !== undefined) {
            if (seenLeftKeys.has(key)) return true;
            seenLeftKeys.add(key);
          }
          const matches = key === undefined ? undefined : index.get(key);
          if (kind === 'leftsemi') return matches === undefined || sink.push(row);
          if (kind === 'leftanti') return matches !== undefined || sink.push(row);
          if (matches === undefined)
            return kind === 'leftouter' ? sink.push(combine(row, undefined)) : true;
          for (const match of matches) if (!sink.push(combine(row, match))) return false;
          return true;
        },
        end: () => sink.end(),
      });
    },
  };
}

// One key (`on CveId`) is the common shape: no intermediate array per row.
function joinKeyFunction(keys: KeyReader[]) {
  const [only] = keys;
  if (keys.length === 1 && only !== undefined) {
    return (row: Row, side: 'left' | 'right') => {
      const key = keyOf(only.normalize(row[only[side]]));
      return isNullKey(key) ? undefined : key;
    };
  }
  return (row: Row, side: 'left' | 'right') => {
    const parts = keys.map((k) => keyOf(k.normalize(row[k[side]])));
    return parts.some(isNullKey) ? undefined : parts.join('\u0001');
  };
}

function keyReaders(op: Op<'join'>, left: KqlColumn[], right: KqlColumn[]): KeyReader[] {
  const leftTypes = columnMap(left);
  const rightTypes = columnMap(right);
  return op.keys.map((key) => {
    const lt = leftTypes.get(key.left);
    const rt = rightTypes.get(key.right);
    if (lt === undefined) throw unresolved('scalar', key.left, key.pos, 'join');
    if (rt === undefined) throw unresolved('scalar', key.right, key.pos, 'join');
    return {
      left: key.left,
      right: key.right,
      normalize: normalizerFor(comparisonType(lt, rt, key.pos)),
    };
  });
}

function renamedRightColumns(left: KqlColumn[], right: KqlColumn[]) {
  const taken = new Set(left.map((c) => c.name));
  return right.map((c) => {
    let name = c.name;
    for (let n = 1; taken.has(name); n++) name = `${c.name}${n}`;
    taken.add(name);
    return { name, type: c.type, from: c.name };
  });
}

function indexRows(rows: Row[], keyOfRow: (row: Row) => string | undefined): Map<string, Row[]> {
  const index = new Map<string, Row[]>();
  for (const row of rows) {
    const key = keyOfRow(row);
    if (key === undefined) continue;
    const list = index.get(key);
    if (list === undefined) index.set(key, [row]);
    else list.push(row);
  }
  return index;
}

/** Compiles `union A, B` (outer union: columns merged by name, missing values null). */
export function planUnion(plans: Plan[], pos: number): Plan {
  const columns: KqlColumn[] = [];
  for (const plan of plans) {
    for (const column of plan.columns) {
      const existing = columns.find((c) => c.name === column.name);
      if (existing === undefined) columns.push(column);
      else if (existing.type !== column.type) {
        const message = `union: column '${column.name}' has types ${existing.type} and ${column.type}; project one type before the union`;
        throw new KqlError('semantic', message, pos);
      }
    }
  }
  return {
    columns,
    run(sink) {
      let isStopped = false;
      const pass = {
        push: (row: Row) => (isStopped = !sink.push(row)) === false,
        end: () => undefined,
      };
      for (const plan of plans) {
        if (isStopped) break;
        plan.run(pass);
      }
      sink.end();
    },
  };
}

/** The plans of a union's items. */
export function unionPlans(items: Source[], env: QueryEnv): Plan[] {
  return items.map((item) => env.source(item));
}
