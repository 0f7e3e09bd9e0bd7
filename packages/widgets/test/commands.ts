// Browser commands: what a test in the page cannot do itself, run in Node with Playwright.
import type { BrowserCommand } from 'vitest/node';
import type { Page, Route } from 'playwright';

export type Grant =
  | { kind: 'customer'; externalId: string }
  | { kind: 'at_risk' }
  | { kind: 'rate'; externalId: string };

/** The browser tests' Pulso server and what they read of it (test/global-setup.ts starts it). */
export interface PulsoFixture {
  /** The server's origin, e.g. http://127.0.0.1:43121. */
  url: string;
  secretKey: string;
  publishableKey: string;
  workspaceId: string;
  /** Demo customers, lowest score first. */
  customers: { id: string; externalId: string; name: string; score: number | null; band: string | null }[];
  /** The page on another origin with a strict CSP. */
  cspPageUrl: string;
  /** Whether the server lets view tokens read `customer` and `atRiskCustomers` (always, or the setup fails). */
  viewTokens: { customer: boolean; atRisk: boolean };
}
const FIXTURE = Symbol.for('pulso.widgets.fixture');
/** The global setup leaves a starter here: the first call starts the server, later ones share it. */
export function setFixtureStarter(start: (() => Promise<PulsoFixture>) | undefined): void {
  (globalThis as Record<symbol, unknown>)[FIXTURE] = start;
}
const pulsoFixture: BrowserCommand<[]> = async () => {
  const start = (globalThis as Record<symbol, (() => Promise<PulsoFixture>) | undefined>)[FIXTURE];
  if (!start) throw new Error('the global setup (test/global-setup.ts) has not run');
  return start();
};

/** What the global setup leaves for the commands (same process; the config cannot import workspace TypeScript). */
export interface TestSigner {
  sign(grant: Grant, expiresInSeconds?: number, issuedSecondsAgo?: number): Promise<string>;
}
const SIGNER = Symbol.for('pulso.widgets.test-signer');
export function setTestSigner(signer: TestSigner | undefined): void {
  (globalThis as Record<symbol, unknown>)[SIGNER] = signer;
}

/**
 * A second Pulso server over the same database, on a port of its own, that a test stops and starts
 * again (a restart: a new server, its connections dropped); the global setup provides it.
 */
export interface SpareServer {
  /** Starts the spare of that name (again, on the same port): resolves with its origin. */
  start(name: string): Promise<string>;
  /** Stops it, dropping every connection (live streams included) at once. */
  stop(name: string): Promise<void>;
}
const SPARE = Symbol.for('pulso.widgets.spare-server');
export function setSpareServer(spare: SpareServer | undefined): void {
  (globalThis as Record<symbol, unknown>)[SPARE] = spare;
}
/**
 * Spare servers have names: a test file uses its own, so that no other file's widgets share its
 * live connection (the widgets of one origin share one across frames and tabs).
 */
const spareServer: BrowserCommand<[action: 'start' | 'stop', name: string]> = async (_ctx, action, name) => {
  const spare = (globalThis as Record<symbol, SpareServer | undefined>)[SPARE];
  if (!spare) throw new Error('the global setup has not started the Pulso test server');
  return action === 'start' ? spare.start(name) : spare.stop(name).then(() => '');
};

/**
 * Signs a customer token (`rate`) or a view token, as a site's backend would (default lifetime unless
 * given); `issuedSecondsAgo` signs it as of that long ago (a token expired already, past the
 * server's clock tolerance, without waiting).
 */
const signToken: BrowserCommand<[grant: Grant, expiresInSeconds?: number, issuedSecondsAgo?: number]> = async (
  _ctx,
  grant,
  expiresInSeconds,
  issuedSecondsAgo,
) => {
  const signer = (globalThis as Record<symbol, TestSigner | undefined>)[SIGNER];
  if (!signer) throw new Error('the global setup has not started the Pulso test server');
  return signer.sign(grant, expiresInSeconds, issuedSecondsAgo);
};

/**
 * Makes the page's requests to a URL pattern fail as if the network were down (`offline`), or
 * answer 503 (`error`), or answer as graphql-yoga does when a resolver throws an unexpected error
 * (`masked`: 200 with the masked message and code INTERNAL_SERVER_ERROR, e.g. a database fault),
 * or pass again (`pass`). Returns how many requests were intercepted; `count` only returns that,
 * changing nothing.
 */
type NetworkMode = 'offline' | 'error' | 'masked' | 'pass' | 'count';
const MASKED_ERROR_BODY = JSON.stringify({
  errors: [
    {
      message: 'Unexpected error.',
      locations: [{ line: 1, column: 59 }],
      path: ['submitMicroRating'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    },
  ],
  data: null,
});
const interceptions = new Map<string, { count: number; handler: (route: Route) => Promise<void> }>();
const network: BrowserCommand<[pattern: string, mode: NetworkMode]> = async (ctx, pattern, mode) => {
  const previous = interceptions.get(pattern);
  if (mode === 'count') return previous?.count ?? 0;
  if (previous) {
    await ctx.page.unroute(pattern, previous.handler);
    interceptions.delete(pattern);
  }
  if (mode === 'pass') return previous?.count ?? 0;
  const entry = {
    count: 0,
    handler: async (route: Route) => {
      entry.count += 1;
      if (mode === 'offline') await route.abort('internetdisconnected');
      else if (mode === 'masked')
        await route.fulfill({
          status: 200,
          contentType: 'application/graphql-response+json',
          headers: { 'access-control-allow-origin': '*' },
          body: MASKED_ERROR_BODY,
        });
      else
        await route.fulfill({
          status: 503,
          contentType: 'application/json',
          headers: { 'access-control-allow-origin': '*' },
          body: '{"errors":[{"message":"Service unavailable"}]}',
        });
    },
  };
  interceptions.set(pattern, entry);
  await ctx.page.route(pattern, entry.handler);
  return previous?.count ?? 0;
};

/**
 * The visitor's operating-system colour preference (`prefers-color-scheme`), as Chromium emulates
 * it for the test page and its frames; null goes back to the browser's own (light here).
 */
const colorScheme: BrowserCommand<[scheme: 'light' | 'dark' | null]> = async (ctx, scheme) => {
  await ctx.page.emulateMedia({ colorScheme: scheme });
};

let built: Promise<Awaited<ReturnType<typeof import('../measure/bundle-sizes.ts').measureBuild>>> | undefined;
/** Builds the widgets as `generate` does, into a temporary folder (once a run), and weighs each entry (measure/bundle-sizes.ts). */
const measureBundle: BrowserCommand<[]> = async () => {
  built ??= import('../measure/bundle-sizes.ts').then(({ measureBuild }) => measureBuild());
  const { entries } = await built;
  return Object.fromEntries(
    Object.entries(entries).map(([name, { files, onDemand, bytes, gzipBytes }]) => [
      name,
      { files, onDemand, bytes, gzipBytes },
    ]),
  );
};

/**
 * Loads one script (or several, in order) of the Pulso server's /widgets/ into a blank page of another origin (`page`), as
 * a script tag would (`tag`, when given, is then put on the page and rendered; several, one after the other): which elements it
 * defined (once the `expected` ones are, or 5 s later), and every file of /widgets/ the tab
 * fetched, in order.
 */
const loadEntry: BrowserCommand<
  [page: string, url: string | string[], tag?: string | string[], expected?: string[]]
> = async (ctx, blank, url, tag, expected = []) => {
  const page = await ctx.context.newPage();
  const fetched: string[] = [];
  const problems: string[] = [];
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (path.startsWith('/widgets/')) fetched.push(path.slice('/widgets/'.length));
  });
  page.on('pageerror', (error) => problems.push(String(error)));
  page.on('console', (message) => void (message.type() === 'error' && problems.push(message.text())));
  try {
    await page.goto(blank);
    const result = await page.evaluate(
      async ([scripts, elements, wanted]) => {
        // Several scripts: one after the other, as a page's module scripts run.
        for (const script of scripts) await import(script);
        // A pulso.js that found another copy of the widgets first defines its elements through
        // the per-element scripts, after it ran: waited for (5 s at most, then reported as found).
        await Promise.race([
          Promise.all(wanted.map((t) => customElements.whenDefined(t))),
          new Promise((resolve) => setTimeout(resolve, 5_000)),
        ]);
        const defined = ['pulso-gauge', 'pulso-rating', 'pulso-at-risk'].filter((t) => customElements.get(t));
        let shown = '';
        for (const tag of elements) {
          const el = document.createElement(tag) as HTMLElement & { updateComplete: Promise<unknown> };
          el.setAttribute('locale', 'en');
          document.body.append(el);
          await el.updateComplete;
          shown += ` ${(el.shadowRoot?.textContent ?? '').replace(/\s+/g, ' ').trim()}`;
        }
        return { defined, shown: shown.trim() };
      },
      [[url].flat(), [tag ?? []].flat(), expected] as const,
    );
    // Anything fetched after the first render (there should be nothing) is in the list too.
    await page.waitForTimeout(300);
    return { ...result, fetched, problems };
  } finally {
    await page.close();
  }
};

/**
 * Opens a page in a new tab of the test browser and reports what its widgets show, every console
 * error and Content-Security-Policy violation, after `settle` has held or the time is up.
 */
const visitPage: BrowserCommand<[url: string]> = async (ctx, url) => {
  const page = await ctx.context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(String(error)));
  try {
    await page.goto(url);
    await page
      .waitForFunction(
        () =>
          ['pulso-gauge', 'pulso-rating', 'pulso-at-risk'].every((tag) => {
            const text = document.querySelector(tag)?.shadowRoot?.textContent ?? '';
            return text.trim() !== '' && !/Loading/.test(text);
          }),
        undefined,
        { timeout: 15_000 },
      )
      .catch(() => problems.push('the widgets did not finish loading'));
    const shown = await page.evaluate(() =>
      Object.fromEntries(
        ['pulso-gauge', 'pulso-rating', 'pulso-at-risk'].map((tag) => [
          tag,
          (document.querySelector(tag)?.shadowRoot?.textContent ?? '').replace(/\s+/g, ' ').trim(),
        ]),
      ),
    );
    // Rate through the page like a visitor, then check nothing was blocked.
    await page.locator('pulso-rating').getByRole('radio').first().click();
    await page.locator('pulso-rating').getByRole('status').waitFor({ timeout: 10_000 });
    const afterRating =
      (await page
        .locator('pulso-rating')
        .textContent({ timeout: 1_000 })
        .catch(() => '')) ?? '';
    const ratingText = await page.evaluate(
      () => document.querySelector('pulso-rating')?.shadowRoot?.textContent?.replace(/\s+/g, ' ').trim() ?? '',
    );
    return { shown, ratingText: ratingText || afterRating, problems };
  } finally {
    await page.close();
  }
};

/**
 * Tabs of one site in the test browser (one browser context, so one pool of six connections per
 * host, as in a person's browser): opened, read and closed by the tabs tests. Each tab counts the
 * live streams it has open (started, neither finished nor failed).
 */
const tabs: { page: Page; streams: number }[] = [];
const openTabs: BrowserCommand<[url: string, count: number]> = async (ctx, url, count) => {
  for (let i = 0; i < count; i++) {
    const tab = { page: await ctx.context.newPage(), streams: 0 };
    const isStream = (request: { postData(): string | null }) => /subscription/.test(request.postData() ?? '');
    tab.page.on('request', (request) => void (isStream(request) && (tab.streams += 1)));
    tab.page.on('requestfinished', (request) => void (isStream(request) && (tab.streams -= 1)));
    tab.page.on('requestfailed', (request) => void (isStream(request) && (tab.streams -= 1)));
    await tab.page.goto(url);
    tabs.push(tab);
  }
  return tabs.length;
};
/** What each open tab shows: the gauge's value (null while loading), the list's rows, its open streams. */
const readTabs: BrowserCommand<[]> = async () =>
  Promise.all(
    tabs.map(async ({ page, streams }) => ({
      // The page's own widgets, or those of a frame in it (the first frame that has a gauge).
      ...((
        await Promise.all(
          page.frames().map((frame) =>
            frame.evaluate(() => {
              const gauge = document.querySelector('pulso-gauge')?.shadowRoot;
              return {
                found: !!document.querySelector('pulso-gauge'),
                value: gauge?.querySelector('[role=meter]')?.getAttribute('aria-valuenow') ?? null,
                rows: document.querySelector('pulso-at-risk')?.shadowRoot?.querySelectorAll('[part=item]').length ?? 0,
              };
            }),
          ),
        )
      ).find((shown) => shown.found) ?? { found: false, value: null, rows: 0 }),
      streams,
    })),
  );
/** Closes the tab at that position (all of them without one). */
const closeTabs: BrowserCommand<[index?: number]> = async (_ctx, index) => {
  const closing = index === undefined ? tabs.splice(0) : tabs.splice(index, 1);
  for (const { page } of closing) await page.close();
};

export const commands = {
  pulsoFixture,
  signToken,
  network,
  colorScheme,
  spareServer,
  measureBundle,
  loadEntry,
  visitPage,
  openTabs,
  readTabs,
  closeTabs,
};

declare module 'vitest/browser' {
  interface BrowserCommands {
    pulsoFixture(): Promise<PulsoFixture>;
    signToken(grant: Grant, expiresInSeconds?: number, issuedSecondsAgo?: number): Promise<string>;
    network(pattern: string, mode: NetworkMode): Promise<number>;
    colorScheme(scheme: 'light' | 'dark' | null): Promise<void>;
    spareServer(action: 'start' | 'stop', name: string): Promise<string>;
    openTabs(url: string, count: number): Promise<number>;
    readTabs(): Promise<{ value: string | null; rows: number; streams: number }[]>;
    closeTabs(index?: number): Promise<void>;
    measureBundle(): Promise<
      Record<
        'pulso.js' | 'pulso-rating.js' | 'pulso-gauge.js' | 'pulso-at-risk.js',
        { files: string[]; onDemand: string[]; bytes: number; gzipBytes: number }
      >
    >;
    loadEntry(
      page: string,
      url: string | string[],
      tag?: string | string[],
      expected?: string[],
    ): Promise<{ defined: string[]; shown: string; fetched: string[]; problems: string[] }>;
    visitPage(url: string): Promise<{ shown: Record<string, string>; ratingText: string; problems: string[] }>;
  }
}
