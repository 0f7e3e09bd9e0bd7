import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: '@pulso/cli', testTimeout: 120_000, hookTimeout: 120_000 },
});
