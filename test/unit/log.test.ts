import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.ts';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: createLogger({ destination, level: 'debug' }) };
}

describe('createLogger', () => {
  it('redacts secrets by path wherever a config or request is logged', () => {
    const { lines, logger } = capture();
    logger.info(
      {
        configuration: { clientId: 'c1', clientSecret: 'very-secret-1' },
        target: { car: { key: 'k', password: 'very-secret-2', token: 'very-secret-3' } },
        req: { headers: { authorization: 'Bearer very-secret-4' } },
      },
      'effective config',
    );
    const text = JSON.stringify(lines);
    expect(text).not.toMatch(/very-secret/);
    expect(lines[0]).toMatchObject({ configuration: { clientId: 'c1' }, msg: 'effective config' });
  });

  it('keeps the call count of the token endpoint in a run summary', () => {
    const { lines, logger } = capture();
    logger.info({ summary: { apiCalls: { token: 3, machines: 1 } } }, 'run finished');
    expect(lines[0]).toMatchObject({ summary: { apiCalls: { token: 3, machines: 1 } } });
  });
});
