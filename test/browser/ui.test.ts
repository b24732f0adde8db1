/**
 * The web UI in Debian's Chromium (playwright-core, no browser download): a person signs in,
 * is told why a bad connection name is refused, adds the connection and a configuration for a
 * simulator this test starts, watches the status go from unavailable to connected, and finds
 * an IP's asset and its risk in the Data Explorer. Set MDE_CAR_SCREENSHOT=<path> to save a
 * screenshot of the Data Explorer (docs/ui.png is made this way).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.ts';
import { checkWithDefender, syncIntoEmbeddedStore } from '../../src/runner/default-jobs.ts';
import { Runner } from '../../src/runner/runner.ts';
import { buildServer } from '../../src/server/app.ts';
import { listen, type Listening } from '../../src/server/listen.ts';
import { embeddedSearch } from '../../src/server/search-provider.ts';
import { allowedHostsFor } from '../../src/server/security.ts';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.ts';
import { openEmbeddedStore } from '../../src/targets/embedded/index.ts';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(
    `browser tests skipped: ${CHROMIUM} is missing (install it with: apt-get install -y chromium)`,
  );
}
const TOKEN = 'browser-test-token-0123456789abcdefghijklmnop';

describe.skipIf(!hasChromium)('web UI', () => {
  let dir: string;
  let sim: RunningSimulator;
  let runner: Runner;
  let listening: Listening;
  let search: ReturnType<typeof embeddedSearch>;
  let browser: Browser;
  let page: Page;
  // The first sync waits for this gate, so the test can see "unavailable" before "connected".
  let openGate: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (openGate = resolve));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mde-car-browser-'));
    sim = await startSimulator({ port: 0, seed: 11, machines: 25 });
    sim.writeCaFile(join(dir, 'sim-ca.pem'));
    const logger = silentLogger();
    runner = new Runner({
      dataDir: dir,
      graphDbPath: join(dir, 'graph.db'),
      secretKey: Buffer.alloc(32, 5),
      logger,
      sync: async (input) => {
        await gate;
        return syncIntoEmbeddedStore(input);
      },
      check: checkWithDefender,
    });
    runner.start();
    search = embeddedSearch(join(dir, 'graph.db'), logger);
    const built = buildServer({
      runner,
      logger,
      token: TOKEN,
      search: search.search,
      allowedHosts: allowedHostsFor('127.0.0.1'),
    });
    listening = await listen(built, { host: '127.0.0.1', port: 0 });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(15_000);
  });

  afterAll(async () => {
    openGate();
    await browser?.close();
    await listening?.close();
    await runner?.stop();
    await search?.close();
    await sim?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('signs in with the API token through the sign-in form', async () => {
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(String(err)));
    await page.goto(`${listening.url}/#connections`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('API token', { exact: true }).fill('wrong-token');
    await page.getByRole('dialog').getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('#token-error').textContent()).toContain('not right');

    await page.getByLabel('API token', { exact: true }).fill(TOKEN);
    await page.getByRole('dialog').getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('#session-state').textContent()).toBe('Signed in');
    expect(pageErrors).toEqual([]);
  });

  it('shows the rule beside the name field when a connection name is invalid', async () => {
    await page.getByRole('button', { name: 'New connection' }).click();
    await page.locator('#connection-form').getByLabel('Name', { exact: true }).fill('bad name!');
    await page.getByRole('button', { name: 'Save connection' }).click();
    const error = page.locator('#connection-name-error');
    await expect.poll(() => error.textContent()).toContain('"bad name!" is not allowed');
    expect(await error.textContent()).toContain("letters, digits, '-', '.' and '_'");
    expect(
      await page
        .locator('#connection-form')
        .getByLabel('Name', { exact: true })
        .getAttribute('aria-invalid'),
    ).toBe('true');
  });

  it('adds the connection and a configuration, and the status goes from unavailable to connected', async () => {
    await page.locator('#connection-form').getByLabel('Name', { exact: true }).fill('sim-lab');
    await page.locator('#connection-form').getByLabel('Frequency (minutes)').fill('30');
    await page.getByRole('button', { name: 'Save connection' }).click();
    const card = page.locator('article[data-connection="sim-lab"]');
    await card.waitFor();

    await card.getByRole('button', { name: 'Add configuration' }).click();
    const form = page.locator('#configuration-form');
    await form.getByLabel('Name', { exact: true }).fill('lab-tenant');
    await form.getByLabel('Tenant ID').fill(sim.tenantId);
    await form.getByLabel('Client ID').fill(sim.clientId);
    await form.getByLabel('Client secret').fill(sim.clientSecret);
    await form.getByLabel('Cloud').selectOption('custom');
    await form.getByLabel('Login URL').fill(sim.url);
    await form.getByLabel('Defender API URL').fill(sim.url);
    await form.getByLabel('Graph URL (optional)').fill(sim.url);
    await form
      .getByLabel('API token scope (optional)')
      .fill('https://api.securitycenter.microsoft.com/.default');
    await form
      .getByLabel('Graph token scope (optional)')
      .fill('https://graph.microsoft.com/.default');
    await form.getByLabel('Extra CA file (optional)').fill(join(dir, 'sim-ca.pem'));
    await page.getByRole('button', { name: 'Save configuration' }).click();

    const badge = card.locator('[data-testid="connection-status"]');
    await expect.poll(() => badge.textContent()).toBe('unavailable');
    openGate();
    await expect
      .poll(() => badge.textContent(), { timeout: 60_000, interval: 250 })
      .toBe('connected');
    expect(await page.content()).not.toContain(sim.clientSecret);
  });

  it('offers the stored secret as write-only when a configuration is edited', async () => {
    const row = page.locator('tr[data-configuration="lab-tenant"]');
    await row.getByRole('button', { name: 'Edit' }).click();
    const secret = page.locator('#configuration-clientSecret');
    expect(await secret.inputValue()).toBe('');
    expect(await secret.getAttribute('placeholder')).toBe('stored — leave empty to keep');
    await page.locator('#configuration-form').getByRole('button', { name: 'Cancel' }).click();
  });

  it('finds the asset behind an IP address with its risk explained factor by factor', async () => {
    const store = openEmbeddedStore({
      path: join(dir, 'graph.db'),
      logger: silentLogger(),
      readonly: true,
    });
    const ip = store.listVertices('ipaddress', 'sim-lab').find((v) => /^10\./.test(v.id))?.id;
    await store.close();
    expect(ip).toBeDefined();

    await page.getByRole('link', { name: 'Data Explorer' }).click();
    await page.getByLabel('Search by').selectOption('ip');
    await page.getByLabel('Value to search for').fill(ip ?? '');
    await page.getByLabel('Value to search for').press('Enter');
    const asset = page.locator('.asset-card').first();
    await asset.waitFor();
    expect(
      await asset
        .locator('dd')
        .filter({ hasText: ip ?? '' })
        .count(),
    ).toBeGreaterThan(0);
    expect(await asset.locator('[data-testid="risk-score"]').textContent()).toMatch(
      /^(\d+\.\d|\?)$/,
    );
    expect(await asset.locator('tr.risk-factor').count()).toBeGreaterThan(0);

    const screenshot = process.env.MDE_CAR_SCREENSHOT;
    if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
  });

  it('shows the run with its counts in the run history', async () => {
    await page.getByRole('link', { name: 'Run history' }).click();
    const row = page.locator('#run-list tr[data-outcome="ok"]').first();
    await row.waitFor();
    expect(await row.textContent()).toContain('sim-lab / lab-tenant');
  });
});
