import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger } from '../../../src/log.ts';
import type { SearchResult } from '../../../src/car/search-types.ts';
import { Runner } from '../../../src/runner/runner.ts';
import type { CheckJobFn, SyncJobFn } from '../../../src/runner/run-job.ts';
import { buildServer, type BuiltServer } from '../../../src/server/app.ts';
import { listen, type Listening } from '../../../src/server/listen.ts';
import type { SearchProvider } from '../../../src/server/routes.ts';
import { allowedHostsFor } from '../../../src/server/security.ts';

export interface TestService {
  url: string;
  token: string;
  dataDir: string;
  runner: Runner;
  built: BuiltServer;
  /** Every log line written so far, parsed. */
  logs: () => Record<string, unknown>[];
  /** The raw log text, for "never contains" checks. */
  logText: () => string;
  close: () => Promise<void>;
}

export const TEST_TOKEN = 'test-token-0123456789abcdefghijklmnopqrstuvwxyz';

/** Starts runner + server on 127.0.0.1:0 with the given jobs and search. */
export async function startTestService(options: {
  sync: SyncJobFn;
  check?: CheckJobFn;
  search?: SearchProvider;
  dataDir?: string;
}): Promise<TestService> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'mde-car-serve-'));
  let text = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      text += chunk.toString('utf8');
      callback();
    },
  });
  const logger = createLogger({ level: 'debug', destination: sink });
  const runner = new Runner({
    dataDir,
    graphDbPath: join(dataDir, 'graph.db'),
    secretKey: Buffer.alloc(32, 9),
    logger,
    sync: options.sync,
    check: options.check ?? (async () => ({ ok: true, message: 'ok' })),
  });
  runner.start();
  const built = buildServer({
    runner,
    logger,
    token: TEST_TOKEN,
    search: options.search ?? (() => emptyResult('ip', '10.0.0.1')),
    allowedHosts: allowedHostsFor('127.0.0.1'),
  });
  const listening: Listening = await listen(built, { host: '127.0.0.1', port: 0 });
  return {
    url: listening.url,
    token: TEST_TOKEN,
    dataDir,
    runner,
    built,
    logText: () => text,
    logs: () =>
      text
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    close: async () => {
      await listening.close();
      await runner.stop();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function emptyResult(kind: SearchResult['kind'], query: string): SearchResult {
  return { kind, query, canonical: query, current: [], past: [] };
}

/** Waits until `check` returns true, polling every 50 ms, for at most `timeoutMs`. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}
