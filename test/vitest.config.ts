import { createRequire } from 'node:module';
import { defineProject } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineProject({
  // graphql 16 has no "exports" map: Node loads its CommonJS build (as graphql-yoga and Pothos do),
  // while Vite would pick the ES build for the tests and the server sources they import. Two
  // copies break `instanceof` (yoga's error masking, schemas walked by the tests): load Node's one.
  resolve: {
    alias: [
      { find: /^graphql$/, replacement: require.resolve('graphql', { paths: [require.resolve('@pulso/server')] }) },
    ],
  },
  test: {
    name: '@pulso/test',
    // Worker threads rather than child processes (the root vitest.config.ts says why).
    pool: 'threads',
    globalSetup: ['./support/build-once.ts'],
    setupFiles: ['./support/per-file.ts'],
    // Files share their worker's module cache (as in apps/server): each file importing Prisma,
    // PGlite, the server's sources and the test helpers again cost CPU the processes these tests
    // start could use. State a file must not pass on is reset by support/per-file.ts.
    isolate: false,
    // These tests start real server processes: seeding, migrating and shutting down take seconds.
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
