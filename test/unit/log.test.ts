import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.ts';

function capture(level: 'info' | 'debug' = 'debug') {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: createLogger({ destination, level }) };
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

describe('error serialisation', () => {
  it('logs an error by code and message, without its stack trace, at info', () => {
    const { lines, logger } = capture('info');
    const err = Object.assign(new Error('login host could not be reached'), {
      code: 'MDE_NETWORK',
    });
    logger.error({ err }, 'sync run failed');
    expect(lines.at(-1)).toMatchObject({
      err: { type: 'Error', code: 'MDE_NETWORK', message: 'login host could not be reached' },
    });
    expect(JSON.stringify(lines.at(-1))).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('keeps the stack trace at debug', () => {
    const { lines, logger } = capture('debug');
    logger.error({ err: new Error('boom') }, 'failed');
    expect(String((lines.at(-1)?.err as { stack?: string }).stack)).toMatch(/log\.test\.ts/);
  });
});
