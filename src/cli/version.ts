import { readFileSync } from 'node:fs';

/** The version in package.json, read once; `0.0.0` if the file cannot be read. */
export function readPackageVersion(): string {
  try {
    const url = new URL('../../package.json', import.meta.url);
    const pkg = JSON.parse(readFileSync(url, 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    // Limitation: an install without package.json beside src/ reports 0.0.0 instead of failing.
    return '0.0.0';
  }
}
