// Benchmark 6: the widgets' weight and first render. Weight: each entry (pulso-rating.js,
// pulso-gauge.js, pulso-at-risk.js, and pulso.js for the three) with every chunk it imports
// statically, gzipped file by file, and the per-element scripts loaded together (a portal's two,
// all three: each shared file counted once), against the floors: Lit alone (LitElement and its
// template library, for reference) and Lit's template library alone (all the widgets use of Lit).
// First render: Pulso's own demo page (the rating on a product page, the gauge and the at-risk
// list in a portal, served with signed tokens by a real Pulso server on loopback), loading each
// element's own script as the README recommends, and the same page loading pulso.js instead (one
// module for the three), in Debian's Chromium with the CPU throttled 4×; against Lit alone rendering
// one trivial element on a page of its own; layout shifts over the whole load (data included).
// The target is judged from each element's definition (customElements.define, watched by the probe:
// its script has loaded and run) to its first render: its first update done, the loading state (the
// skeleton) committed to its shadow root. The next frame painted after that is shown beside it, and
// the times from the first script's request (download, compile and evaluation included).
//
// How to build and weigh the widgets belongs to their package (its Vite config, its entries): its
// measure/ helpers come through the package's `./measure/*` export; vite and playwright-core are
// dependencies of the suite too.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { createTestServer, rawRequest } from '@pulso/server/testing';
import {
  type BundleSizes,
  type EntryName,
  measureBundleSizes,
  packageDir,
} from '@pulso/widgets/measure/bundle-sizes.ts';
import { launchChromium, type Browser } from '@pulso/widgets/measure/chromium.ts';
import { spawnOnAllCores } from '../lib/cpu.ts';
import type { BenchOptions } from '../lib/options.ts';
import { describeMachine, type BenchmarkReport } from '../lib/report.ts';
import { fixed, median } from '../lib/stats.ts';

const TARGET_GZIP_BYTES = 12 * 1024;
const TARGET_RATING_GZIP_BYTES = 8 * 1024;
const TARGET_FIRST_RENDER_MS = 50;
const CPU_THROTTLING = 4;
const TAGS = ['pulso-rating', 'pulso-gauge', 'pulso-at-risk'] as const;
const FLOOR_TAG = 'bench-lit-floor';

/** Runs in each page before its own scripts: records renders, data shown and layout shifts. */
const PROBE = `(() => {
  const m = (window.__bench = { cls: 0, shifts: [], defined: {}, rendered: {}, painted: {}, shown: {} });
  const define = customElements.define.bind(customElements);
  customElements.define = (name, constructor, options) => {
    if (!(name in m.defined)) m.defined[name] = performance.now();
    return define(name, constructor, options);
  };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.hadRecentInput) continue;
      m.cls += e.value;
      m.shifts.push({ at: Math.round(e.startTime), value: e.value, sources: (e.sources || []).map((s) => (s.node && (s.node.localName || s.node.nodeName)) || '?') });
    }
  }).observe({ type: 'layout-shift', buffered: true });
  const shown = {
    'pulso-gauge': (r) => r.querySelector('[role=meter]'),
    'pulso-rating': (r) => r.querySelector('[role=radiogroup]'),
    // The list's own rows (while loading, invisible placeholder rows hold its place).
    'pulso-at-risk': (r) => r.querySelector('[part=list] li'),
    '${FLOOR_TAG}': (r) => r.querySelector('p'),
  };
  for (const tag of Object.keys(shown)) {
    customElements.whenDefined(tag).then(async () => {
      const el = document.querySelector(tag);
      if (!el) return;
      await el.updateComplete;
      m.rendered[tag] = performance.now();
      // A frame's callbacks run just before its paint: a task queued from one runs after it.
      requestAnimationFrame(() => setTimeout(() => { m.painted[tag] = performance.now(); }, 0));
    });
  }
  const poll = () => {
    for (const [tag, test] of Object.entries(shown)) {
      const root = !(tag in m.shown) && document.querySelector(tag)?.shadowRoot;
      if (root && test(root)) m.shown[tag] = performance.now();
    }
    requestAnimationFrame(poll);
  };
  requestAnimationFrame(poll);
})();`;

interface PageLoad {
  /** ms from navigation start to the first widget script's request. */
  scriptStart: number;
  /** ms the widget scripts' downloads took (from the first request to the last response). */
  scriptFetch: number;
  /** ms from the first script's request to each element's first render (its first update done). */
  rendered: Record<string, number>;
  /** ms from each element's definition (its script has run) to its first render. */
  afterDefined: Record<string, number>;
  /** ms from each element's definition to the first frame painted after its first render. */
  paintedAfterDefined: Record<string, number>;
  /** ms from the first script's request to the first frame painted after each first render. */
  painted: Record<string, number>;
  /** ... to its data on screen (score, choices, list). */
  shown: Record<string, number>;
  cls: number;
  shifts: { at: number; value: number; sources: string[] }[];
  text: Record<string, string>;
}

/**
 * One load of a page in a new context (an empty HTTP cache, as for a first visit). `scripts`: the
 * path prefix of the scripts timed (the first request among them starts the clock); `rewrite`
 * changes the page's HTML on its way (the demo page loading pulso.js instead).
 */
async function loadOnce(
  browser: Browser,
  url: string,
  scripts: string,
  tags: readonly string[],
  rewrite?: (html: string) => string,
): Promise<PageLoad> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    if (rewrite)
      await page.route(url, async (route) => {
        const response = await route.fetch();
        await route.fulfill({ response, body: rewrite(await response.text()) });
      });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_THROTTLING });
    await page.addInitScript(PROBE);
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(String(error)));
    page.on('console', (message) => {
      // Failed requests are judged by their response below (a missing favicon is no problem).
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
        problems.push(message.text());
    });
    page.on('response', (response) => {
      if (response.status() >= 400 && new URL(response.url()).pathname !== '/favicon.ico')
        problems.push(`${response.status()} for ${response.url()}`);
    });
    await page.goto(url, { waitUntil: 'load' });
    await page
      .waitForFunction((expected) => expected.every((tag) => tag in (window as any).__bench.shown), [...tags], {
        timeout: 30_000,
      })
      .catch(() => problems.push(`not every widget showed its data within 30 s`));
    // Late shifts (a list growing, a font) count too: give the page a second more.
    await page.waitForTimeout(1_000);
    // A string, not a function: tsx would wrap named functions in a helper the page lacks.
    const result = (await page.evaluate(`(() => {
      const m = window.__bench;
      const entries = performance.getEntriesByType('resource').filter((e) => new URL(e.name).pathname.startsWith(${JSON.stringify(scripts)}));
      if (!entries.length) return null;
      const start = Math.min(...entries.map((e) => e.startTime));
      const end = Math.max(...entries.map((e) => e.responseEnd));
      const since = (times) => Object.fromEntries(Object.entries(times).map(([k, v]) => [k, v - start]));
      const text = Object.fromEntries(${JSON.stringify(tags)}.map((tag) => [tag, (document.querySelector(tag)?.shadowRoot?.textContent ?? '').replace(/\\s+/g, ' ').trim()]));
      const afterDefined = (times) => Object.fromEntries(Object.entries(times).map(([k, v]) => [k, v - m.defined[k]]));
      return { scriptStart: start, scriptFetch: end - start, rendered: since(m.rendered), afterDefined: afterDefined(m.rendered), paintedAfterDefined: afterDefined(m.painted), painted: since(m.painted), shown: since(m.shown), cls: m.cls, shifts: m.shifts, text };
    })()`)) as PageLoad | null;
    if (!result) problems.push(`the page loaded nothing under ${scripts}`);
    if (problems.length) throw new Error(`${url}: ${problems.join('; ')}`);
    return result!;
  } finally {
    await context.close();
  }
}

/** The floor's page: Lit alone (the floor bundle) defining and rendering one trivial element. */
async function startFloorSite(floorCode: string): Promise<{ url: string; server: Server }> {
  const element = `import { LitElement, html } from './lit.js';
customElements.define('${FLOOR_TAG}', class extends LitElement { render() { return html\`<p>Lit alone, one element</p>\`; } });
`;
  const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Lit floor</title>
<script type="module" src="/element.js"></script></head><body><${FLOOR_TAG}></${FLOOR_TAG}></body></html>`;
  const files: Record<string, [string, string]> = {
    '/': ['text/html', page],
    '/element.js': ['text/javascript', element],
    '/lit.js': ['text/javascript', floorCode],
  };
  const server = createServer((req, res) => {
    const file = files[new URL(req.url ?? '/', 'http://x').pathname];
    if (!file) res.writeHead(404).end();
    else res.writeHead(200, { 'content-type': `${file[0]}; charset=utf-8`, 'cache-control': 'no-store' }).end(file[1]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

/** dist/ is what the server sends: make its scripts the build just measured (as `generate` would). */
async function installBuild(files: BundleSizes['files']): Promise<void> {
  const dist = join(packageDir, 'dist');
  await mkdir(dist, { recursive: true });
  const present = (await readdir(dist)).filter((name) => name.endsWith('.js'));
  let changed = present.some((name) => !(name in files));
  for (const [name, { code }] of Object.entries(files))
    if ((await readFile(join(dist, name), 'utf8').catch(() => '')) !== code) changed = true;
  if (!changed) return;
  for (const name of present) await rm(join(dist, name));
  for (const [name, { code }] of Object.entries(files)) await writeFile(join(dist, name), code);
  console.log('  wrote the scripts of packages/widgets/dist/ (they differed from a fresh build)');
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const ENTRY_ROWS: [EntryName, string][] = [
  ['pulso-rating.js', '`<pulso-rating>` (pulso-rating.js)'],
  ['pulso-gauge.js', '`<pulso-gauge>` (pulso-gauge.js)'],
  ['pulso-at-risk.js', '`<pulso-at-risk>` (pulso-at-risk.js)'],
  ['pulso.js', 'all three (pulso.js)'],
];

function sizeTable(sizes: BundleSizes): string {
  const floor = sizes.floor.gzipBytes;
  const row = (name: string, files: string, w: { bytes: number; gzipBytes: number }) =>
    `| ${name} | ${files} | ${w.bytes} | ${w.gzipBytes} | ${kb(w.gzipBytes)} | ${fixed(w.gzipBytes / floor)} | ${w.gzipBytes - floor} |`;
  return [
    '| script (with the chunks it imports) | files | minified B | gzip B | gzip | × Lit floor | above Lit floor (gzip B) |',
    '|---|---:|---:|---:|---:|---:|---:|',
    row('Lit alone (floor: LitElement, template library)', '1', sizes.floor),
    row("Lit's template library alone (the rating's floor)", '1', sizes.templateFloor),
    ...ENTRY_ROWS.map(([entry, name]) => row(name, String(sizes.entries[entry].files.length), sizes.entries[entry])),
    ...TOGETHER_ROWS.map(([entries, name]) => {
      const files = together(sizes, entries);
      return row(name, String(files.length), weightOf(sizes, files));
    }),
  ].join('\n');
}

/** Per-element scripts a page loads together: a portal's two, or the three. */
const TOGETHER_ROWS: [EntryName[], string][] = [
  [['pulso-gauge.js', 'pulso-at-risk.js'], "a portal's two scripts (pulso-gauge.js + pulso-at-risk.js)"],
  [['pulso-rating.js', 'pulso-gauge.js', 'pulso-at-risk.js'], 'the three own scripts together'],
];

/** The files those entries load, each once. */
function together(sizes: BundleSizes, entries: EntryName[]): string[] {
  return [...new Set(entries.flatMap((entry) => sizes.entries[entry].files))];
}

function weightOf(sizes: BundleSizes, files: string[]): { bytes: number; gzipBytes: number } {
  return {
    bytes: files.reduce((total, file) => total + sizes.files[file]!.bytes, 0),
    gzipBytes: files.reduce((total, file) => total + sizes.files[file]!.gzipBytes, 0),
  };
}

function chunkList(sizes: BundleSizes): string {
  return Object.entries(sizes.files)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, f]) => `\`${name}\` ${f.gzipBytes} B`)
    .join(', ');
}

type Scenario = { name: string; loads: PageLoad[]; tags: readonly string[] };

function renderTable(scenarios: Scenario[], floor: PageLoad[]): string {
  const floorRender = median(floor.map((l) => l.rendered[FLOOR_TAG]!));
  const line = (name: string, loads: PageLoad[], tag: string) => {
    const pick = (key: 'rendered' | 'afterDefined' | 'paintedAfterDefined' | 'painted' | 'shown') =>
      median(loads.map((l) => l[key][tag]!));
    const rendered = pick('rendered');
    return `| ${name} | ${fixed(pick('afterDefined'), 1)} | ${fixed(pick('paintedAfterDefined'), 1)} | ${fixed(median(loads.map((l) => l.scriptFetch)), 1)} | ${fixed(rendered, 1)} | ${fixed(rendered / floorRender)} | ${fixed(pick('painted'), 1)} | ${fixed(pick('shown'), 1)} | ${fixed(Math.max(...loads.map((l) => l.cls)), 4)} |`;
  };
  return [
    '| element | defined → first render ms | defined → painted ms | scripts download ms | first request → first render ms | × floor | first request → painted ms | data shown ms | CLS (worst load) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    line('Lit alone, one trivial element (floor)', floor, FLOOR_TAG),
    ...scenarios.flatMap(({ name, loads, tags }) => tags.map((tag) => line(`\`<${tag}>\`, ${name}`, loads, tag))),
  ].join('\n');
}

/** What Chromium asks for (`Accept-Encoding`), over HTTPS or from a loopback page alike. */
const BROWSER_ACCEPT_ENCODING = 'gzip, deflate, br, zstd';

/** Bytes a browser downloads for these files from Pulso (each body as sent, compressed), and the codings. */
async function servedWeight(pulsoUrl: string, files: string[]): Promise<{ bytes: number; codings: Set<string> }> {
  let bytes = 0;
  const codings = new Set<string>();
  for (const name of files) {
    const answer = await rawRequest(`${pulsoUrl}/widgets/${name}`, { 'accept-encoding': BROWSER_ACCEPT_ENCODING });
    bytes += answer.body.length;
    codings.add(String(answer.headers['content-encoding'] ?? 'identity'));
  }
  return { bytes, codings };
}

/** The demo page as older pages are: the three elements from pulso.js. */
const withPulsoJs = (html: string) =>
  html
    .replace(/<script type="module" src="\/widgets\/pulso-(?:rating|gauge|at-risk)\.js"><\/script>\n?/g, '')
    .replace(
      '<script type="module" src="/widgets/demo.js">',
      '<script type="module" src="/widgets/pulso.js"></script>\n<script type="module" src="/widgets/demo.js">',
    );

/** The demo page's product page alone: the rating and its own script, no portal widget. */
const productPage = (html: string) =>
  html
    .replace(/<script type="module" src="\/widgets\/pulso-(?:gauge|at-risk)\.js"><\/script>\n?/g, '')
    .replace(/<pulso-(gauge|at-risk)[^>]*><\/pulso-\1>\n?/g, '');

export async function widgets(options: BenchOptions): Promise<BenchmarkReport> {
  console.log('building the widgets and the Lit floors...');
  const sizes = await measureBundleSizes();
  const sizes_ = sizeTable(sizes);
  console.log(`\n${sizes_}\n\nfiles: ${chunkList(sizes)}\n`);
  await installBuild(sizes.files);

  const loads = Math.max(5, options.runs * 3);
  const test = await createTestServer({ workspace: 'demo', demoCustomers: 30 });
  const pulsoUrl = await test.server.listen(0, '127.0.0.1');
  const floorSite = await startFloorSite(sizes.floor.code);
  let browser: Browser | undefined;
  try {
    for (const [name, { code }] of Object.entries(sizes.files)) {
      const served = await fetch(`${pulsoUrl}/widgets/${name}`).then((r) => r.text());
      if (served !== code) throw new Error(`the server sends a different /widgets/${name} from the build measured`);
    }
    const demoHtml = await fetch(`${pulsoUrl}/`).then((r) => r.text());
    const bundledHtml = withPulsoJs(demoHtml);
    const productHtml = productPage(demoHtml);
    if (!bundledHtml.includes('/widgets/pulso.js') || /pulso-(rating|gauge|at-risk)\.js/.test(bundledHtml))
      throw new Error("the demo page's script tags are not the ones this benchmark rewrites");
    if (/pulso-(gauge|at-risk)/.test(productHtml) || !productHtml.includes('pulso-rating.js'))
      throw new Error("the demo page's portal widgets are not the ones this benchmark removes");
    // The harness (and the Pulso server in it) is pinned to the load core; Chromium, whose work the
    // first render is, gets every core as a visitor's browser does. Launched from the pinned
    // harness it inherited that one core, shared with the server answering the page: the rating's
    // first render measured 3-4 times what it takes with the browser unpinned (2026-12-05).
    browser = await spawnOnAllCores(() => launchChromium());
    const scenarios: (Scenario & { rewrite?: (html: string) => string })[] = [
      { name: 'product page (pulso-rating.js alone)', loads: [], tags: ['pulso-rating'], rewrite: productPage },
      { name: 'demo page, own scripts', loads: [], tags: TAGS },
      { name: 'demo page, pulso.js', loads: [], tags: TAGS, rewrite: withPulsoJs },
    ];
    const floor: PageLoad[] = [];
    const runs = [
      ...scenarios.map(
        (scenario) => () =>
          loadOnce(browser!, `${pulsoUrl}/`, '/widgets/pulso', scenario.tags, scenario.rewrite).then((load) =>
            scenario.loads.push(load),
          ),
      ),
      () => loadOnce(browser!, floorSite.url, '/element.js', [FLOOR_TAG]).then((load) => floor.push(load)),
    ];
    // One load of each to warm the server and the browser (not kept), then alternated measured loads.
    for (const run of runs) await run();
    for (const scenario of scenarios) scenario.loads.length = 0;
    floor.length = 0;
    for (let i = 0; i < loads; i++) {
      for (let k = 0; k < runs.length; k++) await runs[(i + k) % runs.length]!();
      process.stdout.write(
        `  load ${i + 1}: ${scenarios
          .map(
            ({ name, loads: done, tags }) =>
              `${name}: ${tags.map((t) => `${t} ${fixed(done.at(-1)!.afterDefined[t], 1)}`).join(', ')}`,
          )
          .join('; ')} ms after definition; floor ${fixed(floor.at(-1)!.afterDefined[FLOOR_TAG], 1)} ms\n`,
      );
    }
    for (const { loads: done, tags } of scenarios)
      for (const load of done) {
        const expected: Record<string, RegExp> = { 'pulso-gauge': /\d/, 'pulso-rating': /\S/, 'pulso-at-risk': /\d/ };
        if (tags.some((tag) => !expected[tag]!.test(load.text[tag] ?? '')))
          throw new Error(`a widget showed something unexpected: ${JSON.stringify(load.text)}`);
      }
    const renders = renderTable(scenarios, floor);
    console.log(`\n${renders}\n`);

    const [product, perElement, bundled] = scenarios.map((scenario) => scenario.loads) as [
      PageLoad[],
      PageLoad[],
      PageLoad[],
    ];
    const slowestOf = (list: PageLoad[], key: 'afterDefined' | 'paintedAfterDefined', tags: readonly string[] = TAGS) =>
      Math.max(...tags.map((tag) => median(list.map((l) => l[key][tag]!))));
    const slowest = Math.max(
      slowestOf(perElement, 'afterDefined'),
      slowestOf(product, 'afterDefined', ['pulso-rating']),
    );
    const ratingAlone = slowestOf(product, 'afterDefined', ['pulso-rating']);
    const ratingAlonePainted = slowestOf(product, 'paintedAfterDefined', ['pulso-rating']);
    const slowestBundled = slowestOf(bundled, 'afterDefined');
    const floorAfterDefined = median(floor.map((l) => l.afterDefined[FLOOR_TAG]!));
    const all_ = scenarios.flatMap((scenario) => scenario.loads);
    const worstCls = Math.max(...all_.map((l) => l.cls));
    const shifts = all_.flatMap((l) => l.shifts);
    const rating = sizes.entries['pulso-rating.js'].gzipBytes;
    const all = sizes.entries['pulso.js'].gzipBytes;
    const served = async (files: string[]) => {
      const weight = await servedWeight(pulsoUrl, files);
      return `${weight.bytes} B (${[...weight.codings].join(', ')})`;
    };
    const servedLine =
      `As Pulso serves them to a browser (Accept-Encoding \`${BROWSER_ACCEPT_ENCODING}\`), what it downloads before the elements render: ` +
      `the rating ${await served(sizes.entries['pulso-rating.js'].files)}, pulso.js ${await served(sizes.entries['pulso.js'].files)}, ` +
      `the three own scripts ${await served(together(sizes, TOGETHER_ROWS[1]![0]))}. The targets above are gzip's, level 9, as the issue set them.`;
    const verdicts = [
      `The rating alone (pulso-rating.js and the chunks it imports): ${rating} B gzipped (${kb(rating)}; target ≤ ${kb(TARGET_RATING_GZIP_BYTES)}, Lit included): ${rating <= TARGET_RATING_GZIP_BYTES ? 'met' : 'missed'}. ` +
        `Lit's template library alone ${sizes.templateFloor.gzipBytes} B (imports ${sizes.templateFloor.imports.join(', ')}).`,
      `All three widgets together (pulso.js, one file, what a page showing the three loads): ${all} B gzipped (${kb(all)}; target ≤ ${kb(TARGET_GZIP_BYTES)}): ${all <= TARGET_GZIP_BYTES ? 'met' : 'missed'}. ` +
        `The three own scripts loaded together instead: ${weightOf(sizes, together(sizes, TOGETHER_ROWS[1]![0])).gzipBytes} B. ` +
        `Lit alone ${sizes.floor.gzipBytes} B (imports ${sizes.floor.imports.join(', ')}), its template library ${sizes.templateFloor.gzipBytes} B; Pulso's own code adds ${all - sizes.templateFloor.gzipBytes} B to the latter.`,
      servedLine,
      `First render (median of ${loads} loads, CPU ${CPU_THROTTLING}× slower), each element from its own script: slowest element ${fixed(slowest, 1)} ms from its definition to its first render (target ≤ ${TARGET_FIRST_RENDER_MS} ms): ${slowest <= TARGET_FIRST_RENDER_MS ? 'met' : 'missed'}. ` +
        `The rating on a product page: ${fixed(ratingAlone, 1)} ms, and ${fixed(ratingAlonePainted, 1)} ms to the first frame painted after it. ` +
        `From pulso.js (the three defined in one task, each element's time including the others'): ${fixed(slowestBundled, 1)} ms. Lit's trivial element: ${fixed(floorAfterDefined, 1)} ms.`,
      `Machine load average during the loads: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(
          ' / ',
        )} (1 / 5 / 15 min) on ${describeMachine().cores} cores: absolute times grow with it, the ratio to the floor much less.`,
      `Layout shift: worst load's CLS ${fixed(worstCls, 4)} (target 0): ${worstCls === 0 ? 'met' : `missed (shifting: ${[...new Set(shifts.flatMap((s) => s.sources))].join(', ')})`}.`,
    ];
    const markdown = `### Weight\n\n${sizes_}\n\nFiles (gzip, each): ${chunkList(sizes)}. Not counted above: the chunks fetched on demand (a language's messages, the rating's sender and comment form after a click).\n\n### First render (Chromium, CPU throttled ${CPU_THROTTLING}×; times from the element's definition, then from the first script's request)\n\n${renders}`;
    return {
      benchmark: 'widgets',
      title: 'Benchmark 6: widget weight and first render',
      machine: describeMachine(),
      settings: { loads, cpuThrottling: CPU_THROTTLING },
      scenarios: [],
      markdown,
      verdicts,
    };
  } finally {
    await browser?.close();
    await new Promise<void>((resolve) => floorSite.server.close(() => resolve()));
    await test.server.close(2_000);
    await test.close();
  }
}
