// How the background rescoring runs for a configuration, shared by main.ts and the benchmark
// server that stands in for it (bench/servers/pulso-configured.ts).
import type { RescoreRunnerOptions } from '@pulso/core';
import type { Config } from './config.ts';

/** The longest a history backfill waits for backdated writes to pause (config.ts, PULSO_BACKFILL_QUIET_SECONDS). */
export const BACKFILL_MAX_WAIT_MS = 10 * 60_000;

export function rescoreRunnerOptions(config: Pick<Config, 'database' | 'backfillQuietMs'>): RescoreRunnerOptions {
  const pglite = config.database.kind === 'pglite';
  return {
    backfillDelay: { quietMs: config.backfillQuietMs, maxMs: BACKFILL_MAX_WAIT_MS },
    // A PGlite folder has one process (it is locked): a run left RUNNING is ours to take over at once.
    leaseMs: pglite ? 0 : undefined,
    // Between two reads, a chunk's interactions are decoded and scored on this process's event
    // loop, and requests wait. PGlite also runs its SQL there: 200 customers a chunk held requests
    // up for hundreds of milliseconds (bench/RESULTS.md, benchmark 5). On PostgreSQL, 200 (about
    // 20,000 interactions) tripled the API's p99 during a rescoring on a slow core (benchmark 3).
    chunkSize: pglite ? 50 : 100,
  };
}
