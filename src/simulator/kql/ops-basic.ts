/**
 * Row-at-a-time operators: where, project, extend, project-away/-keep/-rename, take, distinct
 * and count. Input rows are never modified: operators that change columns build new rows.
 */

import type { Assignment, Operator } from './ast.ts';
import { compileExpr } from './compile-expr.ts';
import type { RowFn } from './compiled.ts';
import { keyOf, normalizerFor, type Normalizer } from './compare.ts';
import {
  assertUniqueNames,
  inferName,
  pick,
  pipe,
  type Plan,
  type QueryEnv,
  withColumn,
} from './plan.ts';
import { KqlError, type KqlColumn, unresolved } from './types.ts';
import { toNumber } from './values.ts';

type Op<K extends Operator['op']> = Extract<Operator, { op: K }>;

/** `where predicate`: keeps rows where the predicate is true (not null). */
export function planWhere(input: Plan, op: Op<'where'>, env: QueryEnv): Plan {
  const predicate = compileExpr(op.predicate, env.scope(input.columns, 'where')).fn;
  return pipe(input, input.columns, (down) => ({
    push: (row) => (predicate(row) === true ? down.push(row) : true),
    end: () => down.end(),
  }));
}

/** `project a, b = expr`: a new row per input row with exactly these columns. */
export function planProject(input: Plan, op: Op<'project'>, env: QueryEnv): Plan {
  const scope = env.scope(input.columns, 'project');
  let unnamed = 0;
  const outputs = op.items.map((item) => {
    const compiled = compileExpr(item.expr, scope);
    const name = item.name ?? inferName(item.expr) ?? `Column${++unnamed}`;
    return { name, type: compiled.type, fn: compiled.fn };
  });
  const columns = outputs.map(({ name, type }) => ({ name, type }));
  assertUniqueNames(columns, 'project', op.pos);
  return pipe(input, columns, (down) => ({
    push(row) {
      const out: Record<string, unknown> = {};
      for (const o of outputs) out[o.name] = o.fn(row);
      return down.push(out);
    },
    end: () => down.end(),
  }));
}

/** `extend a = expr`: adds or replaces columns; later items see earlier ones. */
export function planExtend(input: Plan, op: Op<'extend'>, env: QueryEnv): Plan {
  let columns = input.columns;
  let unnamed = 0;
  const outputs: { name: string; fn: RowFn }[] = [];
  for (const item of op.items as Assignment[]) {
    const compiled = compileExpr(item.expr, env.scope(columns, 'extend'));
    const name = item.name ?? inferName(item.expr) ?? `Column${++unnamed}`;
    outputs.push({ name, fn: compiled.fn });
    columns = withColumn(columns, name, compiled.type);
  }
  const inputNames = input.columns.map((c) => c.name);
  return pipe(input, columns, (down) => ({
    push(row) {
      const out = pick(row, inputNames);
      for (const o of outputs) out[o.name] = o.fn(out);
      return down.push(out);
    },
    end: () => down.end(),
  }));
}

/** `project-away` / `project-keep` with `*` wildcards; only the schema changes. */
export function planProjectPattern(input: Plan, op: Op<'project-away' | 'project-keep'>): Plan {
  const matchers = op.patterns.map((pattern) => {
    const isWildcard = pattern.includes('*');
    const matching = input.columns.filter((c) => globMatches(pattern, c.name));
    if (!isWildcard && matching.length === 0) throw unresolved('scalar', pattern, op.pos, op.op);
    return (name: string) => globMatches(pattern, name);
  });
  const isMatched = (c: KqlColumn) => matchers.some((m) => m(c.name));
  const isKept = op.op === 'project-away' ? (c: KqlColumn) => !isMatched(c) : isMatched;
  const columns = input.columns.filter(isKept);
  const names = columns.map((c) => c.name);
  // Rows are rebuilt so a later `extend`/`join` never sees a removed column's old value.
  return pipe(input, columns, (down) => ({
    push: (row) => down.push(pick(row, names)),
    end: () => down.end(),
  }));
}

function globMatches(pattern: string, name: string): boolean {
  if (!pattern.includes('*')) return pattern === name;
  const source = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${source.join('.*')}$`).test(name);
}

/** `project-rename new = old`. */
export function planProjectRename(input: Plan, op: Op<'project-rename'>): Plan {
  const renames = new Map<string, string>();
  for (const r of op.renames) {
    if (!input.columns.some((c) => c.name === r.from))
      throw unresolved('scalar', r.from, r.pos, 'project-rename');
    renames.set(r.from, r.name);
  }
  const columns = input.columns.map((c) => ({ name: renames.get(c.name) ?? c.name, type: c.type }));
  assertUniqueNames(columns, 'project-rename', op.pos);
  const pairs = input.columns.map((c, i) => [c.name, (columns[i] as KqlColumn).name] as const);
  return pipe(input, columns, (down) => ({
    push(row) {
      const out: Record<string, unknown> = {};
      for (const [from, to] of pairs) out[to] = row[from];
      return down.push(out);
    },
    end: () => down.end(),
  }));
}

/** `take n` / `limit n`: stops the upstream scan once n rows passed. */
export function planTake(input: Plan, op: Op<'take'>, env: QueryEnv): Plan {
  const limit = constantCount(op.count, env, input, 'take');
  return pipe(input, input.columns, (down) => {
    let taken = 0;
    return {
      push(row) {
        if (taken >= limit) return false;
        taken++;
        return down.push(row) && taken < limit;
      },
      end: () => down.end(),
    };
  });
}

/** Evaluates the constant row count of take/top. */
export function constantCount(
  expr: Op<'take'>['count'],
  env: QueryEnv,
  input: Plan,
  operator: string,
): number {
  const compiled = compileExpr(expr, env.scope(input.columns, operator));
  const n = compiled.isConstant ? toNumber(compiled.value) : null;
  if (n === null || n < 0) {
    throw new KqlError(
      'semantic',
      `'${operator}' operator: the row count must be a constant non-negative number`,
      expr.pos,
    );
  }
  return Math.floor(n);
}

/** `distinct a, b` or `distinct *`: the first row of each distinct combination. */
export function planDistinct(input: Plan, op: Op<'distinct'>, env: QueryEnv): Plan {
  const isStar = op.columns[0]?.k === 'star';
  const scope = env.scope(input.columns, 'distinct');
  const keys = isStar
    ? input.columns.map((c) => ({
        name: c.name,
        type: c.type,
        fn: ((row) => row[c.name]) as RowFn,
      }))
    : op.columns.map((expr, i) => {
        const compiled = compileExpr(expr, scope);
        return { name: inferName(expr) ?? `Column${i + 1}`, type: compiled.type, fn: compiled.fn };
      });
  const normalizers = keys.map((k) => normalizerFor(k.type));
  const columns = keys.map(({ name, type }) => ({ name, type }));
  return pipe(input, columns, (down) => {
    const seen = new Set<string>();
    return {
      push(row) {
        const values = keys.map((k) => k.fn(row));
        const key = values.map((x, i) => keyOf((normalizers[i] as Normalizer)(x))).join('\u0001');
        if (seen.has(key)) return true;
        seen.add(key);
        const out: Record<string, unknown> = {};
        keys.forEach((k, i) => (out[k.name] = values[i]));
        return down.push(out);
      },
      end: () => down.end(),
    };
  });
}

/** `count`: one row with the number of input rows in column `Count`. */
export function planCount(input: Plan): Plan {
  return pipe(input, [{ name: 'Count', type: 'long' }], (down) => {
    let count = 0;
    return {
      push: () => (count++, true),
      end() {
        down.push({ Count: count });
        down.end();
      },
    };
  });
}
