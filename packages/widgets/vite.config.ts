// Library build: one ES module, Lit included, that defines the three elements. Served by the
// Pulso server at /widgets/pulso.js and published to npm as the package's entry.
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

export default defineConfig({
  // Lit's production build whatever NODE_ENV says (the size test builds from inside Vitest).
  resolve: { conditions: ['module', 'browser', 'production'] },
  plugins: [compactTemplates()],
  build: {
    lib: { entry: 'src/index.ts', formats: ['es'], fileName: () => 'pulso.js' },
    outDir: 'dist',
    emptyOutDir: false,
    // ES2022 keeps class fields as they are: ES2021 lowered them to a helper and defineProperty calls.
    target: 'es2022',
    minify: 'oxc',
    // The pt-BR and es messages are chunks beside pulso.js (served by the same route), loaded by a
    // widget that speaks them: pulso-<name>-<hash>.js.
    rolldownOptions: { output: { minify: true, chunkFileNames: 'pulso-[name]-[hash].js' } },
    sourcemap: false,
    reportCompressedSize: false,
  },
});
