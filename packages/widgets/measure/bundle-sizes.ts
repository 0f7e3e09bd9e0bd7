// The widgets' weight, measured by building them exactly as `generate` does (vite.config.ts): the
// whole bundle, each widget's register entry as a bundle of its own (Lit included), and the floor
// every widget pays — a bundle of only the Lit exports the widgets import. Used by the bundle
// budget test and by the benchmark suite (bench/benchmarks/widgets.ts), so both read one figure.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Plugin } from 'vite';

export const packageDir = fileURLToPath(new URL('..', import.meta.url));

export interface Weight {
  bytes: number;
  /** gzip level 9, as a server or CDN would send it. */
  gzipBytes: number;
}

export interface BundleSizes {
  /** dist/pulso.js: the three elements, Lit included. */
  bundle: Weight & { code: string };
  /** Each widget alone (its src/<name>/register.ts as the entry), Lit included. */
  widgets: Record<'pulso-gauge' | 'pulso-rating' | 'pulso-at-risk', Weight>;
  /** Lit alone: the names the widgets import from `lit`, nothing of Pulso. */
  floor: Weight & { code: string; imports: string[] };
}

export const WIDGET_ENTRIES = {
  'pulso-gauge': 'src/gauge/register.ts',
  'pulso-rating': 'src/rating/register.ts',
  'pulso-at-risk': 'src/at-risk/register.ts',
} as const;

/** The values (not types) the widgets' sources import from `lit`. */
export async function litImports(): Promise<string[]> {
  const names = new Set<string>();
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
        const source = await readFile(path, 'utf8');
        for (const [, list] of source.matchAll(/import\s*\{([^}]*)\}\s*from\s*'lit'/g)) {
          for (const item of list!.split(',')) {
            const name = item.trim();
            if (name && !name.startsWith('type ')) names.add(name);
          }
        }
      }
    }
  };
  await walk(join(packageDir, 'src'));
  return [...names].sort();
}

async function buildOne(entry: string, plugins: Plugin[] = []): Promise<Weight & { code: string }> {
  const outDir = await mkdtemp(join(tmpdir(), 'pulso-widgets-size-'));
  try {
    await build({
      root: packageDir,
      configFile: join(packageDir, 'vite.config.ts'),
      logLevel: 'silent',
      plugins,
      build: { outDir, emptyOutDir: true, lib: { entry, formats: ['es'], fileName: () => 'bundle.js' } },
    });
    const code = await readFile(join(outDir, 'bundle.js'));
    return { code: code.toString('utf8'), bytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length };
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

const weight = ({ bytes, gzipBytes }: Weight): Weight => ({ bytes, gzipBytes });

/** Builds the bundle, each widget and the Lit floor into temporary folders and weighs them. */
export async function measureBundleSizes(): Promise<BundleSizes> {
  const bundle = await buildOne(join(packageDir, 'src/index.ts'));
  const widgets = {} as BundleSizes['widgets'];
  for (const [tag, entry] of Object.entries(WIDGET_ENTRIES) as [keyof typeof WIDGET_ENTRIES, string][]) {
    widgets[tag] = weight(await buildOne(join(packageDir, entry)));
  }
  const imports = await litImports();
  // A virtual entry re-exporting those names: exported, so none is tree-shaken away.
  // (the entry's path names no file: the plugin answers for it, so 'lit' resolves from here).
  const floorId = join(packageDir, 'lit-floor.virtual.ts');
  const floorEntry: Plugin = {
    name: 'pulso-lit-floor',
    enforce: 'pre',
    resolveId: (id) => (id === floorId ? id : null),
    load: (id) => (id === floorId ? `export { ${imports.join(', ')} } from 'lit';\n` : null),
  };
  const floor = await buildOne(floorId, [floorEntry]);
  return { bundle, widgets, floor: { ...floor, imports } };
}
