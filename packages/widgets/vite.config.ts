// Library build, in two passes (`generate` runs both, into dist/):
// - the per-element scripts (the default mode): an ES module per element (pulso-rating.js,
//   pulso-gauge.js, pulso-at-risk.js, each defining its element only), and the core they all
//   import, pulso-core-<hash>.js (src/core.ts: Lit's template library and what every element
//   needs). What else they share is in chunks (pulso-<name>-<hash>.js): what the gauge and the list
//   share in pulso-portal-*, so a page that loads several of them downloads each file once and a
//   product page loads only the rating and the core;
// - pulso.js (`--mode all`): the three elements in one file, with a Lit of its own (allEntry
//   below). gzip compresses each file on its own: the per-element scripts and their chunks weigh
//   2.8 KB more than the same code in one file, and one file 0.6 KB less than the same code
//   importing the core. A page loading pulso.js and a per-element script as well runs two copies;
//   the first claims the page and defines every element (src/shared/claim.ts), the other creates
//   no Trusted Types policy and defines nothing.
// In both, code used only after an interaction (sending a rating), the portal widgets' live
// connection (joined after their first paint) and the pt-BR and es messages (with the wording of
// flags and reasons, src/shared/explain.ts) are chunks loaded on demand. Served by the Pulso server at /widgets/* and published to npm.
import { fileURLToPath } from 'node:url';
import { defineConfig, parseAst, type Plugin } from 'vite';

/**
 * The minifier leaves template literals as written: their indentation is most of what Lit
 * templates and GraphQL documents weigh. In `html`/`svg` templates a run of whitespace holding a
 * line break becomes one space (HTML renders both alike; no widget template has <pre> or
 * textarea content); in `/* GraphQL *\/` templates any run of whitespace becomes one space, and
 * none is left beside punctuation (`{ a }` becomes `{a}`): insignificant in GraphQL outside
 * strings, and the widgets' documents have none. The text
 * between `${}` changes, never the expressions, so bindings stay where they were.
 */
function compactTemplates(): Plugin {
  return {
    name: 'pulso-compact-templates',
    apply: 'build',
    enforce: 'pre',
    transform(code, id) {
      if (!/\/src\/.*\.ts$/.test(id) || !/html`|svg`|\/\* GraphQL \*\/ `/.test(code)) return null;
      const edits: { start: number; end: number; text: string }[] = [];
      // biome-ignore lint/suspicious/noExplicitAny: an ESTree node of any kind, walked generically
      const visit = (node: any): void => {
        if (!node || typeof node.type !== 'string') return;
        const markup =
          node.type === 'TaggedTemplateExpression' &&
          node.tag.type === 'Identifier' &&
          (node.tag.name === 'html' || node.tag.name === 'svg');
        const document =
          node.type === 'TemplateLiteral' &&
          /\/\* GraphQL \*\/\s*$/.test(code.slice(Math.max(0, node.start - 20), node.start));
        const quasis = markup ? node.quasi.quasis : document ? node.quasis : [];
        for (const quasi of quasis) {
          const raw: string = code.slice(quasi.start, quasi.end);
          const text = document
            ? raw.replace(/\s+/g, ' ').replace(/ ?([{}():,!]) ?/g, '$1')
            : raw.replace(/\s*\n\s*/g, ' ');
          if (text !== raw) edits.push({ start: quasi.start, end: quasi.end, text });
        }
        for (const value of Object.values(node)) {
          if (Array.isArray(value)) for (const child of value) visit(child);
          else if (value && typeof value === 'object') visit(value);
        }
      };
      visit(parseAst(code, { lang: 'ts' }));
      if (!edits.length) return null;
      let out = code;
      for (const edit of edits.sort((a, b) => b.start - a.start))
        out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
      return { code: out, map: null };
    },
  };
}

/**
 * V8's explicit compile hint (Chrome 136+): a file starting with `//# allFunctionsCalledOnLoad` has
 * every function compiled eagerly, on the thread that streams the script in, instead of lazily on
 * the main thread at its first call. The widgets call nearly all of their code and Lit's between
 * `customElements.define` and the first render (the upgrade, the first update, Lit's template
 * preparation), so that compilation used to sit inside the first render: with the hint, the
 * rating's definition-to-first-render on a product page fell from 118.5 to 68.2 ms (median of 10
 * alternated loads, 4x CPU throttling, 2026-12-06). Other engines read it as a comment. Added after
 * minification, which drops comments (about 20 bytes gzipped per file). And the `@__PURE__`
 * annotations the minifier keeps for a later bundler go (about 25 bytes gzipped per file): a site
 * loads these files as they are, and an application bundling the npm package keeps each file whole
 * anyway, since each defines its elements when loaded, a side effect no bundler drops.
 * Last, a chunk loaded on demand is asked for again by URL after a failed load (the live controller,
 * the language catalogues): where the code names its source module as a string (`'./live-tabs.ts'`),
 * the file name of the chunk holding that module goes instead. A `./*.ts` string left in the output
 * fails the build: the retry would ask for a file that does not exist.
 */
function finishChunks(): Plugin {
  return {
    name: 'pulso-finish-chunks',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).filter((output) => output.type === 'chunk');
      for (const chunk of chunks) {
        chunk.code = chunk.code.replace(/(?<=[`'"])\.\/([\w-]+\.ts)(?=[`'"])/g, (source, name: string) => {
          const holder = chunks.find((other) => other.moduleIds.some((id) => id.endsWith(`/${name}`)));
          if (!holder) throw new Error(`${chunk.fileName} names ${source}, but no chunk holds it`);
          return `./${holder.fileName}`;
        });
        chunk.code = `//# allFunctionsCalledOnLoad\n${chunk.code.replaceAll('/* @__PURE__ */ ', '').replaceAll('\n/* @vite-ignore */\n', '')}`;
      }
    },
  };
}

/**
 * Lit's template library, patched where it meets the page.
 * The Trusted Types policy of the widgets' Lit is named `pulso`, not `lit-html`, and only the copy
 * of the widgets that claimed the page creates it (src/shared/claim.ts: pulso.js holds a Lit of its
 * own, and a page may load it beside a per-element script, whose core holds another; the other copy
 * sees no `trustedTypes`, creates no policy, and renders nothing, as it defines no element). Under
 * its own name the widgets' policy collides with nothing: a page whose own code uses Lit (a Lit
 * design system, a Lit app, or an app bundling these files beside its Lit) has Lit's `lit-html`
 * policy beside it, allowed by name (`trusted-types pulso lit-html`). The policy is Lit's,
 * unchanged: it passes through the HTML of Lit's template strings. claim.ts is imported ahead of
 * Lit's own code, so the claim is made first. The build fails if Lit stops reading `trustedTypes`
 * and creating its policy as matched here, or registering itself as matched.
 */
const CLAIM = fileURLToPath(new URL('src/shared/claim.ts', import.meta.url));
function claimLitPolicy(): Plugin {
  const edits: [RegExp, string][] = [
    [/(\w+)\.trustedTypes\b/g, '(__pulsoClaimed&&$1.trustedTypes)'],
    [/createPolicy\(\s*"lit-html"\s*,/g, 'createPolicy("pulso",'],
    // Nor does it register with the page: Lit's polyfill hook serves browsers without shadow DOM (none
    // runs these scripts), and its list of versions on `globalThis` made a page's own Lit in
    // development, loaded after the widgets, warn of "multiple versions of Lit" over a copy that
    // shares nothing with it. About 50 B gzipped.
    [
      /,(\w+)=(\w+)\.litHtmlPolyfillSupport;\1\?\.\(\w+,\w+\),\(\2\.litHtmlVersions\?\?=\[\]\)\.push\("[\d.]+"\);/g,
      ';',
    ],
  ];
  return {
    name: 'pulso-claim-lit-policy',
    apply: 'build',
    transform(code, id) {
      if (!/\/lit-html\/lit-html\.js$/.test(id)) return null;
      let patched = code;
      for (const [pattern, replacement] of edits) {
        const found = code.match(pattern)?.length ?? 0;
        if (found !== 1) throw new Error(`${id}: expected one match of ${pattern}, found ${found}`);
        patched = patched.replace(pattern, replacement);
      }
      return { code: `import { claimed as __pulsoClaimed } from ${JSON.stringify(CLAIM)};\n${patched}`, map: null };
    },
    generateBundle(_options, bundle) {
      for (const output of Object.values(bundle))
        if (output.type === 'chunk' && /createPolicy\(.lit-html./.test(output.code))
          throw new Error(`${output.fileName} creates a "lit-html" policy: claimLitPolicy did not apply`);
    },
  };
}

// A path no file has: allEntry answers for it.
const ALL_ENTRY = fileURLToPath(new URL('src/all-entry.virtual.ts', import.meta.url));

/**
 * pulso.js's entry (`--mode all`): src/index.ts, then, when another copy of the widgets claimed the
 * page first (a per-element script, whose core defines its elements: src/shared/claim.ts), the
 * per-element scripts beside it, which find that core loaded and define the elements it has not.
 * They are the first pass's files, left as they are: an application bundling pulso.js finds them
 * in the package beside it. Not in src/index.ts, which Vitest loads from source, where they are not.
 */
function allEntry(): Plugin {
  const index = fileURLToPath(new URL('src/index.ts', import.meta.url));
  // The per-element scripts' files: the first pass's entries but the core (one element each).
  const elementScripts = Object.keys(ENTRIES.elements)
    .filter((name) => name !== 'pulso-core')
    .map((name) => `${name}.js`);
  return {
    name: 'pulso-all-entry',
    apply: 'build',
    enforce: 'pre',
    resolveId(source) {
      if (source === ALL_ENTRY) return ALL_ENTRY;
      if (source.startsWith('./') && elementScripts.includes(source.slice(2))) return { id: source, external: true };
      return null;
    },
    load(id) {
      if (id !== ALL_ENTRY) return null;
      return [
        `import { claimed } from ${JSON.stringify(CLAIM)};`,
        `export * from ${JSON.stringify(index)};`,
        `if (!claimed) { ${elementScripts.map((name) => `import("./${name}");`).join(' ')} }`,
      ].join('\n');
    },
  };
}

/**
 * Lit and what every element shares: `core`; what the portal widgets share: `portal`; their live
 * connection (fetched after the first paint): `live`; else its first module's name.
 */
function chunkName(moduleIds: readonly string[], name: string): string {
  if (moduleIds.some((id) => /\/lit-html\//.test(id))) return 'core';
  if (moduleIds.some((id) => id.endsWith('/live-connection.ts'))) return 'live';
  if (moduleIds.some((id) => id.endsWith('/portal-theme.ts'))) return 'portal';
  return name;
}

/** The per-element scripts (the default mode), or pulso.js alone (`all`). */
const ENTRIES = {
  elements: {
    'pulso-core': 'src/core.ts',
    'pulso-rating': 'src/rating/register.ts',
    'pulso-gauge': 'src/gauge/register.ts',
    'pulso-at-risk': 'src/at-risk/register.ts',
  },
  all: { pulso: ALL_ENTRY },
};

export default defineConfig(({ mode }) => ({
  // Lit's production build whatever NODE_ENV says (the size test builds from inside Vitest).
  resolve: { conditions: ['module', 'browser', 'production'] },
  plugins: [compactTemplates(), claimLitPolicy(), ...(mode === 'all' ? [allEntry()] : []), finishChunks()],
  css: {
    // The minifier (Lightning CSS) would polyfill light-dark() for the build target: it adds
    // --lightningcss-light/-dark variables to every `color-scheme` declaration, yet theme.css only
    // uses light-dark() inside @supports, where no polyfill is needed. 1 << 20 is Lightning CSS's
    // Features.LightDark (lightningcss is Vite's dependency, not ours: the number, not the import).
    lightningcss: { exclude: 1 << 20 },
  },
  build: {
    lib: {
      entry: mode === 'all' ? ENTRIES.all : ENTRIES.elements,
      formats: ['es'],
      // The core is imported by the scripts pages name, never named by a page: hashed like a chunk.
      fileName: (_format, name) => (name === 'pulso-core' ? 'pulso-core-[hash].js' : `${name}.js`),
    },
    outDir: 'dist',
    // Chunk names change with their content: last build's would pile up (and be served). The first
    // pass empties dist/, the second (pulso.js) adds to it; `generate` writes dist/types and the
    // manifest after both. A chunk both passes emit alike (a language's messages) has one name.
    emptyOutDir: mode !== 'all',
    // ES2022 keeps class fields as they are: ES2021 lowered them to a helper and defineProperty calls.
    target: 'es2022',
    minify: 'oxc',
    rolldownOptions: {
      // A chunk loaded on demand (the rating's sender) imports what it needs from the entry that
      // holds it (the outbox in pulso-rating.js or pulso.js), rather than from one more chunk.
      preserveEntrySignatures: 'allow-extension',
      output: {
        minify: true,
        // Chunks sit beside the entries (served by the same route), named for what they hold.
        chunkFileNames: (chunk) => `pulso-${chunkName(chunk.moduleIds, chunk.name)}-[hash].js`,
      },
    },
    sourcemap: false,
    reportCompressedSize: false,
  },
}));
