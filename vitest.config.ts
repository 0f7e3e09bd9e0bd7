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
    // Each Node project sets `pool: 'threads'` (a project does not inherit it from here): test files
    // run in worker threads of one process instead of child processes. Measured on 2 cores, the
    // whole suite: 335 s wall and 543 CPU-s in processes, 307 s and 480 CPU-s in threads. No test
    // here changes the working directory or its process's signals, which threads would not allow;
    // what must be a process of its own (the importer's memory figure) spawns one.
  },
});
