// @pulso/widgets and @pulso/tokens as a company uses them (issue 17, item 9), against a real Pulso
// server (the compiled one, its own process) in Chromium, every page served by a site on another
// origin with the Content-Security-Policy the widgets README recommends:
// - the READMEs' snippets, as written (only the placeholders each README lists are replaced): the
//   page snippets (the script tag in the head, one snippet as the body, the README's scripts as
//   the site's files) must show their widget or fire their event; the framework snippets are the
//   sources of the projects below; the tokens README's Node and Python snippets sign tokens Pulso
//   accepts. support/readme-snippets.ts refuses a code block that says no test runs it.
// - the packed packages: `pnpm pack` makes the tarballs a publish would upload; React 19, Vue 3 and
//   plain-HTML projects built with Vite install the widgets' tarball by file path (offline: see
//   support/packed-consumers.ts), a Node project the tokens' one. Each is type-checked with tsc
//   (the React one against every attribute and event of the custom elements manifest), built with
//   Vite and opened: the gauge shows a live score, a rating moves it, nothing is blocked.
// Nothing may be blocked by the CSP, logged as an error or thrown. One server for both halves: it
// takes most of the file's time to start (seeding the demo workspace, on a folder migrated from the template).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signCustomerToken, signViewToken, verifyCustomerToken } from '@pulso/tokens';
import { AT_RISK_QUERY, GAUGE_QUERY } from '@pulso/widgets/documents';
import { launchChromium, serveSite, watch, type Site } from './support/embedding-site.ts';
import { openMigratedDatabase } from './support/migrated-database.ts';
import { CONSUMERS, exportTargets, manifestTypeChecks } from './support/consumer-projects.ts';
import { installConsumers, packPackages, runTool, type Tarball } from './support/packed-consumers.ts';
import { fill, readPlaceholders, readSnippets, snippetsFor, type Snippet } from './support/readme-snippets.ts';
import {
  DEMO_PUBLISHABLE_KEY,
  DEMO_SECRET_KEY,
  freePort,
  graphql,
  repoRoot,
  startServer,
  type ServerProcess,
} from './support/server-process.ts';

const WIDGETS_README = 'packages/widgets/README.md';
const TOKENS_README = 'packages/tokens/README.md';
/** Exports of the workspace's manifest that stay in the repository (its tests and benchmarks use them). */
const WORKSPACE_ONLY_EXPORTS = ['./documents', './measure/*'];
/**
 * The external id the first at-risk customer is given: every character that means something in a
 * URL path, so the navigation snippet leads to the right page only if it encodes the id.
 */
const AWKWARD_ID = 'acme/eu #7?plan=a&b';

const dir = mkdtempSync(join(tmpdir(), 'pulso-widgets-package-'));
const execFileAsync = promisify(execFile);
let server: ServerProcess;
let browser: Browser;
let tarballs: Tarball[];
let secret: string;
let workspaceId: string;
/** Demo customers with a score, highest first: each project rates its own. */
let customers: string[];
const sites: Site[] = [];

beforeAll(async () => {
  const port = await freePort();
  // A folder already migrated (from the template): the first start's migrations prove nothing here.
  await (await openMigratedDatabase({ kind: 'pglite', dataDir: join(dir, 'data') })).close();
  const started = startServer({
    PULSO_DATA_DIR: join(dir, 'data'),
    PORT: String(port),
    PULSO_DEMO_SECRET_KEY: DEMO_SECRET_KEY,
    PULSO_DEMO_PUBLISHABLE_KEY: DEMO_PUBLISHABLE_KEY,
  });
  // Packing and installing go on while the server seeds its demo workspace.
  tarballs = await packPackages(dir, ['@pulso/widgets', '@pulso/tokens']);
  await installConsumers(dir, CONSUMERS, tarballs);
  [server, browser] = await Promise.all([started, launchChromium()]);
  const { body } = await graphql(
    server.url,
    '{ tokenSigningSecret workspace { id } customers(first: 100) { edges { node { externalId score } } } }',
  );
  secret = body.data.tokenSigningSecret;
  workspaceId = body.data.workspace.id;
  customers = (body.data.customers.edges as { node: { externalId: string; score: number | null } }[])
    .map((edge) => edge.node)
    .filter((customer) => customer.score !== null)
    .sort((a, b) => b.score! - a.score!)
    .map((customer) => customer.externalId);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  for (const site of sites) await site.close();
  if (server && server.child.exitCode === null) await server.stop('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

/** The widgets README's placeholders, filled for one customer of the running server. */
async function widgetValues(customer: string): Promise<Record<string, string>> {
  return {
    'https://pulso.example.com': server.url,
    'pulso_pk_...': DEMO_PUBLISHABLE_KEY,
    cus_42: customer,
    'eyJ...signed by your backend...': await signCustomerToken({ secret, externalId: customer }),
    'eyJ...view token for cus_42...': await signViewToken({
      secret,
      workspaceId,
      grant: { kind: 'customer', externalId: customer },
      expiresInSeconds: 3600,
    }),
    'eyJ...at-risk view token...': await signViewToken({
      secret,
      workspaceId,
      grant: { kind: 'at_risk' },
      expiresInSeconds: 3600,
    }),
  };
}

/** Writes a project's README snippets (test=<project>) into it, placeholders filled. */
function writeSnippets(project: string, values: Record<string, string>): Snippet[] {
  const snippets = snippetsFor(readSnippets(WIDGETS_README), project);
  const listed = readPlaceholders(WIDGETS_README);
  for (const snippet of snippets) {
    if (!snippet.attributes.path) throw new Error(`${WIDGETS_README}:${snippet.line}: test=${project} needs path=`);
    writeFileSync(join(dir, project, snippet.attributes.path), fill(snippet, values, listed));
  }
  return snippets;
}

/** The README's recommended policy, for a site on another origin than the Pulso server. */
function readmeCsp(): string {
  const [snippet] = snippetsFor(readSnippets(WIDGETS_README), 'csp');
  const header = fill(snippet!, { 'https://pulso.example.com': server.url }, readPlaceholders(WIDGETS_README)).trim();
  expect(header).toMatch(/^Content-Security-Policy: /);
  return header.replace(/^Content-Security-Policy: /, '');
}

async function serveBuild(project: string, csp: string): Promise<Site> {
  const site = await serveSite({ csp, root: join(dir, project, 'dist') });
  sites.push(site);
  return site;
}

/** Opens a build, waits for a live gauge; with `rate`, rates and waits for the gauge to move. */
async function openBuild(site: Site, rate?: RegExp) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const watched = await watch(page);
  try {
    // The gauge's live stream (the page's one `liveViews` subscription) answered: a rating made
    // before it is open would change the score with nobody listening.
    const streamOpen = page.waitForResponse((response) => /liveViews/.test(response.request().postData() ?? ''), {
      timeout: 20_000,
    });
    await page.goto(site.url);
    const meter = page.locator('pulso-gauge').getByRole('meter');
    await expect.poll(() => meter.getAttribute('aria-valuenow'), { timeout: 20_000 }).not.toBeNull();
    const before = Number(await meter.getAttribute('aria-valuenow'));
    await streamOpen;
    if (rate) {
      await page.locator('pulso-rating').getByRole('radio', { name: rate }).click();
      await page
        .locator('pulso-rating')
        .getByText(/thank you/i)
        .waitFor({ timeout: 10_000 });
      // Live: the rating reaches the gauge over its stream, without a reload.
      await expect
        .poll(async () => Number(await meter.getAttribute('aria-valuenow')), { timeout: 15_000 })
        .not.toBe(before);
    }
    return watched;
  } finally {
    await context.close();
  }
}

describe('the widgets README, as written, in pages under its own CSP', () => {
  let site: Site;
  /** Requests the site's backend answered (the token refresh snippet's). */
  const backendCalls: string[] = [];
  let atRiskName: string;
  const snippets = readSnippets(WIDGETS_README);
  const placeholders = readPlaceholders(WIDGETS_README);

  /** What each page snippet must do, by its id; a page snippet without an entry fails the suite. */
  const EXPECTATIONS: Record<string, (page: Page, logs: string[]) => Promise<void>> = {
    async rating(page, logs) {
      const rating = page.locator('pulso-rating');
      await rating.getByRole('radio', { name: /I liked it/i }).click();
      // `comment`: the rating is sent with the optional comment, or without it.
      await rating.getByRole('textbox', { name: /tell us more/i }).fill('Clear and short.');
      await rating.getByRole('button', { name: /send/i }).click();
      // The README's /js/pulso-rated.js logs the event's rating and delivery.
      await expect.poll(() => logs, { timeout: 10_000 }).toContain('LIKED sent');
    },
    async gauge(page) {
      const meter = page.locator('pulso-gauge').getByRole('meter');
      await expect.poll(() => meter.getAttribute('aria-valuenow'), { timeout: 15_000 }).toMatch(/^\d/);
    },
    async 'at-risk'(page) {
      await page.locator('pulso-at-risk').getByRole('button', { name: atRiskName }).click();
      // The README's /js/pulso-select.js opens the customer's page, the id encoded.
      await page.waitForURL((url) => url.pathname.startsWith('/customers/'), { timeout: 10_000 });
      expect(new URL(page.url()).pathname).toBe(`/customers/${encodeURIComponent(AWKWARD_ID)}`);
    },
    async 'token-refresh'(page) {
      const meter = page.locator('pulso-gauge').getByRole('meter');
      await expect.poll(() => meter.getAttribute('aria-valuenow'), { timeout: 15_000 }).toMatch(/^\d/);
      // The token expires 4 s after signing: the widget asks a second before, the README's
      // /js/pulso-token.js asks the site's backend, and the gauge goes on with the new token.
      await expect
        .poll(() => backendCalls, { timeout: 10_000 })
        .toContainEqual(expect.stringMatching(/^\/pulso\/view-token\?customer=/));
      await page.waitForTimeout(2_000);
      expect(await page.locator('pulso-gauge').getByRole('alert').count()).toBe(0);
      expect(await meter.getAttribute('aria-valuenow')).toMatch(/^\d/);
    },
    async 'rating-token-refresh'(page) {
      const before = await microRatings(customers[3]!);
      // The page's customer token expired a minute ago: Pulso refuses it, the rating is kept, the
      // README's /js/pulso-customer-token.js asks the site's backend, and the rating goes with its answer.
      await page
        .locator('pulso-rating')
        .getByRole('radio', { name: /I liked it/i })
        .click();
      await expect
        .poll(() => backendCalls, { timeout: 10_000 })
        .toContainEqual(`/pulso/customer-token?customer=${encodeURIComponent(customers[3]!)}`);
      await expect.poll(() => microRatings(customers[3]!), { timeout: 10_000 }).toBe(before + 1);
      expect(await page.locator('pulso-rating').getByRole('alert').count()).toBe(0);
    },
  };

  /** How many micro-ratings the server holds for a customer. */
  const microRatings = async (externalId: string) => {
    const { body } = await graphql(
      server.url,
      'query ($id: String!) { customer(externalId: $id) { interactions(first: 100, filter: { typeKeys: ["micro_rating"] }) { edges { node { id } } } } }',
      DEMO_SECRET_KEY,
      { id: externalId },
    );
    return body.data.customer.interactions.edges.length as number;
  };

  beforeAll(async () => {
    // The first at-risk customer gets an id that only an encoded URL path carries whole.
    const { body } = await graphql(server.url, '{ atRiskCustomers(first: 1) { customer { externalId name } } }');
    const first = body.data.atRiskCustomers[0].customer as { externalId: string; name: string };
    atRiskName = first.name;
    const renamed = await graphql(
      server.url,
      'mutation ($from: String!, $to: String!) { updateCustomer(externalId: $from, patch: { externalId: $to }) { __typename } }',
      DEMO_SECRET_KEY,
      { from: first.externalId, to: AWKWARD_ID },
    );
    expect(renamed.body.data.updateCustomer.__typename).not.toMatch(/Error/);
    // A customer of its own, so the packages' tests below see their own customers' scores move.
    const customer = customers[3]!;
    const values = async (pageId: string) => ({
      ...(await widgetValues(customer)),
      // The rating's token refresh page starts with a customer token expired a minute ago.
      ...(pageId === 'rating-token-refresh'
        ? {
            'eyJ...signed by your backend...': await signCustomerToken({
              secret,
              externalId: customer,
              expiresInSeconds: 60,
              now: new Date(Date.now() - 120_000),
            }),
          }
        : {}),
      // The token refresh page starts with a token about to expire, so that the widget asks for another.
      ...(pageId === 'token-refresh'
        ? {
            'eyJ...view token for cus_42...': await signViewToken({
              secret,
              workspaceId,
              grant: { kind: 'customer', externalId: customer },
              expiresInSeconds: 4,
            }),
          }
        : {}),
    });

    const [head] = snippetsFor(snippets, 'head');
    const files: Record<string, string> = {};
    for (const snippet of snippetsFor(snippets, 'site'))
      files[snippet.attributes.path!] = fill(snippet, await values(''), placeholders);
    site = await serveSite({
      csp: readmeCsp(),
      files,
      backend: async (request, response) => {
        const url = new URL(request.url ?? '/', 'http://site');
        if (url.pathname === '/pulso/customer-token') {
          backendCalls.push(request.url!);
          response.writeHead(200, { 'content-type': 'text/plain' });
          response.end(await signCustomerToken({ secret, externalId: url.searchParams.get('customer')! }));
          return true;
        }
        if (url.pathname === '/pulso/view-token') {
          backendCalls.push(request.url!);
          const externalId = url.searchParams.get('customer');
          response.writeHead(200, { 'content-type': 'text/plain' });
          response.end(
            await signViewToken({
              secret,
              workspaceId,
              grant: externalId ? { kind: 'customer', externalId } : { kind: 'at_risk' },
            }),
          );
          return true;
        }
        const id = /^\/page\/([\w-]+)$/.exec(url.pathname)?.[1];
        const snippet = snippetsFor(snippets, 'page').find((s) => s.attributes.id === id);
        if (!snippet) return false;
        // Made per request: tokens signed when the page is served, as a backend does.
        const filled = await values(id!);
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        response.end(
          `<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>${id}</title>\n${fill(head!, filled, placeholders)}</head>\n<body>\n${fill(snippet, filled, placeholders)}</body>\n</html>\n`,
        );
        return true;
      },
    });
    sites.push(site);
  });

  it('has a test for every page snippet, every script file it shows is loaded by one, no inline script', () => {
    const pages = snippetsFor(snippets, 'page');
    expect(pages.map((s) => s.attributes.id).sort()).toEqual(Object.keys(EXPECTATIONS).sort());
    for (const file of snippetsFor(snippets, 'site'))
      expect(
        pages.some((page) => page.code.includes(`src="${file.attributes.path}"`)),
        `${WIDGETS_README}:${file.line}`,
      ).toBe(true);
    for (const snippet of [...pages, ...snippetsFor(snippets, 'head')])
      expect(snippet.code, `${WIDGETS_README}:${snippet.line}`).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(readmeCsp()).toMatch(/script-src 'self' /);
    expect(readmeCsp()).not.toMatch(/unsafe-inline|unsafe-eval/);
  });

  for (const snippet of snippetsFor(snippets, 'page'))
    it(`page "${snippet.attributes.id}" (README line ${snippet.line}) works, nothing blocked`, async () => {
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        const { problems, logs } = await watch(page);
        await page.goto(`${site.url}/page/${snippet.attributes.id}`);
        await EXPECTATIONS[snippet.attributes.id!]!(page, logs);
        expect(problems).toEqual([]);
      } finally {
        await context.close();
      }
    });
});

describe('the packed packages', () => {
  it('are what npm needs: ESM, types, the custom elements manifest, README, LICENSE, no workspace paths', () => {
    const widgets = tarballs.find((t) => t.name === '@pulso/widgets')!;
    const tokens = tarballs.find((t) => t.name === '@pulso/tokens')!;
    const workspace = JSON.parse(readFileSync(join(repoRoot, 'packages/widgets/package.json'), 'utf8'));
    for (const tarball of [widgets, tokens]) {
      expect(tarball.files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE']));
      expect(tarball.manifest.private).toBeUndefined();
      expect(tarball.manifest.type).toBe('module');
      expect(tarball.manifest.license).toBe('MIT');
      // pnpm replaced workspace: and catalog: with versions; nothing points at sources.
      expect(JSON.stringify(tarball.manifest.dependencies)).not.toMatch(/workspace:|catalog:|link:|file:/);
      expect(tarball.files.filter((f) => /^(src|measure|test)\//.test(f) || f.endsWith('.test.js'))).toEqual([]);
      // Every target of every export is in the tarball.
      for (const target of exportTargets(tarball.manifest.exports))
        expect(tarball.files, `${tarball.name} exports ${target}`).toContain(target.replace(/^\.\//, ''));
    }
    // The published exports are the workspace's, less the workspace-only ones: a subpath added to
    // `exports` must be added to `publishConfig.exports` too.
    expect(Object.keys(widgets.manifest.exports as object).sort()).toEqual(
      Object.keys(workspace.exports)
        .filter((key) => !WORKSPACE_ONLY_EXPORTS.includes(key))
        .sort(),
    );
    expect(widgets.manifest.customElements).toBe('dist/custom-elements.json');
    expect(widgets.files).toContain('dist/custom-elements.json');
    expect(widgets.manifest.sideEffects).toBe(true);
    expect(Object.keys(widgets.manifest.dependencies ?? {})).toEqual(['lit']);
    expect(Object.keys(tokens.manifest.dependencies ?? {})).toEqual(['fast-jwt', 'jose']);
    expect(tokens.files).toEqual(expect.arrayContaining(['dist/index.js', 'dist/index.d.ts']));
  });
});

describe('@pulso/widgets installed from its tarball', () => {
  it('React 19: type-checks every attribute and event of the manifest, builds, renders live under the CSP', async () => {
    writeSnippets('react', await widgetValues(customers[0]!));
    writeFileSync(
      join(dir, 'react', 'src', 'manifest-types.tsx'),
      manifestTypeChecks(join(dir, 'react', 'node_modules', '@pulso', 'widgets', 'dist', 'custom-elements.json')),
    );
    await runTool(join(dir, 'react'), 'tsc', ['-p', '.']);
    await runTool(join(dir, 'react'), 'vite', ['build', '--logLevel', 'warn']);
    const { problems, logs } = await openBuild(await serveBuild('react', readmeCsp()), /didn't like it/i);
    expect(problems).toEqual([]);
    // The README's `onpulso-rated` handler ran.
    expect(logs).toContain('rated DISLIKED');
  });

  it('Vue 3: type-checks, builds with isCustomElement, renders live under the CSP with its trusted-types policy', async () => {
    writeSnippets('vue', await widgetValues(customers[1]!));
    await runTool(join(dir, 'vue'), 'tsc', ['-p', '.']);
    const build = await runTool(join(dir, 'vue'), 'vite', ['build', '--logLevel', 'warn']);
    expect(build).not.toMatch(/Failed to resolve component/);
    // The README tells Vue sites to add Vue's policy: without it, that is the one violation.
    const readme = readFileSync(join(repoRoot, WIDGETS_README), 'utf8');
    expect(readme).toContain('`trusted-types pulso vue`');
    const csp = readmeCsp();
    const withVue = await openBuild(
      await serveBuild('vue', csp.replace('trusted-types pulso', 'trusted-types pulso vue')),
      /didn't like it/i,
    );
    expect(withVue.problems).toEqual([]);
    expect(withVue.logs).toContain('rated DISLIKED');
    const without = await openBuild(await serveBuild('vue', csp));
    expect(without.problems.length).toBeGreaterThan(0);
    for (const problem of without.problems) expect(problem).toMatch(/vue/);
  });

  it('plain HTML with Vite: builds and renders under the CSP', async () => {
    writeSnippets('html', await widgetValues(customers[2]!));
    await runTool(join(dir, 'html'), 'vite', ['build', '--logLevel', 'warn']);
    const { problems } = await openBuild(await serveBuild('html', readmeCsp()));
    expect(problems).toEqual([]);
  });

  it("plain HTML with Vite, importing the rating's entry before @pulso/widgets: the gauge still renders, one policy", async () => {
    // The rating's entry (its core) runs first and claims the page; @pulso/widgets then defines the
    // gauge through its own entry, a chunk of this build, instead of with its second copy of Lit,
    // whose second `pulso` policy the CSP would refuse.
    writeSnippets('html', await widgetValues(customers[2]!));
    writeFileSync(join(dir, 'html', 'main.js'), "import '@pulso/widgets/rating';\nimport '@pulso/widgets';\n");
    await runTool(join(dir, 'html'), 'vite', ['build', '--logLevel', 'warn']);
    const { problems } = await openBuild(await serveBuild('html', readmeCsp()));
    expect(problems).toEqual([]);
  });
});

describe('@pulso/tokens installed from its tarball', () => {
  it("signs, with the README's Node snippet as written, tokens a real Pulso server accepts", async () => {
    const customer = customers[0]!;
    const [snippet] = snippetsFor(readSnippets(TOKENS_README), 'node');
    writeFileSync(
      join(dir, 'node', snippet!.attributes.path!),
      fill(snippet!, { cus_42: customer }, readPlaceholders(TOKENS_README)),
    );
    // The harness: imports the compiled snippet and prints what it exports.
    writeFileSync(
      join(dir, 'node', 'print.mjs'),
      "const tokens = await import('./dist/tokens.js');\nprocess.stdout.write(JSON.stringify(tokens));\n",
    );
    await runTool(join(dir, 'node'), 'tsc', ['-p', '.']);
    const { stdout } = await execFileAsync(process.execPath, ['print.mjs'], {
      cwd: join(dir, 'node'),
      env: { PATH: process.env.PATH ?? '', PULSO_TOKEN_SECRET: secret, PULSO_WORKSPACE_ID: workspaceId },
    });
    const tokens = JSON.parse(stdout) as { customerToken: string; gaugeToken: string; listToken: string };
    expect((await verifyCustomerToken(tokens.customerToken, secret)).externalId).toBe(customer);
    // What the gauge and the at-risk list ask, with these tokens.
    const gauge = await graphql(server.url, GAUGE_QUERY, tokens.gaugeToken, { externalId: customer });
    expect(gauge.body.errors).toBeUndefined();
    expect(gauge.body.data.customer.health.value).toEqual(expect.any(Number));
    const list = await graphql(server.url, AT_RISK_QUERY, tokens.listToken, { first: 1 });
    expect(list.body.errors).toBeUndefined();
    expect(list.body.data.atRiskCustomers).toHaveLength(1);
  });

  it("signs, with the README's Python snippet as written, a customer token Pulso verifies", async () => {
    const [snippet] = snippetsFor(readSnippets(TOKENS_README), 'python');
    // The snippet defines customer_token(); the harness's one added line calls it.
    const script = `${snippet!.code}\nimport sys\nprint(customer_token(sys.argv[1], sys.argv[2]))\n`;
    const { stdout } = await execFileAsync('python3', ['-c', script, secret, customers[0]!]);
    expect((await verifyCustomerToken(stdout.trim(), secret)).externalId).toBe(customers[0]);
  });
});
