import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EmulatorFaults } from '../../../src/car-emulator/faults.ts';
import { startCarEmulator, type CarEmulator } from '../../../src/car-emulator/server.ts';
import type { GraphBatch } from '../../../src/car/types.ts';
import { CarImportError } from '../../../src/errors.ts';
import { silentLogger } from '../../../src/log.ts';
import { openCarTarget } from '../../../src/targets/car/open.ts';
import { carConfig, checkpointOf, FAST, loadBatch, runOnce, SOURCE } from './helpers.ts';

const SESSION_PATH = `/v2/source/${SOURCE}/full-import-in-progress`;

interface FailureCase {
  step: string;
  faults: EmulatorFaults;
  /** A batch to send instead of the fixture. */
  batch?: GraphBatch;
  timeoutMs?: number;
  code: string;
  message: string;
}

const invalidBatch: GraphBatch = {
  vertices: { ipaddress: [{ _key: '10.0.0.99', name: 's10.0.0.1' }] },
  edges: {},
};

const CASES: FailureCase[] = [
  {
    step: 'an import rejected by schema validation',
    faults: {},
    batch: invalidBatch,
    code: 'CAR_IMPORT_FAILED',
    message: 'data_mal_formed: .ipaddress[0].name must match pattern',
  },
  {
    step: 'an import job that ends in error',
    faults: { failImports: [4] },
    code: 'CAR_IMPORT_FAILED',
    message: 'CAR reported: import failed by fault injection',
  },
  {
    step: 'an import status CAR cannot parse',
    faults: { garbleImportStatus: true },
    code: 'CAR_IMPORT_FAILED',
    message: 'its import status could not be read',
  },
  {
    step: 'a 503 on every import',
    faults: { unavailable: [{ method: 'POST', path: '/v2/imports' }] },
    code: 'CAR_UNAVAILABLE',
    message: 'answered HTTP 503',
  },
  {
    step: 'an import answered later than the timeout',
    faults: { delays: [{ method: 'POST', path: '/v2/imports', ms: 1_500 }] },
    timeoutMs: 300,
    code: 'CAR_UNAVAILABLE',
    message: 'could not be reached',
  },
];

describe('CAR failures during a full run', () => {
  let dir: string;
  let emulator: CarEmulator;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'car-failure-'));
    emulator = await startCarEmulator({
      dbPath: join(dir, 'emulator.db'),
      auth: { key: 'connector', password: 'car-test-password' },
    });
  });

  afterEach(async () => {
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const failure of CASES) {
    it(`keeps the checkpoint and closes the session after ${failure.step}, and the next run completes`, async () => {
      const config = carConfig({
        url: emulator.url,
        dbPath: join(dir, 'ledger.db'),
        timeoutMs: failure.timeoutMs,
      });
      const target = openCarTarget(config, silentLogger(), FAST);
      try {
        await runOnce(target, { runNumber: 1, batches: [loadBatch('two-machines-run-1')] });

        emulator.setFaults(failure.faults);
        const before = emulator.requests.length;
        const batch = failure.batch ?? loadBatch('two-machines-run-2');
        const error = await runOnce(target, { runNumber: 2, batches: [batch] }).catch(
          (err: unknown) => err,
        );

        expect(error).toBeInstanceOf(CarImportError);
        expect((error as CarImportError).code).toBe(failure.code);
        expect((error as Error).message).toContain(failure.message);
        expect(await target.getCheckpoint(SOURCE)).toEqual(checkpointOf(1));
        const sessionCalls = emulator.requests
          .slice(before)
          .filter((req) => req.path === SESSION_PATH);
        expect(sessionCalls.map((req) => `${req.method} ${req.status}`)).toEqual([
          'POST 200',
          'DELETE 200',
        ]);
        expect((await target.listRuns(SOURCE, 1))[0]).toMatchObject({
          runId: 'run-2',
          outcome: 'failed',
        });

        emulator.setFaults({});
        await runOnce(target, { runNumber: 3, batches: [loadBatch('two-machines-run-2')] });
        expect(await target.getCheckpoint(SOURCE)).toEqual(checkpointOf(3));
        expect(emulator.store.getVertex('ipaddress', '10.0.0.19', SOURCE)).toBeDefined();
      } finally {
        await target.close();
      }
    });
  }

  it('closes the session and keeps the checkpoint when an edge PATCH fails, then patches it next run', async () => {
    const target = openCarTarget(
      carConfig({ url: emulator.url, dbPath: join(dir, 'ledger.db') }),
      silentLogger(),
      FAST,
    );
    try {
      await runOnce(target, { runNumber: 1, batches: [loadBatch('two-machines-run-1')] });
      emulator.setFaults({ unavailable: [{ method: 'PATCH', path: '/v2/asset_' }] });
      const error = await runOnce(target, {
        runNumber: 2,
        batches: [loadBatch('two-machines-run-2')],
      }).catch((err: unknown) => err);
      expect((error as CarImportError).code).toBe('CAR_UNAVAILABLE');
      expect(await target.getCheckpoint(SOURCE)).toEqual(checkpointOf(1));

      emulator.setFaults({});
      const before = emulator.requests.length;
      await runOnce(target, { runNumber: 3, batches: [loadBatch('two-machines-run-2')] });
      const patched = emulator.requests
        .slice(before)
        .filter((req) => req.method === 'PATCH' && req.path.startsWith('/v2/asset_'));
      expect(patched.length).toBeGreaterThan(0);
      expect(await target.getCheckpoint(SOURCE)).toEqual(checkpointOf(3));
    } finally {
      await target.close();
    }
  });
});
