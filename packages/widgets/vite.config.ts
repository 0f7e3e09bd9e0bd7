// Library build: one ES module, Lit included, that defines the three elements. Served by the
// Pulso server at /widgets/pulso.js and published to npm as the package's entry.
import { defineConfig } from 'vite';

export default defineConfig({
  // Lit's production build whatever NODE_ENV says (the size test builds from inside Vitest).
  resolve: { conditions: ['module', 'browser', 'production'] },
  build: {
    lib: { entry: 'src/index.ts', formats: ['es'], fileName: () => 'pulso.js' },
    outDir: 'dist',
    emptyOutDir: false,
    target: 'es2021',
    minify: 'oxc',
    rolldownOptions: { output: { minify: true } },
    sourcemap: false,
    reportCompressedSize: false,
  },
});
