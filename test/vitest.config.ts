import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: '@pulso/test',
    // These tests start real server processes: seeding, migrating and shutting down take seconds.
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
