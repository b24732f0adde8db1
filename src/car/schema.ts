/**
 * Validation against CAR's import schema v2 (./import-schema-v2.json, a copy of CAR's public
 * schema). Errors come back in the older ajv shape CAR reports (`keyword`, `dataPath`,
 * `schemaPath`, `params`, `message`; car-service.md §1.3), so the CAR emulator can return them
 * as the service does. ajv needs `strict: false` (the schema has CAR-specific keywords such as
 * `indexed`) and `unicodeRegExp: false` (its key patterns escape `,`), DESIGN.md §10.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import importSchema from './import-schema-v2.json' with { type: 'json' };
import type { EdgeRecord, GraphBatch, VertexRecord } from './types.ts';

/** One validation error in the shape CAR's service reports. */
export interface AjvLikeError {
  keyword: string;
  /** JavaScript-style path into the envelope, e.g. `.vulnerability[0].base_score`. */
  dataPath: string;
  schemaPath: string;
  params: Record<string, unknown>;
  message: string;
}

export type ValidationResult = { ok: true } | { ok: false; errors: AjvLikeError[] };

let compiled: ValidateFunction | undefined;

/** The compiled schema; compiled once, on first use. */
function validator(): ValidateFunction {
  compiled ??= new Ajv2020({ strict: false, unicodeRegExp: false, allErrors: true }).compile(
    importSchema,
  );
  return compiled;
}

/** Validates an import envelope (`{source, report, <collection>: [...]}`) against the schema. */
export function validateEnvelope(envelope: unknown): ValidationResult {
  const validate = validator();
  if (validate(envelope)) return { ok: true };
  return { ok: false, errors: (validate.errors ?? []).map(toAjvLikeError) };
}

/** Validates one record as the only item of its collection. */
export function validateRecord(
  collection: string,
  record: VertexRecord | EdgeRecord,
): ValidationResult {
  return validateEnvelope({ [collection]: [record] });
}

/** Validates every record of a batch, one envelope per collection. */
export function validateBatch(batch: GraphBatch): ValidationResult {
  const errors: AjvLikeError[] = [];
  const collections = { ...batch.vertices, ...batch.edges } as Record<string, unknown[]>;
  for (const [collection, records] of Object.entries(collections)) {
    const result = validateEnvelope({ [collection]: records });
    if (!result.ok) errors.push(...result.errors);
  }
  return errors.length === 0 ? { ok: true } : { ok: false, errors };
}

function toAjvLikeError(error: ErrorObject): AjvLikeError {
  return {
    keyword: error.keyword,
    dataPath: toDataPath(error.instancePath),
    schemaPath: error.schemaPath,
    params: error.params as Record<string, unknown>,
    message: error.message ?? 'is invalid',
  };
}

/** `/vulnerability/0/base_score` → `.vulnerability[0].base_score` (ajv 6 `dataPath` style). */
function toDataPath(instancePath: string): string {
  if (instancePath === '') return '';
  return instancePath
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^\d+$/.test(segment) ? `[${segment}]` : `.${segment}`))
    .join('');
}
