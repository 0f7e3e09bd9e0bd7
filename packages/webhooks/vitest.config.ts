import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: '@pulso/webhooks',
    // Worker threads rather than child processes (the root vitest.config.ts says why).
    pool: 'threads',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Files share their worker's module cache (see apps/server/vitest.config.ts): no module here
    // keeps state between files, and importing Prisma and PGlite again per file cost seconds.
    isolate: false,
  },
});
