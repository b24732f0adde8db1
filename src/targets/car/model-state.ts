/**
 * The checkpoint as CAR stores it: the JSON text of a Checkpoint in the source's
 * `model_state_id` string (car-service.md §1.7). The existing connector stored a float of
 * epoch milliseconds there; such a value is not ours and reads as "no checkpoint", so the
 * first run after replacing that connector is a full import.
 */
import type { Checkpoint } from '../target.ts';

/** The checkpoint in `stored`, or undefined when it is not a checkpoint of this source. */
export function parseCheckpoint(stored: string, source: string): Checkpoint | undefined {
  let value: unknown;
  try {
    value = JSON.parse(stored) as unknown;
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const candidate = value as Partial<Checkpoint>;
  if (candidate.source !== source) return undefined;
  if (typeof candidate.runId !== 'string' || typeof candidate.updatedAt !== 'string')
    return undefined;
  return candidate as Checkpoint;
}
