// The demo at `/`, in Chromium, as a visitor sees it: rating the customer on the mock product page
// moves that customer's gauge on the mock portal, live, without a reload.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { openMigratedPGliteFolder } from '@pulso/database/testing';
import { launchChromium } from '@pulso/widgets/measure/chromium.ts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_SECRET_KEY, freePort, startServer, type ServerProcess } from './support/server-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'pulso-demo-page-'));
let server: ServerProcess;
let browser: Browser;

beforeAll(async () => {
  // A folder a first start already migrated: that start itself is server-lifecycle.test.ts's.
  await (await openMigratedPGliteFolder(join(dir, 'data'))).close();
  server = await startServer({
    PULSO_DATA_DIR: join(dir, 'data'),
    PORT: String(await freePort()),
    PULSO_DEMO_SECRET_KEY: DEMO_SECRET_KEY,
  });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  if (server && server.child.exitCode === null) await server.stop('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

it('moves the gauge live when the customer rates on the product page', async () => {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(String(error)));
  page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
  // Every layout shift of the load: the widgets reserve their final layout while loading.
  await page.addInitScript(
    `window.__shifts = []; new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__shifts.push(e.value); }).observe({ type: 'layout-shift', buffered: true });`,
  );
  await page.goto(`${server.url}/`);
  const meter = page.locator('pulso-gauge').getByRole('meter');
  await expect.poll(() => meter.getAttribute('aria-valuenow'), { timeout: 15_000 }).not.toBeNull();
  await page.locator('pulso-at-risk').getByRole('listitem').first().waitFor({ timeout: 15_000 });
  expect(await page.evaluate('window.__shifts')).toEqual([]);
  await expectGaugeToFallOnRating(page, meter);
  expect(problems).toEqual([]);
});

it("goes live once the live connection's chunk loads, after failing to at first (as built)", async () => {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(String(error)));
  // The chunk, as the build names it (pulso-live-<hash>.js), unreachable for its first two requests:
  // the first load and the first retry. A retry must ask under a URL of its own (live-controller.ts).
  const asked = await failFirstRequests(page, '**/widgets/pulso-live-*', 2);
  await page.goto(`${server.url}/`);
  const gauge = page.locator('pulso-gauge');
  const meter = gauge.getByRole('meter');
  await expect.poll(() => meter.getAttribute('aria-valuenow'), { timeout: 15_000 }).not.toBeNull();
  await gauge.getByText(/out of date/i).waitFor({ timeout: 10_000 });
  // Loaded at the second retry (2 s, then 4 s after the failures): the notice goes.
  await expect.poll(() => gauge.getByText(/out of date/i).count(), { timeout: 20_000 }).toBe(0);
  expect(asked).toEqual(['', '?retry=1', '?retry=2']);

  // And live: a rating moves the gauge with no reload.
  await expectGaugeToFallOnRating(page, meter);
  expect(problems).toEqual([]);
});

it('speaks its language once its chunk loads, after failing to at first (as built)', async () => {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(String(error)));
  // The demo page in Spanish: its widgets follow the document's language.
  await page.route(`${server.url}/`, async (route) => {
    const response = await route.fetch();
    const body = (await response.text()).replace('<html lang="en">', '<html lang="es">');
    await route.fulfill({ response, body });
  });
  // The portal widgets' Spanish chunk, as the build names it, unreachable for its first request; a
  // retry must ask under a URL of its own (portal-messages.ts).
  const asked = await failFirstRequests(page, '**/widgets/pulso-portal-messages-es-*', 1);
  await page.goto(`${server.url}/`);
  const gauge = page.locator('pulso-gauge');
  const meter = gauge.getByRole('meter');
  await expect.poll(() => meter.getAttribute('aria-valuenow'), { timeout: 15_000 }).not.toBeNull();
  // Spanish once the retry (2 s after the failure) brings the chunk, with no reload.
  const heading = page.locator('pulso-at-risk').getByRole('heading');
  await expect.poll(() => heading.textContent(), { timeout: 15_000 }).toBe('Clientes en riesgo');
  expect(await gauge.getByText('Por categoría', { exact: true }).count()).toBe(1);
  expect(asked).toEqual(['', '?retry=1']);
  expect(problems).toEqual([]);
});

/**
 * Makes the page's first `failures` requests to `pattern` fail as if offline, and lets the later
 * ones through. Returns each request's query string (`''`, `?retry=1`, …) as they come.
 */
async function failFirstRequests(page: Page, pattern: string, failures: number): Promise<string[]> {
  const asked: string[] = [];
  await page.route(pattern, async (route) => {
    asked.push(new URL(route.request().url()).search);
    if (asked.length <= failures) await route.abort('internetdisconnected');
    else await route.continue();
  });
  return asked;
}

/**
 * Rates "I wasted my time" on the demo's product page and waits for the portal's gauge to fall,
 * live (no reload).
 */
async function expectGaugeToFallOnRating(page: Page, meter: Locator): Promise<void> {
  const before = Number(await meter.getAttribute('aria-valuenow'));
  await page
    .locator('pulso-rating')
    .getByRole('radio', { name: /wasted my time/i })
    .click();
  const skip = page.locator('pulso-rating').getByRole('button', { name: /no thanks/i });
  const thanks = page.locator('pulso-rating').getByText(/thank you/i);
  // The demo's rating offers a comment: its form comes in a chunk fetched at the click, then "No thanks".
  await skip.or(thanks).first().waitFor({ timeout: 10_000 });
  if (await skip.count()) await skip.click();
  await thanks.waitFor({ timeout: 10_000 });
  await expect
    .poll(async () => Number(await meter.getAttribute('aria-valuenow')), { timeout: 15_000 })
    .toBeLessThan(before);
}
