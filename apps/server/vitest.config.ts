import { createRequire } from 'node:module';
import { defineProject } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineProject({
  // graphql 16 has no "exports" map: Node loads its CommonJS build (as graphql-yoga does), while
  // Vite would pick the ES build. Two copies of GraphQLError break yoga's error masking, so tests
  // load the one Node loads.
  resolve: { alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }] },
  test: {
    name: '@pulso/server',
    // Worker threads rather than child processes (the root vitest.config.ts says why).
    pool: 'threads',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Files share their worker's module cache: importing Prisma, yoga, the schema and PGlite's
    // WebAssembly again for every file cost more than many files' tests. Nothing here keeps state
    // in a module between files (each test builds its own server on its own database).
    isolate: false,
  },
});
