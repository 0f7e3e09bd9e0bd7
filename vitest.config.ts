import { defineConfig } from 'vitest/config';

// Every package's tests run from the root in one `vitest run`; each package is a project.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'test'],
  },
});
