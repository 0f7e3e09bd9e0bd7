import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import LongFilesFirst from './vitest.sequencer.ts';

// Every package's tests run from the root in one `vitest run`; each package is a project.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'test'],
    // One file more than there are cores. Most of a file's time is spent waiting (on PostgreSQL, on
    // server processes starting and stopping, on webhooks' retries), and Vitest's default (as many
    // files as cores) left the machine idle a sixth of the run. Measured on 2 cores, the whole
    // suite after test databases were reused (test-pglite-pool.ts): 2 files at once 279 s, 3 at
    // once 248-253 s in two runs, the machine busy 1.95 cores of 2 (484-494 core-seconds).
    maxWorkers: availableParallelism() + 1,
    sequence: { sequencer: LongFilesFirst },
    // Each Node project sets `pool: 'threads'` (a project does not inherit it from here): test files
    // run in worker threads of one process instead of child processes. Measured on 2 cores, the
    // whole suite: 335 s wall and 543 CPU-s in processes, 307 s and 480 CPU-s in threads. No test
    // here changes the working directory or its process's signals, which threads would not allow;
    // what must be a process of its own (the importer's memory figure) spawns one.
  },
});
