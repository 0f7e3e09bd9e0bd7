// The load script of issue #6: Pulso itself (as `npm start` runs it, demo data), on PGlite and then
// on a fresh PostgreSQL database, under a realistic mix for a bounded time — ratings from many
// customers, gauge reads and at-risk lists from portal widgets, live subscriptions held open —
// printing throughput, latency percentiles per operation and errors, then checking that every
// acknowledged rating is stored exactly once. It measures; it never fails on timing, only when an
// answer is wrong or a write is lost.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseTarget } from '@pulso/database';
import { createMigratedTestPostgresDatabase, openMigratedPGliteFolder } from '@pulso/database/testing';
import { canPin, pinSelfToLoadCore } from '../lib/cpu.ts';
import { optionsOrExit } from '../lib/options.ts';
import { makeCredentials } from './credentials.ts';
import { runMix } from './mix.ts';
import { HELP, parseLoadOptions, type DatabaseKind, type LoadOptions } from './options.ts';
import { sheddingEnv, startPulso } from './pulso-process.ts';
import { record, summary, table, type DatabaseRun } from './report.ts';
import { checkStoredRatings } from './stored-ratings.ts';
import { openSubscriptions } from './subscriptions.ts';

async function runOn(kind: DatabaseKind, options: LoadOptions): Promise<DatabaseRun> {
  let target: DatabaseTarget;
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;
  if (kind === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'pulso-load-'));
    target = { kind: 'pglite', dataDir: join(dir, 'data') };
    env = { PULSO_DATA_DIR: target.dataDir };
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
    // Migrated from the tests' template, as for PostgreSQL below: migrating is not what is measured,
    // and a fresh folder's initdb and migrations cost seconds of CPU before every run.
    await (await openMigratedPGliteFolder(target.dataDir)).close();
  } else {
    const database = await createMigratedTestPostgresDatabase('load');
    target = { kind: 'postgres', url: database.url };
    env = { DATABASE_URL: database.url };
    cleanup = () => database.drop();
  }
  try {
    console.log(`\n## ${kind}: starting Pulso (demo data on first start)…`);
    const pulso = await startPulso(env, { build: options.build });
    let stopped = false;
    try {
      const credentials = await makeCredentials(pulso.url, options.raters, Math.max(1, options.subscriptions));
      const subscriptions = await openSubscriptions(pulso.url, credentials, options.subscriptions);
      console.log(
        `${kind}: ${subscriptions.open} subscriptions open; ${options.raters} customers rating; ${options.connections} connections`,
      );
      const warmup =
        options.warmup > 0
          ? await runMix(pulso.url, credentials, {
              seconds: options.warmup,
              connections: options.connections,
              label: 'load-warmup',
            })
          : undefined;
      const eventsBefore = subscriptions.events();
      const mix = await runMix(pulso.url, credentials, {
        seconds: options.duration,
        connections: options.connections,
        label: 'load-measured',
      });
      const events = subscriptions.events() - eventsBefore;
      const loadEnded = performance.now();
      const healthAfter = (await fetch(`${pulso.url}/healthz`)).status;
      let recoveredAfterMs: number | null = healthAfter === 200 ? 0 : null;
      while (recoveredAfterMs === null && performance.now() - loadEnded < 60_000) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        if ((await fetch(`${pulso.url}/healthz`)).status === 200) recoveredAfterMs = performance.now() - loadEnded;
      }
      const failed = [...subscriptions.failed];
      await subscriptions.close();
      const serverErrorLogs = pulso.errorLogs().length;
      const exitCode = await pulso.stop();
      stopped = true;
      // Warm-up ratings were acknowledged too: both are checked, the figures are the measured run's.
      const stored = await checkStoredRatings(target, 'load-measured', mix.ratingsSent, mix.ratingsAcknowledged);
      if (warmup)
        stored.problems.push(
          ...(
            await checkStoredRatings(target, 'load-warmup', warmup.ratingsSent, warmup.ratingsAcknowledged)
          ).problems.map((p) => `warm-up: ${p}`),
        );
      return {
        database: kind === 'pglite' ? 'PGlite (embedded)' : 'PostgreSQL 127.0.0.1:5432',
        mix,
        subscriptions: { asked: options.subscriptions, open: subscriptions.open, failed, events },
        stored,
        healthAfter,
        recoveredAfterMs,
        serverErrorLogs,
        exitCode,
      };
    } finally {
      if (!stopped) await pulso.stop();
    }
  } finally {
    await cleanup();
  }
}

const options: LoadOptions = optionsOrExit(() => parseLoadOptions(process.argv.slice(2)), HELP);

pinSelfToLoadCore();
const runs: DatabaseRun[] = [];
for (const kind of options.databases) {
  const run = await runOn(kind, options);
  console.log(`\n### ${run.database}\n\n${table(run)}\n\n${summary(run)}`);
  runs.push(run);
}
const settings = `${options.duration} s measured after ${options.warmup} s warm-up per database, ${options.connections} connections, ${options.subscriptions} subscriptions, ${options.raters} rating customers; mix per connection: 5 ratings, 3 gauge reads, 2 at-risk lists (pages of 10); rate limits off, load shedding ${
  Object.keys(sheddingEnv()).length
    ? Object.entries(sheddingEnv())
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')
    : 'at its defaults'
}; demo workspace (300 customers)`;
const variables = Object.entries(sheddingEnv())
  .map(([k, v]) => `${k}=${v} `)
  .join('');
if (options.record)
  record(
    runs,
    settings,
    `${variables}npm run bench:load${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    canPin(),
  );
const wrong = runs.filter((r) => r.stored.problems.length > 0 || answeredWrongly(r));
if (wrong.length) {
  console.error(`\nwrong answers or lost writes on ${wrong.map((r) => r.database).join(', ')}: see above`);
  process.exitCode = 1;
}

/**
 * A wrong answer: a GraphQL error, an error status other than shedding's 503 / 429, a server that
 * logged errors, did not recover or did not stop cleanly. Shedding is a right answer from a server
 * beyond capacity (a busy machine gets there sooner): it is reported, not failed.
 */
function answeredWrongly(run: DatabaseRun): boolean {
  return (
    Object.values(run.mix.kinds).some((k) => k.graphqlErrors > 0 || k.non2xx > k.shed) ||
    run.serverErrorLogs > 0 ||
    run.recoveredAfterMs === null ||
    run.exitCode !== 0
  );
}
