import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { validateEnvelope } from '../../../../src/car/schema.ts';
import type { AppConfig } from '../../../../src/config/types.ts';
import { hasCode } from '../../../../src/errors.ts';
import { silentLogger } from '../../../../src/log.ts';
import type { FilesTarget } from '../../../../src/targets/files/files-target.ts';
import type { RunManifest } from '../../../../src/targets/files/manifest.ts';
import { openFilesTarget } from '../../../../src/targets/files/open.ts';
import { checkpointOf, loadBatch, runOnce, SOURCE } from '../../../integration/car/helpers.ts';

function filesConfig(outDir: string | undefined, pageSize = 2): AppConfig {
  const config = {
    connection: { name: SOURCE, description: '' },
    target: {
      kind: 'files',
      dbPath: '/nonexistent/should-not-be-used.db',
      outDir,
      car: { pageSize, timeoutMs: 1_000 },
    },
  };
  // Only the connection and target parts are read by the files target.
  return config as unknown as AppConfig;
}

describe('import-files target', () => {
  let dir: string;
  let target: FilesTarget | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'files-target-'));
  });

  afterEach(async () => {
    await target?.close();
    target = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  function readRun(runNumber: number): { manifest: RunManifest; dir: string } {
    const runDir = join(dir, SOURCE, String(1_714_000_000_000 + runNumber * 1_000));
    return {
      manifest: JSON.parse(readFileSync(join(runDir, 'manifest.json'), 'utf8')) as RunManifest,
      dir: runDir,
    };
  }

  it('writes one schema-valid envelope per collection page, vertices first, listed in a manifest', async () => {
    target = openFilesTarget(filesConfig(dir), silentLogger());
    await runOnce(target, { runNumber: 1, batches: [loadBatch('two-machines-run-1')] });

    const { manifest, dir: runDir } = readRun(1);
    expect(manifest).toMatchObject({
      source: SOURCE,
      mode: 'full',
      fullImport: true,
      outcome: 'ok',
      checkpoint: checkpointOf(1),
    });
    expect(manifest.files[0]).toMatchObject({ collection: 'report', records: 0 });
    expect(
      manifest.files.filter((f) => f.collection === 'asset_ipaddress').map((f) => f.records),
    ).toEqual([2, 1]);
    const firstEdge = manifest.files.findIndex((f) => f.collection.includes('_'));
    expect(manifest.files.slice(firstEdge).every((f) => f.collection.includes('_'))).toBe(true);
    expect(readdirSync(runDir).sort()).toEqual(
      [...manifest.files.map((f) => f.file), 'manifest.json'].sort(),
    );

    for (const entry of manifest.files) {
      const envelope = JSON.parse(readFileSync(join(runDir, entry.file), 'utf8')) as Record<
        string,
        unknown
      >;
      expect(validateEnvelope(envelope)).toEqual({ ok: true });
      expect(envelope.source).toMatchObject({ _key: SOURCE });
    }
  });

  it('keeps its checkpoint in the output folder, so a second run there writes the edge patches', async () => {
    target = openFilesTarget(filesConfig(dir), silentLogger());
    await runOnce(target, { runNumber: 1, batches: [loadBatch('two-machines-run-1')] });
    await runOnce(target, { runNumber: 2, batches: [loadBatch('two-machines-run-2')] });

    expect(await target.getCheckpoint(SOURCE)).toEqual(checkpointOf(2));
    const { manifest, dir: runDir } = readRun(2);
    const patches = manifest.files.filter((f) => f.kind === 'edge-patch');
    const patched = patches.flatMap((f) => {
      const body = JSON.parse(readFileSync(join(runDir, f.file), 'utf8')) as {
        edges: { from: string; to: string }[];
        patch: unknown;
      };
      expect(body.patch).toEqual({ active: false });
      return body.edges.map((edge) => `${f.collection} ${edge.from}>${edge.to}`);
    });
    expect(patched.sort()).toEqual([
      'asset_account m-0001>contoso\\alice',
      'asset_ipaddress m-0001>10.0.0.17',
      'asset_ipaddress m-0001>fe80::1',
      'asset_macaddress m-0001>00:0d:3a:94:54:de',
      'ipaddress_macaddress 10.0.0.17>00:0d:3a:94:54:de',
      'user_account contoso\\alice>contoso\\alice',
    ]);
  });

  it('asks for --out when no output folder is configured', () => {
    let error: unknown;
    try {
      openFilesTarget(filesConfig(undefined), silentLogger());
    } catch (err) {
      error = err;
    }
    expect(hasCode(error, 'CONFIG_INVALID')).toBe(true);
    expect((error as Error).message).toContain('--out DIR');
  });
});
