// Benchmark 6: the widgets' weight and first render. Weight: the gzipped bundle and each widget
// built alone, against Lit alone (the imports the widgets use) as the floor. First render: Pulso's
// own demo page (the three elements on a product page and a portal, served with signed tokens by
// a real Pulso server on loopback) in Debian's Chromium with the CPU throttled 4×, from the start
// of the script's download to each element's first render, against the Lit floor rendering one
// trivial element on a page of its own; layout shifts over the whole load (data included).
// The target is judged from the script's load: the moment its code has run and defined the
// element (customElements.define, watched by the probe) to the element's first render — the
// widget's own work. The time from the script's request is shown beside it: it adds the download,
// the compile and evaluation of the bundle (and, for the floor, a second module request), which
// the floor itself needs ~200 ms for under 4× throttling here.
//
// How to build and weigh the widgets belongs to their package (its Vite config, its entries): its
// measure/ helpers come through the package's `./measure/*` export; vite and playwright-core are
// dependencies of the suite too.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFile, readFile, mkdir } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { createTestServer } from '@pulso/server/testing';
import { measureBundleSizes, packageDir, type BundleSizes } from '@pulso/widgets/measure/bundle-sizes.ts';
import { launchChromium, type Browser } from '@pulso/widgets/measure/chromium.ts';
import type { BenchOptions } from '../lib/options.ts';
import { describeMachine, type BenchmarkReport } from '../lib/report.ts';
import { fixed, median } from '../lib/stats.ts';

const TARGET_GZIP_BYTES = 12 * 1024;
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
  /** ms from navigation start to the script's request. */
  scriptStart: number;
  /** ms the script's download took. */
  scriptFetch: number;
  /** ms from the script's request to each element's first render (its first update done). */
  rendered: Record<string, number>;
  /** ms from each element's definition (the script has run) to its first render. */
  afterDefined: Record<string, number>;
  /** ... to the first frame painted after it. */
  painted: Record<string, number>;
  /** ... to its data on screen (score, choices, list). */
  shown: Record<string, number>;
  cls: number;
  shifts: { at: number; value: number; sources: string[] }[];
  text: Record<string, string>;
}

async function loadOnce(browser: Browser, url: string, script: string, tags: readonly string[]): Promise<PageLoad> {
  // A new context per load: an empty HTTP cache, as for a first visit.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
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
      const entry = performance.getEntriesByType('resource').find((e) => new URL(e.name).pathname === ${JSON.stringify(script)});
      if (!entry) return null;
      const since = (times) => Object.fromEntries(Object.entries(times).map(([k, v]) => [k, v - entry.startTime]));
      const text = Object.fromEntries(${JSON.stringify(tags)}.map((tag) => [tag, (document.querySelector(tag)?.shadowRoot?.textContent ?? '').replace(/\\s+/g, ' ').trim()]));
      const afterDefined = Object.fromEntries(Object.entries(m.rendered).map(([k, v]) => [k, v - m.defined[k]]));
      return { scriptStart: entry.startTime, scriptFetch: entry.responseEnd - entry.startTime, rendered: since(m.rendered), afterDefined, painted: since(m.painted), shown: since(m.shown), cls: m.cls, shifts: m.shifts, text };
    })()`)) as PageLoad | null;
    if (!result) problems.push(`the page did not load ${script}`);
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

/** dist/pulso.js is what the server sends: make it the bundle just measured (as `generate` would). */
async function installBundle(code: string): Promise<void> {
  const dist = join(packageDir, 'dist');
  const current = await readFile(join(dist, 'pulso.js'), 'utf8').catch(() => '');
  if (current === code) return;
  await mkdir(dist, { recursive: true });
  await writeFile(join(dist, 'pulso.js'), code);
  console.log('  wrote packages/widgets/dist/pulso.js (it differed from a fresh build)');
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

function sizeTable(sizes: BundleSizes): string {
  const rows: [string, { bytes: number; gzipBytes: number }][] = [
    ['Lit alone (floor)', sizes.floor],
    ...TAGS.map((tag): [string, { bytes: number; gzipBytes: number }] => [`\`<${tag}>\` alone`, sizes.widgets[tag]]),
    ['all three (dist/pulso.js)', sizes.bundle],
  ];
  return [
    '| bundle | minified B | gzip B | gzip | × floor | above floor (gzip B) |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows.map(
      ([name, w]) =>
        `| ${name} | ${w.bytes} | ${w.gzipBytes} | ${kb(w.gzipBytes)} | ${fixed(w.gzipBytes / sizes.floor.gzipBytes)} | ${w.gzipBytes - sizes.floor.gzipBytes} |`,
    ),
  ].join('\n');
}

function renderTable(pulso: PageLoad[], floor: PageLoad[]): string {
  const floorRender = median(floor.map((l) => l.rendered[FLOOR_TAG]!));
  const line = (name: string, loads: PageLoad[], tag: string) => {
    const pick = (key: 'rendered' | 'afterDefined' | 'painted' | 'shown') => median(loads.map((l) => l[key][tag]!));
    const rendered = pick('rendered');
    return `| ${name} | ${fixed(pick('afterDefined'), 1)} | ${fixed(median(loads.map((l) => l.scriptFetch)), 1)} | ${fixed(rendered, 1)} | ${fixed(rendered / floorRender)} | ${fixed(pick('painted'), 1)} | ${fixed(pick('shown'), 1)} | ${fixed(Math.max(...loads.map((l) => l.cls)), 4)} |`;
  };
  return [
    '| element | first render after its script loaded (defined) ms | script download ms | first render from the request ms | × floor | first paint ms | data shown ms | CLS (worst load) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    line(`Lit alone, one trivial element (floor)`, floor, FLOOR_TAG),
    ...TAGS.map((tag) => line(`\`<${tag}>\` on the demo page`, pulso, tag)),
  ].join('\n');
}

export async function widgets(options: BenchOptions): Promise<BenchmarkReport> {
  console.log('building the bundle, each widget alone and the Lit floor...');
  const sizes = await measureBundleSizes();
  const sizes_ = sizeTable(sizes);
  console.log(`\n${sizes_}\n`);
  await installBundle(sizes.bundle.code);

  const loads = Math.max(5, options.runs * 3);
  const test = await createTestServer({ workspace: 'demo', demoCustomers: 30 });
  const pulsoUrl = await test.server.listen(0, '127.0.0.1');
  const floorSite = await startFloorSite(sizes.floor.code);
  let browser: Browser | undefined;
  try {
    const served = await fetch(`${pulsoUrl}/widgets/pulso.js`).then((r) => r.text());
    if (served !== sizes.bundle.code)
      throw new Error('the server sends a different /widgets/pulso.js from the bundle measured');
    browser = await launchChromium();
    const pulso: PageLoad[] = [];
    const floor: PageLoad[] = [];
    // One load of each to warm the server and the browser, then alternated measured loads.
    await loadOnce(browser, `${pulsoUrl}/`, '/widgets/pulso.js', TAGS);
    await loadOnce(browser, floorSite.url, '/element.js', [FLOOR_TAG]);
    for (let i = 0; i < loads; i++) {
      const order = i % 2 ? ['floor', 'pulso'] : ['pulso', 'floor'];
      for (const which of order) {
        if (which === 'pulso') pulso.push(await loadOnce(browser, `${pulsoUrl}/`, '/widgets/pulso.js', TAGS));
        else floor.push(await loadOnce(browser, floorSite.url, '/element.js', [FLOOR_TAG]));
      }
      const last = pulso.at(-1)!;
      process.stdout.write(
        `  load ${i + 1}: ${TAGS.map((t) => `${t} ${fixed(last.afterDefined[t], 1)} ms after definition, ${fixed(last.rendered[t], 1)} ms from request`).join(', ')}; floor ${fixed(floor.at(-1)!.rendered[FLOOR_TAG], 1)} ms; CLS ${fixed(last.cls, 4)}\n`,
      );
    }
    for (const load of pulso) {
      if (
        !/\d/.test(load.text['pulso-gauge'] ?? '') ||
        !/\S/.test(load.text['pulso-rating'] ?? '') ||
        !/\d/.test(load.text['pulso-at-risk'] ?? '')
      ) {
        throw new Error(`a widget showed something unexpected: ${JSON.stringify(load.text)}`);
      }
    }
    const renders = renderTable(pulso, floor);
    console.log(`\n${renders}\n`);

    const slowest = Math.max(...TAGS.map((tag) => median(pulso.map((l) => l.afterDefined[tag]!))));
    const slowestFromRequest = Math.max(...TAGS.map((tag) => median(pulso.map((l) => l.rendered[tag]!))));
    const floorFromRequest = median(floor.map((l) => l.rendered[FLOOR_TAG]!));
    const worstCls = Math.max(...pulso.map((l) => l.cls));
    const shifts = pulso.flatMap((l) => l.shifts);
    const verdicts = [
      `All three widgets together: ${sizes.bundle.gzipBytes} B gzipped (${kb(sizes.bundle.gzipBytes)}; target ≤ ${kb(TARGET_GZIP_BYTES)}): ${sizes.bundle.gzipBytes <= TARGET_GZIP_BYTES ? 'met' : 'missed'}. ` +
        `Lit alone ${sizes.floor.gzipBytes} B (imports ${sizes.floor.imports.join(', ')}); Pulso's own code adds ${sizes.bundle.gzipBytes - sizes.floor.gzipBytes} B.`,
      `First render (median of ${loads} loads, CPU ${CPU_THROTTLING}× slower): slowest element ${fixed(slowest, 1)} ms after its script loaded and defined it (target ≤ ${TARGET_FIRST_RENDER_MS} ms): ${slowest <= TARGET_FIRST_RENDER_MS ? 'met' : 'missed'}. ` +
        `From the script's request: ${fixed(slowestFromRequest, 1)} ms, ${fixed(slowestFromRequest / floorFromRequest)}× Lit alone (${fixed(floorFromRequest, 1)} ms).`,
      `Machine load average during the loads: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(
          ' / ',
        )} (1 / 5 / 15 min) on ${describeMachine().cores} cores: absolute times grow with it, the ratio to the floor much less.`,
      `Layout shift: worst load's CLS ${fixed(worstCls, 4)} (target 0): ${worstCls === 0 ? 'met' : `missed (shifting: ${[...new Set(shifts.flatMap((s) => s.sources))].join(', ')})`}.`,
    ];
    const markdown = `### Weight\n\n${sizes_}\n\n### First render (Chromium, CPU throttled ${CPU_THROTTLING}×; times from the element's definition, then from the script's request)\n\n${renders}`;
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
