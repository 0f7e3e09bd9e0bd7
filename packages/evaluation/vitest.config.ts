// The evaluation package's tests: pure arithmetic on observations, no database, no server.
import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: '@pulso/evaluation' },
});
