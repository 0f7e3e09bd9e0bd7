// The model-fitting package's tests: pure arithmetic on score results and outcomes, no database.
import { defineProject } from 'vitest/config';

export default defineProject({
  // Worker threads rather than child processes (the root vitest.config.ts says why).
  test: { name: '@pulso/model-fitting', pool: 'threads' },
});
