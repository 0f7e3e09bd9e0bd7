// GraphiQL in Chromium with every other origin unreachable (as on an air-gapped install): the page
// at /graphql renders its editor from the server's own assets, under the page's own policy, and
// asks nothing of any other origin.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '@pulso/widgets/measure/chromium.ts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openMigratedPGliteFolder } from '@pulso/database/testing';
import { freePort, startServer, type ServerProcess } from './support/server-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'pulso-graphiql-'));
let server: ServerProcess;
let browser: Browser;

beforeAll(async () => {
  // GraphiQL needs a server, not data: a migrated folder and no demo (a first start's initdb,
  // migrations and demo seeding cost about ten seconds of CPU and prove nothing here).
  await (await openMigratedPGliteFolder(join(dir, 'data'))).close();
  server = await startServer({
    PULSO_DATA_DIR: join(dir, 'data'),
    PORT: String(await freePort()),
    PULSO_SEED_DEMO: 'false',
  });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  if (server && server.child.exitCode === null) await server.stop('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

it('renders its editor offline, from the server alone, under its policy', async () => {
  const page = await browser.newPage();
  const problems: string[] = [];
  const elsewhere: string[] = [];
  page.on('pageerror', (error) => problems.push(String(error)));
  page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
  // Anything not from the server fails, as it would without internet access.
  const origin = new URL(server.url).origin;
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    elsewhere.push(url);
    return route.abort('internetdisconnected');
  });
  const response = await page.goto(`${server.url}/graphql`);
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
  // The query editor, with the default query in it (Monaco renders its lines as text).
  await page.locator('.graphiql-container .monaco-editor').first().waitFor({ timeout: 30_000 });
  await expect.poll(() => page.locator('body').textContent(), { timeout: 15_000 }).toContain('customers');
  expect(elsewhere).toEqual([]);
  expect(problems).toEqual([]);
});
