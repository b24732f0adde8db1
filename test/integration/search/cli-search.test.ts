import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mapAlerts } from '../../../src/car/map-alerts.ts';
import { mapMachines } from '../../../src/car/map-machines.ts';
import type { SearchResult } from '../../../src/car/search-types.ts';
import { registerSearch } from '../../../src/cli/commands/search.ts';
import { EXIT, exitCodeFor } from '../../../src/cli/exit-codes.ts';
import { ConnectorError } from '../../../src/errors.ts';
import { silentLogger } from '../../../src/log.ts';
import type { Alert } from '../../../src/mde/types.ts';
import { openEmbeddedStore } from '../../../src/targets/embedded/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'mde-car-search-cli-'));
const dbPath = join(dir, 'data', 'mde-car.db');

interface CliRun {
  code: number;
  stdout: string;
  error: string;
}

/** Runs `mde-car search …` in process, mapping errors to exit codes as src/cli/main.ts does. */
async function runSearch(...args: string[]): Promise<CliRun> {
  const program = new Command().exitOverride();
  program.configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  let code: number = EXIT.OK;
  registerSearch(program, (next) => {
    code = next;
  });
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  let error = '';
  try {
    await program.parseAsync(['node', 'mde-car', 'search', ...args]);
  } catch (err) {
    error = (err as Error).message;
    if (err instanceof ConnectorError) code = exitCodeFor(err);
    else code = err instanceof CommanderError ? EXIT.BAD_PARAMETERS : EXIT.GENERAL_FAILURE;
  } finally {
    spy.mockRestore();
  }
  return { code, stdout: chunks.join(''), error };
}

beforeAll(async () => {
  const at = new Date('2024-05-01T00:00:00Z');
  const ctx = {
    source: 'mde-test',
    reportKey: String(at.getTime()),
    timestampMs: at.getTime(),
    includeUnmanaged: true,
  };
  const store = openEmbeddedStore({ path: dbPath, logger: silentLogger() });
  await store.beginRun({
    runId: 'r1',
    source: 'mde-test',
    mode: 'full',
    startedAt: at,
    reportKey: ctx.reportKey,
  });
  await store.write(
    mapMachines(
      [
        {
          id: 'm1',
          computerDnsName: 'desktop-01.contoso.com',
          riskScore: 'Medium',
          exposureLevel: 'High',
          deviceValue: 'Normal',
          onboardingStatus: 'Onboarded',
          healthStatus: 'Active',
          osPlatform: 'Windows10',
          version: '22H2',
          lastIpAddress: '10.0.0.5',
          ipAddresses: [{ ipAddress: '2001:db8::5', macAddress: '02AABB000001' }],
        },
      ],
      ctx,
    ).batch,
  );
  await store.write(
    mapAlerts(
      [
        {
          id: 'a1',
          machineId: 'm1',
          title: 'Suspicious PowerShell',
          severity: 'High',
          status: 'New',
        } as Alert,
      ],
      ctx,
    ).batch,
  );
  await store.finishRun({ outcome: 'ok', summary: {} });
  await store.close();
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('mde-car search', () => {
  it('prints a readable block per asset with the risk explained factor by factor', async () => {
    const run = await runSearch('ip', '::ffff:10.0.0.5', '--db', dbPath);
    expect(run.code).toBe(EXIT.OK);
    expect(run.stdout).toContain('IP address 10.0.0.5 (asked as "::ffff:10.0.0.5")');
    expect(run.stdout).toContain('Current holders: 1');
    expect(run.stdout).toContain('desktop-01.contoso.com');
    expect(run.stdout).toContain('risk:        7.5/10 (high)');
    expect(run.stdout).toContain('Defender rates the machine risk Medium: 4 points.');
    expect(run.stdout).toContain('open alerts: Suspicious PowerShell (High)');
    expect(run.stdout).toContain('MACs:        02:aa:bb:00:00:01');
    expect(run.stdout).toContain('Past holders: 0');
  });

  it('prints the search result as JSON with --json', async () => {
    const run = await runSearch('mac', '02-AA-BB-00-00-01', '--db', dbPath, '--json');
    expect(run.code).toBe(EXIT.OK);
    const result = JSON.parse(run.stdout) as SearchResult;
    expect(result).toMatchObject({ kind: 'mac', canonical: '02:aa:bb:00:00:01', past: [] });
    expect(result.current[0]!.asset).toMatchObject({ externalId: 'm1', risk: { score: 7.5 } });
  });

  it('finds a host by its short name', async () => {
    const run = await runSearch('host', 'DESKTOP-01', '--db', dbPath, '--json');
    expect((JSON.parse(run.stdout) as SearchResult).current).toHaveLength(1);
  });

  it('exits 2 with a clear message for malformed input, without a stack trace', async () => {
    const run = await runSearch('ip', '10.0.0.300', '--db', dbPath);
    expect(run.code).toBe(EXIT.BAD_PARAMETERS);
    expect(run.error).toBe(
      '"10.0.0.300" is not an IP address; give IPv4 like 10.0.0.5 or IPv6 like 2001:db8::5',
    );
    expect(run.stdout).toBe('');
  });

  it('exits 2 for an unknown search kind', async () => {
    expect((await runSearch('port', '80', '--db', dbPath)).code).toBe(EXIT.BAD_PARAMETERS);
  });

  it('says to run a sync first when the database is missing, and does not create it', async () => {
    const missing = join(dir, 'none', 'mde-car.db');
    const run = await runSearch('ip', '10.0.0.5', '--db', missing);
    expect(run.code).toBe(EXIT.GENERAL_FAILURE);
    expect(run.error).toContain('run a sync first');
    expect(existsSync(missing)).toBe(false);
  });
});
