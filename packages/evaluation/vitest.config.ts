// The evaluation package's tests: pure arithmetic on observations, no database, no server.
import { defineProject } from 'vitest/config';

export default defineProject({
  // Worker threads rather than child processes (the root vitest.config.ts says why).
  test: { name: '@pulso/evaluation', pool: 'threads' },
});
