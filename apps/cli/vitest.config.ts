import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: '@pulso/cli',
    // Worker threads rather than child processes (the root vitest.config.ts says why).
    pool: 'threads',
    // evaluate.test.ts runs the compiled command (dist/pulso.mjs), as operators do: built once per
    // run, shared with the cross-process tests of test/.
    globalSetup: ['../../test/support/build-once.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
