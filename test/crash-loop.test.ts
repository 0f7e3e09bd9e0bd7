// Nothing lost, nothing doubled: a client streams interactions and micro-ratings (each with its
// idempotency key, retried with the same key until acknowledged) while the server is killed with
// SIGKILL again and again at random moments and restarted on the same data. Afterwards every
// acknowledged write is stored exactly once, nothing else is stored, and every customer's stored
// score equals a fresh computation from the stored interactions. On PGlite and on PostgreSQL.
//
// The moments are random but seeded: the seed is printed, and PULSO_TEST_SEED=<seed> replays them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseTarget } from '@pulso/database';
import { createMigratedTestPostgresDatabase, type TestPostgresDatabase } from '@pulso/database/testing';
import { signCustomerToken } from '@pulso/tokens';
import { seededRandom } from './support/seeded-random.ts';
import { prepareWorkspace } from './support/migrated-database.ts';
import { freePort, startServer, type ServerProcess } from './support/server-process.ts';
import { auditStoredWrites } from './support/stored-writes-audit.ts';
import { plannedWrites, runWriteStream, type StreamResult } from './support/write-stream.ts';

const SECRET_KEY = 'pulso_sk_crashLoopSecret000000000000001';
const PUBLISHABLE_KEY = 'pulso_pk_crashLoopPublishable0000000001';
/**
 * Customers that exist before the first start: the first start's rescoring (in chunks, in id order)
 * is still under way when the writes to the last of them arrive.
 */
const EXISTING_CUSTOMERS = 2000;
const WRITTEN_TO = ['c-1994', 'c-1995', 'c-1996', 'c-1997', 'c-1998', 'c-1999', 'new-a', 'new-b'];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A workspace with fixed keys and some customers, written before any server runs. */
async function prepare(target: DatabaseTarget) {
  const { workspaceId, more: tokenSigningSecret } = await prepareWorkspace(
    target,
    { slug: 'crash-loop', name: 'Crash loop', secretKey: SECRET_KEY, publishableKey: PUBLISHABLE_KEY },
    async (prisma, workspaceId) => {
      await prisma.customer.createMany({
        data: Array.from({ length: EXISTING_CUSTOMERS }, (_, i) => ({
          workspaceId,
          externalId: `c-${String(i).padStart(4, '0')}`,
          name: `Customer ${i}`,
        })),
      });
      return (await prisma.workspace.findUniqueOrThrow({ where: { id: workspaceId } })).tokenSigningSecret;
    },
  );
  return { workspaceId, tokenSigningSecret };
}

interface Case {
  target: DatabaseTarget;
  env: Record<string, string>;
  writes: number;
  concurrency: number;
  kills: number;
}

/**
 * Kills per run. Three land a kill early (the first start's rescoring under way), one mid-stream
 * and one late, each under load, at seeded moments that differ from run to run; five cost two more
 * restarts (a PGlite folder's recovery each) and covered no other kind of moment.
 */
const KILLS = 3;

async function crashLoop({ target, env, writes: count, concurrency, kills }: Case) {
  const random = seededRandom();
  console.info(`crash loop on ${target.kind}: seed ${random.seed} (PULSO_TEST_SEED=${random.seed} replays it)`);
  const { workspaceId, tokenSigningSecret } = await prepare(target);
  const tokens = new Map<string, string>();
  for (const externalId of WRITTEN_TO)
    tokens.set(externalId, await signCustomerToken({ secret: tokenSigningSecret, externalId }));
  const writes = plannedWrites(random, count, WRITTEN_TO, target.kind);

  const serverEnv = { ...env, PORT: String(await freePort()), PULSO_SEED_DEMO: 'false', LOG_LEVEL: 'error' };
  let server: ServerProcess = await startServer(serverEnv);
  const url = server.url;
  let acknowledged = 0;
  let finished = false;
  const stream = runWriteStream(writes, {
    url: () => url,
    secretKey: SECRET_KEY,
    publishableKey: PUBLISHABLE_KEY,
    customerToken: (externalId) => tokens.get(externalId)!,
    concurrency,
    giveUpAfterMs: 90_000,
    onAcknowledged: () => acknowledged++,
  }).finally(() => (finished = true));
  stream.catch(() => {}); // Awaited below; this keeps an early failure from counting as unhandled.

  const killedAt: number[] = [];
  let result: StreamResult;
  try {
    for (let k = 0; k < kills && !finished; k++) {
      // Kills spread over the whole stream, each once the restarted server has acknowledged
      // something, so that every kill lands under load.
      const target = Math.max(
        acknowledged + 1,
        Math.floor(((k + 1) * count) / (kills + 1)) - random.int(0, Math.floor(count / (kills + 1) / 2)),
      );
      while (acknowledged < target && !finished) await sleep(10);
      await sleep(random.int(0, 300));
      if (finished) break;
      killedAt.push(acknowledged);
      expect(await server.stop('SIGKILL')).toBe('SIGKILL');
      server = await startServer(serverEnv);
    }
    result = await stream;
  } finally {
    // The last stop is a kill too: what is checked is what a crash leaves on disk.
    if (server.child.exitCode === null && server.child.signalCode === null) await server.stop('SIGKILL');
  }
  console.info(
    `crash loop on ${target.kind}: killed after ${killedAt.join(', ')} acknowledged writes; ${result.retries} retried attempts`,
  );
  expect(killedAt.length).toBeGreaterThanOrEqual(Math.min(kills, 2));
  expect(result.acknowledged).toHaveLength(count);

  const database = await openDatabase(target);
  try {
    const audit = await auditStoredWrites(database.prisma, workspaceId, writes, result.acknowledged);
    expect(audit.problems).toEqual([]);
    expect(audit.interactions).toBe(count);
  } finally {
    await database.close();
  }
}

describe('crash loop: kill -9 while writing, restart, nothing lost or doubled', () => {
  it('on PGlite', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pulso-crash-loop-'));
    try {
      const dataDir = join(dir, 'data');
      await crashLoop({
        target: { kind: 'pglite', dataDir },
        env: { PULSO_DATA_DIR: dataDir },
        writes: 150,
        concurrency: 4,
        kills: KILLS,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('on PostgreSQL', async () => {
    let database: TestPostgresDatabase | undefined;
    try {
      database = await createMigratedTestPostgresDatabase('crash_loop');
      await crashLoop({
        target: { kind: 'postgres', url: database.url },
        env: { DATABASE_URL: database.url },
        writes: 200,
        concurrency: 6,
        kills: KILLS,
      });
    } finally {
      await database?.drop();
    }
  });
});
