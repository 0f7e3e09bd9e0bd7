// The model-fitting package's tests: pure arithmetic on score results and outcomes, no database.
import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: '@pulso/model-fitting' },
});
