// The widgets' weight, measured by building them exactly as `generate` does (vite.config.ts) into a
// temporary folder: each entry with every chunk it imports statically (what a page downloads before
// the element can render: pulso-rating.js alone for a product page, pulso.js for the three), the
// chunks fetched on demand (a language's messages, the rating's sender) apart, and the floors: a
// bundle of LitElement with its template library (what the portal widgets imported from `lit`
// until they rendered from the widgets' own base class: kept as the reference for Lit alone), and
// of only Lit's template library (lit-html), which is all the widgets use of Lit now. Used by the
// bundle budget test and by the benchmark suite (bench/benchmarks/widgets.ts), so both read one figure.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Plugin, type Rolldown } from 'vite';

export const packageDir = fileURLToPath(new URL('..', import.meta.url));

export interface Weight {
  bytes: number;
  /** gzip level 9, as a server or CDN would send it; a sum over files is a sum of each file's. */
  gzipBytes: number;
}

/** The scripts a page names, and the element each defines (pulso.js: the three). */
export const ENTRIES = {
  'pulso-rating.js': ['pulso-rating'],
  'pulso-gauge.js': ['pulso-gauge'],
  'pulso-at-risk.js': ['pulso-at-risk'],
  'pulso.js': ['pulso-gauge', 'pulso-rating', 'pulso-at-risk'],
} as const;
export type EntryName = keyof typeof ENTRIES;

export interface EntryWeight extends Weight {
  /** The entry and every chunk it imports statically, transitively: what loads before it runs. */
  files: string[];
  /** Chunks it may import later (a language's messages, code run after a click), not counted above. */
  onDemand: string[];
}

export interface BuiltFile extends Weight {
  code: string;
}

export interface BundleSizes {
  entries: Record<EntryName, EntryWeight>;
  /** Every file of the build, by name (what `generate` writes into dist/). */
  files: Record<string, BuiltFile>;
  /** Lit alone: LitElement and its template library (LIT_FLOOR_IMPORTS), nothing of Pulso. */
  floor: Weight & { code: string; imports: string[] };
  /** Lit's template library alone (`lit/html.js`: what the rating imports), nothing of Pulso. */
  templateFloor: Weight & { code: string; imports: string[] };
}

/**
 * Lit alone, for reference: what the portal widgets imported from `lit` while they were
 * LitElements (2026-12-05). No widget imports a value from `lit` since (they use its template
 * library only), so the floor names them rather than reading the sources.
 */
export const LIT_FLOOR_IMPORTS = ['LitElement', 'html', 'nothing', 'unsafeCSS'];

/** The values (not types) the widgets' sources import from `lit` (or another of its modules). */
export async function litImports(module = 'lit'): Promise<string[]> {
  const names = new Set<string>();
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
        const source = await readFile(path, 'utf8');
        for (const [, list, from] of source.matchAll(/import\s*\{([^}]*)\}\s*from\s*'([^']+)'/g)) {
          if (from !== module) continue;
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

const weigh = (code: Buffer): Weight => ({ bytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length });

function sum(files: BuiltFile[]): Weight {
  return files.reduce((total, f) => ({ bytes: total.bytes + f.bytes, gzipBytes: total.gzipBytes + f.gzipBytes }), {
    bytes: 0,
    gzipBytes: 0,
  });
}

async function buildInto<T>(
  overrides: {
    lib?: { entry: string; formats: ['es']; fileName: () => string };
    plugins?: Plugin[];
    /** vite.config.ts's `all` pass (pulso.js) reads the first pass's output: built into its folder. */
    modes?: string[];
  },
  read: (output: Rolldown.OutputChunk[]) => T,
): Promise<T> {
  const outDir = await mkdtemp(join(tmpdir(), 'pulso-widgets-size-'));
  try {
    const chunks: Rolldown.OutputChunk[] = [];
    for (const mode of overrides.modes ?? [undefined]) {
      const result = await build({
        root: packageDir,
        configFile: join(packageDir, 'vite.config.ts'),
        logLevel: 'silent',
        ...(mode ? { mode } : {}),
        plugins: overrides.plugins ?? [],
        // The first pass empties the folder; a later one adds to it, as in dist/.
        build: { outDir, emptyOutDir: chunks.length === 0, ...(overrides.lib ? { lib: overrides.lib } : {}) },
      });
      const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
      chunks.push(
        ...outputs.flatMap((o) => o.output.filter((item): item is Rolldown.OutputChunk => item.type === 'chunk')),
      );
    }
    return read(chunks);
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

/**
 * The build's files (both passes of vite.config.ts: the per-element scripts, then pulso.js) and,
 * for each entry, the chunks it loads statically and on demand.
 */
export async function measureBuild(): Promise<Pick<BundleSizes, 'entries' | 'files'>> {
  const chunks = await buildInto({ modes: ['production', 'all'] }, (output) => output);
  const byName = new Map<string, Rolldown.OutputChunk>();
  for (const chunk of chunks) {
    const same = byName.get(chunk.fileName);
    // Both passes write into dist/: a name they share must hold the same code.
    if (same && same.code !== chunk.code) throw new Error(`both passes emit ${chunk.fileName}, differently`);
    byName.set(chunk.fileName, chunk);
  }
  // pulso.js names the first pass's per-element scripts, loaded when another copy ran first.
  const file = (name: string) => name.replace(/^\.\//, '');
  const imports = (name: string) => byName.get(name)!.imports.map(file);
  const dynamicImports = (name: string) => byName.get(name)!.dynamicImports.map(file);
  const files: Record<string, BuiltFile> = {};
  for (const chunk of byName.values()) files[chunk.fileName] = { code: chunk.code, ...weigh(Buffer.from(chunk.code)) };
  const entries = {} as BundleSizes['entries'];
  for (const name of Object.keys(ENTRIES) as EntryName[]) {
    if (!byName.has(name)) throw new Error(`the build has no ${name}`);
    const statics = new Set<string>();
    const visit = (at: string): void => {
      if (statics.has(at)) return;
      statics.add(at);
      for (const imported of imports(at)) visit(imported);
    };
    visit(name);
    const onDemand = new Set<string>();
    const later = (at: string): void => {
      for (const imported of [...dynamicImports(at), ...imports(at)])
        if (!statics.has(imported) && !onDemand.has(imported)) {
          onDemand.add(imported);
          later(imported);
        }
    };
    for (const at of statics) later(at);
    const list = [...statics];
    entries[name] = { files: list, onDemand: [...onDemand].sort(), ...sum(list.map((f) => files[f]!)) };
  }
  return { entries, files };
}

/** A bundle of exactly these names from that module of Lit (exported, so none is tree-shaken away). */
async function floorOf(module: string, names?: string[]): Promise<Weight & { code: string; imports: string[] }> {
  const imports = names ?? (await litImports(module));
  // The entry's path names no file: the plugin answers for it, so the module resolves from here.
  const floorId = join(packageDir, 'lit-floor.virtual.ts');
  const floorEntry: Plugin = {
    name: 'pulso-lit-floor',
    enforce: 'pre',
    resolveId: (id) => (id === floorId ? id : null),
    load: (id) => (id === floorId ? `export { ${imports.join(', ')} } from '${module}';\n` : null),
  };
  const floor = await buildInto(
    { lib: { entry: floorId, formats: ['es'], fileName: () => 'bundle.js' }, plugins: [floorEntry] },
    ([chunk]) => ({ code: chunk!.code, ...weigh(Buffer.from(chunk!.code)) }),
  );
  return { ...floor, imports };
}

/** Builds the widgets and the Lit floors into temporary folders and weighs them. */
export async function measureBundleSizes(): Promise<BundleSizes> {
  const { entries, files } = await measureBuild();
  return {
    entries,
    files,
    floor: await floorOf('lit', LIT_FLOOR_IMPORTS),
    templateFloor: await floorOf('lit/html.js'),
  };
}
