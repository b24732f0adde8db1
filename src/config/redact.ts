/** Redaction of the secret fields marked in SECRET_FIELDS, for logging the effective config. */
import { SECRET_FIELDS } from './defaults.ts';

export const REDACTED = '[redacted]';

/** A deep copy of `config` with every secret field that is set replaced by `[redacted]`. */
export function redactConfig<T>(config: T): T {
  const copy = structuredClone(config) as unknown;
  for (const path of SECRET_FIELDS) redactPath(copy, path.split('.'));
  return copy as T;
}

function redactPath(node: unknown, parts: string[]): void {
  if (node === null || typeof node !== 'object') return;
  const [head, ...rest] = parts;
  if (head === undefined) return;
  const isEach = head.endsWith('[]');
  const name = isEach ? head.slice(0, -2) : head;
  const record = node as Record<string, unknown>;
  if (rest.length === 0) {
    if (record[name] !== undefined && record[name] !== null) record[name] = REDACTED;
    return;
  }
  const child = record[name];
  if (isEach && Array.isArray(child)) child.forEach((item) => redactPath(item, rest));
  else if (!isEach) redactPath(child, rest);
}
