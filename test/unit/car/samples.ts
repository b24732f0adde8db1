/**
 * Access to the real Defender payloads in ../shared/samples/mde (read, never copied). Suites
 * that need them skip with a visible reason when the folder is absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Folder of the shared samples. */
export const SAMPLES_DIR = resolve(ROOT, '../shared/samples/mde');

/** True when the shared samples are present. */
export const HAS_SAMPLES = existsSync(SAMPLES_DIR);

/** Suffix for suite titles, so a skipped run says why. */
export const SAMPLES_NOTE = HAS_SAMPLES ? '' : ' (skipped: ../shared/samples/mde is absent)';

/** Parsed JSON of one sample file. */
export function readSample<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(join(SAMPLES_DIR, name), 'utf8')) as T;
}

/** The `value` array of an OData sample. */
export function sampleValues<T>(name: string): T[] {
  return readSample<{ value: T[] }>(name).value;
}
