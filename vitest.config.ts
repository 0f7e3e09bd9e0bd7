import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import LongFilesFirst from './vitest.sequencer.ts';

// Every package's tests run from the root in one `vitest run`; each package is a project.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'test'],
    // Vitest's default leaves a core free (one worker on a 2-core machine), but most of a file's
    // time here is spent waiting: on PostgreSQL, on server processes starting and stopping, on
    // webhooks' retries. Two files at once on two cores keep both busy.
    maxWorkers: Math.max(2, availableParallelism()),
    sequence: { sequencer: LongFilesFirst },
  },
});
