// Library build: an ES module per element (pulso-rating.js, pulso-gauge.js, pulso-at-risk.js, each
// defining its element only) and pulso.js defining the three (it imports the other three). What
// they share is in chunks (pulso-<name>-<hash>.js): Lit and what every element needs in
// pulso-core-*, what the gauge and the list share in pulso-portal-*, so a page that loads several
// entries downloads each chunk once and a product page loads only the rating and the core. Code
// used only after an interaction (sending a rating) and the pt-BR and es messages are chunks
// loaded on demand. Served by the Pulso server at /widgets/* and published to npm.
import { defineConfig, parseAst, type Plugin } from 'vite';

/**
 * The minifier leaves template literals as written: their indentation is most of what Lit
 * templates and GraphQL documents weigh. In `html`/`svg` templates a run of whitespace holding a
 * line break becomes one space (HTML renders both alike; no widget template has <pre> or
 * textarea content); in `/* GraphQL *\/` templates any run of whitespace becomes one space
 * (insignificant in GraphQL outside strings, and the widgets' documents have none). The text
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
          const text = document ? raw.replace(/\s+/g, ' ') : raw.replace(/\s*\n\s*/g, ' ');
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

/** Lit and what every element shares: `core`; what the portal widgets share: `portal`; else its first module's name. */
function chunkName(moduleIds: readonly string[], name: string): string {
  if (moduleIds.some((id) => /\/lit-html\//.test(id))) return 'core';
  if (moduleIds.some((id) => id.endsWith('/live-connection.ts'))) return 'portal';
  return name;
}

export default defineConfig({
  // Lit's production build whatever NODE_ENV says (the size test builds from inside Vitest).
  resolve: { conditions: ['module', 'browser', 'production'] },
  plugins: [compactTemplates()],
  css: {
    // The minifier (Lightning CSS) would polyfill light-dark() for the build target: it adds
    // --lightningcss-light/-dark variables to every `color-scheme` declaration, yet theme.css only
    // uses light-dark() inside @supports, where no polyfill is needed. 1 << 20 is Lightning CSS's
    // Features.LightDark (lightningcss is Vite's dependency, not ours: the number, not the import).
    lightningcss: { exclude: 1 << 20 },
  },
  build: {
    lib: {
      entry: {
        pulso: 'src/index.ts',
        'pulso-rating': 'src/rating/register.ts',
        'pulso-gauge': 'src/gauge/register.ts',
        'pulso-at-risk': 'src/at-risk/register.ts',
      },
      formats: ['es'],
      fileName: (_format, name) => `${name}.js`,
    },
    outDir: 'dist',
    // Chunk names change with their content: last build's would pile up (and be served).
    // `generate` writes dist/types and the manifest after this build.
    emptyOutDir: true,
    // ES2022 keeps class fields as they are: ES2021 lowered them to a helper and defineProperty calls.
    target: 'es2022',
    minify: 'oxc',
    rolldownOptions: {
      // An entry imported by another (pulso.js imports the three) keeps its code, rather than
      // becoming a facade that imports one more chunk.
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
});
