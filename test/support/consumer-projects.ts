// The projects a company would write around Pulso's packages, for test/widgets-package.test.ts:
// what `npm create vite` scaffolds (React 19, Vue 3, plain HTML) and a Node project, each around the
// READMEs' own snippets (written in by the test), and the checks made of the packed manifests.
import { readFileSync } from 'node:fs';
import type { Consumer } from './packed-consumers.ts';

/** What `npm create vite` writes around the README's snippets. */
const SCAFFOLD = {
  react: {
    'index.html': page('React', '/src/main.tsx', '<div id="root"></div>'),
    'src/main.tsx': `import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
`,
    'vite.config.ts': `import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({ plugins: [react()] });
`,
    'tsconfig.json': tsconfig({ jsx: 'react-jsx' }),
  },
  vue: {
    'index.html': page('Vue', '/src/main.ts', '<div id="app"></div>'),
    'src/main.ts': `import { createApp } from 'vue';
import App from './App.vue';

createApp(App).mount('#app');
`,
    'src/env.d.ts': `declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent;
  export default component;
}
`,
    'tsconfig.json': tsconfig({}),
  },
  html: {},
  node: {
    'tsconfig.json': JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        skipLibCheck: false,
        outDir: 'dist',
        types: ['node'],
      },
      include: ['*.ts'],
    }),
  },
} satisfies Record<string, Record<string, string>>;

function page(title: string, entry: string, body: string): string {
  return `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>${title}</title><script type="module" src="${entry}"></script></head>
  <body>${body}</body>
</html>
`;
}

function tsconfig(extra: Record<string, string>): string {
  return JSON.stringify({
    compilerOptions: {
      target: 'ES2022',
      lib: ['ES2023', 'DOM', 'DOM.Iterable'],
      module: 'ESNext',
      moduleResolution: 'bundler',
      strict: true,
      noEmit: true,
      allowImportingTsExtensions: true,
      verbatimModuleSyntax: true,
      isolatedModules: true,
      // The packages' declarations are checked too: a consumer with skipLibCheck off must not see errors.
      skipLibCheck: false,
      types: [],
      ...extra,
    },
    include: ['src', 'vite.config.ts'],
  });
}

/** The consumer projects: React 19, Vue 3 and plain HTML with Vite for the widgets, Node for the tokens. */
export const CONSUMERS: Consumer[] = [
  {
    name: 'react',
    dependencies: ['react', 'react-dom'],
    devDependencies: ['@types/react', '@types/react-dom', '@vitejs/plugin-react', 'typescript', 'vite'],
    tarballs: ['@pulso/widgets'],
    files: SCAFFOLD.react,
  },
  {
    name: 'vue',
    dependencies: ['vue'],
    devDependencies: ['@vitejs/plugin-vue', 'typescript', 'vite'],
    tarballs: ['@pulso/widgets'],
    files: SCAFFOLD.vue,
  },
  { name: 'html', dependencies: [], devDependencies: ['vite'], tarballs: ['@pulso/widgets'], files: SCAFFOLD.html },
  {
    name: 'node',
    dependencies: [],
    devDependencies: ['@types/node', 'typescript'],
    tarballs: ['@pulso/tokens'],
    files: SCAFFOLD.node,
  },
];

/** The files an `exports` map points at (conditions and subpaths walked; patterns left out). */
export function exportTargets(exports: unknown): string[] {
  if (typeof exports === 'string') return exports.includes('*') ? [] : [exports];
  if (exports && typeof exports === 'object') return Object.values(exports).flatMap(exportTargets);
  return [];
}

/**
 * A TSX file that sets every attribute of every element in the packed custom elements manifest to
 * a value of its type, and to a value of another type (which must fail), and listens to every
 * event: so `@pulso/widgets/react` types what the manifest says the elements take. (TypeScript
 * accepts any value for an undeclared dashed JSX attribute: the wrong value catches those.)
 */
export function manifestTypeChecks(manifestPath: string): string {
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    modules: {
      declarations?: {
        tagName?: string;
        customElement?: boolean;
        attributes?: { name: string; type?: { text: string } }[];
        events?: { name?: string }[];
      }[];
    }[];
  };
  const lines = ["import '@pulso/widgets/react';", ''];
  let n = 0;
  for (const element of manifest.modules.flatMap((m) => m.declarations ?? []).filter((d) => d.customElement)) {
    const tag = element.tagName!;
    for (const attribute of element.attributes ?? []) {
      const type = attribute.type?.text ?? 'string';
      const literal = /^"([^"]+)"/.exec(type)?.[1];
      const right = literal ? `"${literal}"` : type === 'number' ? '{1}' : type === 'boolean' ? '{true}' : '"text"';
      const wrong = type === 'string' ? '{1}' : '"not-a-value"';
      lines.push(`export const right${n} = <${tag} ${attribute.name}=${right} />;`);
      lines.push(`// @ts-expect-error ${attribute.name} takes ${type}`);
      lines.push(`export const wrong${n++} = <${tag} ${attribute.name}=${wrong} />;`);
    }
    for (const event of (element.events ?? []).filter((e) => e.name))
      lines.push(`export const event${n++} = <${tag} on${event.name}={(event) => event.detail} />;`);
  }
  return `${lines.join('\n')}\n`;
}
