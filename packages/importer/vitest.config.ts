import { createRequire } from 'node:module';
import { defineProject } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineProject({
  // The server in process (server-import.test.ts) needs the one graphql Node loads: see
  // apps/server/vitest.config.ts (two copies of GraphQLError break yoga's error masking).
  resolve: { alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }] },
  test: {
    name: '@pulso/importer',
    // Worker threads rather than child processes (the root vitest.config.ts says why).
    pool: 'threads',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Files share their worker's module cache (see apps/server/vitest.config.ts): no module here
    // keeps state between files, and importing Prisma and PGlite again per file cost seconds.
    isolate: false,
  },
});
