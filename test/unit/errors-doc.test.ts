import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConnectorError, ERROR_CODES, type ErrorCode } from '../../src/errors.ts';
import { exitCodeFor } from '../../src/cli/exit-codes.ts';

const DOC = readFileSync(resolve(import.meta.dirname, '../../docs/errors.md'), 'utf8');
const ROWS = [...DOC.matchAll(/^\| `([A-Z_]+)` +\| (\d+) +\| [^|]+\| [^|]+\|$/gm)].map((m) => ({
  code: m[1] as string,
  exit: Number(m[2]),
}));

describe('docs/errors.md', () => {
  it('lists every code of src/errors.ts exactly once, and nothing else', () => {
    const documented = ROWS.map((r) => r.code);

    expect([...documented].sort()).toEqual(Object.keys(ERROR_CODES).sort());
    expect(new Set(documented).size).toBe(documented.length);
  });

  it('states the exit code the CLI really uses for each code', () => {
    for (const row of ROWS)
      expect({
        code: row.code,
        exit: exitCodeFor(new ConnectorError(row.code as ErrorCode, '')),
      }).toEqual(row);
  });
});
