/**
 * A small response-shape checker for Defender, Entra and Graph payloads. The same shapes are
 * run over the real samples in ../shared/samples/mde and over the simulator's records, so the
 * simulator cannot drift from what the service sends. Unknown keys are allowed unless `strict`
 * (real payloads add fields over time, mde-api.md §6 Q17).
 */

export type Rule =
  | 'string'
  | 'integer'
  | 'number'
  | 'boolean'
  | 'null'
  | 'datetime'
  | 'guid'
  | 'string[]'
  | 'array'
  | 'object'
  | { enum: readonly (string | null)[] }
  | { pattern: RegExp }
  | { items: Shape }
  | Shape;

export interface Shape {
  required: Record<string, Rule | Rule[]>;
  optional?: Record<string, Rule | Rule[]>;
}

/** ISO-8601 UTC with 0–7 fractional digits (mde-api.md §3.3). */
export const DEFENDER_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?Z$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Returns the problems found, `path: message` each; empty when the value fits. */
export function checkShape(
  value: unknown,
  shape: Shape,
  options: { strict?: boolean } = {},
  path = '$',
): string[] {
  if (!isObject(value)) return [`${path}: expected an object`];
  const problems: string[] = [];
  for (const [key, rule] of Object.entries(shape.required)) {
    if (!(key in value)) problems.push(`${path}.${key}: missing`);
    else problems.push(...checkRule(value[key], rule, options, `${path}.${key}`));
  }
  for (const [key, rule] of Object.entries(shape.optional ?? {})) {
    if (key in value) problems.push(...checkRule(value[key], rule, options, `${path}.${key}`));
  }
  if (options.strict) {
    const known = new Set([...Object.keys(shape.required), ...Object.keys(shape.optional ?? {})]);
    for (const key of Object.keys(value))
      if (!known.has(key)) problems.push(`${path}.${key}: unexpected key`);
  }
  return problems;
}

function checkRule(
  value: unknown,
  rule: Rule | Rule[],
  options: { strict?: boolean },
  path: string,
): string[] {
  const rules = Array.isArray(rule) ? rule : [rule];
  const attempts = rules.map((r) => checkOne(value, r, options, path));
  return attempts.some((a) => a.length === 0)
    ? []
    : (attempts.sort((a, b) => a.length - b.length)[0] ?? []);
}

function checkOne(
  value: unknown,
  rule: Rule,
  options: { strict?: boolean },
  path: string,
): string[] {
  const fail = (what: string): string[] => [
    `${path}: expected ${what}, got ${JSON.stringify(value)?.slice(0, 80)}`,
  ];
  if (typeof rule === 'string') {
    switch (rule) {
      case 'string':
        return typeof value === 'string' ? [] : fail('string');
      case 'integer':
        return Number.isInteger(value) ? [] : fail('integer');
      case 'number':
        return typeof value === 'number' ? [] : fail('number');
      case 'boolean':
        return typeof value === 'boolean' ? [] : fail('boolean');
      case 'null':
        return value === null ? [] : fail('null');
      case 'datetime':
        return typeof value === 'string' && DEFENDER_TIME.test(value)
          ? []
          : fail('Defender timestamp');
      case 'guid':
        return typeof value === 'string' && GUID.test(value) ? [] : fail('GUID');
      case 'string[]':
        return Array.isArray(value) && value.every((v) => typeof v === 'string')
          ? []
          : fail('string array');
      case 'array':
        return Array.isArray(value) ? [] : fail('array');
      case 'object':
        return isObject(value) ? [] : fail('object');
    }
  }
  if ('enum' in rule)
    return rule.enum.includes(value as string) ? [] : fail(`one of ${rule.enum.join('|')}`);
  if ('pattern' in rule)
    return typeof value === 'string' && rule.pattern.test(value)
      ? []
      : fail(`match of ${rule.pattern}`);
  if ('items' in rule) {
    if (!Array.isArray(value)) return fail('array');
    return value.flatMap((item, i) => checkShape(item, rule.items, options, `${path}[${i}]`));
  }
  return checkShape(value, rule, options, path);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
