// How the background rescoring runs for a configuration, shared by main.ts and the benchmark
// server that stands in for it (bench/servers/pulso-configured.ts).
import type { RescoreRunnerOptions } from '@pulso/workspaces';
import type { Config } from './config.ts';

export function rescoreRunnerOptions(config: Pick<Config, 'database'>): RescoreRunnerOptions {
  const pglite = config.database.kind === 'pglite';
  return {
    // A PGlite folder has one process (it is locked): a run left RUNNING is ours to take over at once.
    leaseMs: pglite ? 0 : undefined,
    // PGlite runs its SQL on this process's event loop: a chunk's read of 200 customers'
    // interactions held requests up for hundreds of milliseconds (bench/RESULTS.md, benchmark 5).
    // Smaller chunks let requests in between reads.
    chunkSize: pglite ? 50 : undefined,
  };
}
