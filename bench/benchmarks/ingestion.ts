// Benchmark 4: rating ingestion. submitMicroRating from many customers (a customer token each, a
// new idempotency key per request) at 16 connections against Pulso's server on a copy of the
// generated data, on PostgreSQL and on PGlite, alternated with the floor: a raw insert loop of
// equivalent rows, each durable (lib/insert-floor.ts). Afterwards the stored ratings are counted:
// every acknowledged rating must be stored, once.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openDatabase } from '@pulso/database';
import type { ContenderResult, ScenarioResult } from '../lib/compare.ts';
import { onServerCore } from '../lib/cpu.ts';
import type { Dataset } from '../lib/dataset.ts';
import { copyPgliteDataset, copyPostgresDataset, type DatasetCopy } from '../lib/dataset-copy.ts';
import { FLOOR_TABLE, insertLoop, type FloorRows } from '../lib/insert-floor.ts';
import type { BenchOptions } from '../lib/options.ts';
import type { PgliteDataset } from '../lib/pglite-dataset.ts';
import { dataRoot } from '../lib/pglite-dataset.ts';
import { pulsoEnv } from '../lib/pulso-env.ts';
import {
  isFreshReceipt,
  ratingRequest,
  runRatingLoad,
  signTokens,
  type RatingCustomers,
  type RatingLoadResult,
} from '../lib/rating-load.ts';
import { describeMachine, postgresVersion, type BenchmarkReport } from '../lib/report.ts';
import { startServer } from '../lib/server-process.ts';
import { median, ratio } from '../lib/stats.ts';

/** The issue's figure: 16 connections, whatever --connections says for the other benchmarks. */
export const INGESTION_CONNECTIONS = 16;
const TARGETS = { postgres: 2_500, pglite: 1_000 } as const;

interface Floor {
  name: string;
  run(seconds: number, tag: string): Promise<{ inserted: number; elapsed: number }>;
  close(): Promise<void>;
}

async function postgresFloor(copy: DatasetCopy): Promise<Floor> {
  const url = (copy.target as { url: string }).url;
  const clients = Array.from({ length: INGESTION_CONNECTIONS }, () => new pg.Client({ connectionString: url }));
  await Promise.all(clients.map((c) => c.connect()));
  const first = clients[0]!;
  await first.query(FLOOR_TABLE);
  const { rows: commit } = await first.query('SHOW synchronous_commit');
  if (commit[0].synchronous_commit !== 'on')
    throw new Error(`synchronous_commit is ${commit[0].synchronous_commit}: the floor would not be durable`);
  const typeId = (
    await first.query(`SELECT "id" FROM "InteractionType" WHERE "workspaceId" = $1 AND "key" = 'micro_rating'`, [
      copy.workspaceId,
    ])
  ).rows[0].id;
  const customerIds = (
    await first.query(`SELECT "id" FROM "Customer" WHERE "workspaceId" = $1`, [copy.workspaceId])
  ).rows.map((r) => r.id as string);
  const rows: FloorRows = { workspaceId: copy.workspaceId, typeId, customerIds };
  return {
    name: `pg insert loop ×${INGESTION_CONNECTIONS}`,
    run: (seconds, tag) =>
      insertLoop(
        clients.map((c) => (sql, params) => c.query(sql, params)),
        rows,
        tag,
        seconds,
      ),
    close: async () => void (await Promise.all(clients.map((c) => c.end()))),
  };
}

/** PGlite's loop runs in its own process on the server core, as PGlite runs inside Pulso's. */
async function pgliteFloor(label: string): Promise<Floor> {
  const dataDir = `${dataRoot}floor_${label}`;
  rmSync(dataDir, { recursive: true, force: true });
  const [command, args] = onServerCore(process.execPath, [
    '--import',
    'tsx',
    fileURLToPath(new URL('../servers/pglite-insert-floor.ts', import.meta.url)),
  ]);
  const child = spawn(command, args, {
    env: { ...process.env, BENCH_FLOOR_DIR: dataDir },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async () => {
    const line = await lines.next();
    if (line.done) throw new Error('the PGlite floor process ended early');
    return line.value;
  };
  if ((await next()) !== 'ready') throw new Error('the PGlite floor process did not start');
  return {
    name: 'PGlite insert loop',
    run: async (seconds, tag) => {
      child.stdin!.write(`run ${seconds} ${tag}\n`);
      const [, inserted, elapsed] = (await next()).split(' ');
      return { inserted: Number(inserted), elapsed: Number(elapsed) };
    },
    close: async () => {
      child.stdin!.end();
      await new Promise((resolve) => child.once('exit', resolve));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

interface StoredCount {
  stored: number;
  distinct: number;
  lost: number;
  /** Stored without an acknowledgement: requests still in flight when a load run ended. */
  unacknowledged: number;
}

async function countStored(copy: DatasetCopy, tag: string, acknowledged: Set<string>): Promise<StoredCount> {
  const database = await openDatabase(copy.target);
  try {
    const rows = await database.prisma.$queryRawUnsafe<{ key: string }[]>(
      `SELECT "idempotencyKey" AS "key" FROM "Interaction" WHERE "workspaceId" = $1::uuid AND "idempotencyKey" LIKE $2`,
      copy.workspaceId,
      `widget:${tag}-%`,
    );
    const keys = rows.map((r) => r.key.slice('widget:'.length));
    const stored = new Set(keys);
    let lost = 0;
    for (const key of acknowledged) if (!stored.has(key)) lost++;
    return {
      stored: keys.length,
      distinct: stored.size,
      lost,
      unacknowledged: [...stored].filter((k) => !acknowledged.has(k)).length,
    };
  } finally {
    await database.close();
  }
}

async function checkOneRating(
  url: string,
  copy: DatasetCopy,
  customers: RatingCustomers,
  tag: string,
  acknowledged: Set<string>,
): Promise<void> {
  const { key, body } = ratingRequest(customers, tag);
  const response = await fetch(new URL('/graphql', url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${copy.publishableKey}` },
    body,
  });
  const text = await response.text();
  if (response.status !== 200 || !isFreshReceipt(text))
    throw new Error(`submitMicroRating answered wrongly (status ${response.status}): ${text.slice(0, 400)}`);
  acknowledged.add(key);
}

interface KindResult {
  scenario: ScenarioResult;
  count: StoredCount;
  acknowledged: number;
  samples: string[];
}

async function measureKind(
  kind: 'postgres' | 'pglite',
  copy: DatasetCopy,
  settings: BenchOptions,
): Promise<KindResult> {
  const tag = `bench-${kind}-${Date.now()}`;
  const acknowledged = new Set<string>();
  const customers = await signTokens(copy.tokenSigningSecret, copy.externalIds);
  const server = await startServer('pulso-configured.ts', pulsoEnv(copy.env));
  const floor = kind === 'postgres' ? await postgresFloor(copy) : await pgliteFloor(tag);
  const pulsoRuns: RatingLoadResult[] = [];
  const floorRuns: number[] = [];
  const samples: string[] = [];
  try {
    await checkOneRating(server.url, copy, customers, tag, acknowledged);
    await runRatingLoad(
      server.url,
      copy.publishableKey,
      customers,
      tag,
      settings.warmup,
      INGESTION_CONNECTIONS,
      acknowledged,
    );
    await floor.run(settings.warmup, `${tag}-warmup`);
    for (let round = 0; round < settings.runs; round++) {
      const order = round % 2 === 0 ? ['pulso', 'floor'] : ['floor', 'pulso'];
      for (const which of order) {
        if (which === 'pulso') {
          const cpuBefore = server.cpuSeconds();
          const r = await runRatingLoad(
            server.url,
            copy.publishableKey,
            customers,
            tag,
            settings.duration,
            INGESTION_CONNECTIONS,
            acknowledged,
          );
          const cpuAfter = server.cpuSeconds();
          const answered = r.acknowledged + r.wrong + r.non2xx;
          if (cpuBefore !== null && cpuAfter !== null && answered > 0)
            r.cpuMicros = ((cpuAfter - cpuBefore) / answered) * 1e6;
          pulsoRuns.push(r);
          samples.push(...r.samples);
          process.stdout.write(
            `  ${kind} · pulso · run ${round + 1}: ${r.rps.toFixed(0)} ratings/s, p99 ${r.p99} ms${r.cpuMicros === undefined ? '' : `, ${r.cpuMicros.toFixed(0)} µs server CPU/rating`}${r.non2xx || r.wrong || r.errors ? `, ${r.non2xx} non-2xx, ${r.wrong} wrong, ${r.errors} errors` : ''}\n`,
          );
        } else {
          const { inserted, elapsed } = await floor.run(settings.duration, `${tag}-floor-${round}`);
          floorRuns.push(inserted / elapsed);
          process.stdout.write(
            `  ${kind} · ${floor.name} · run ${round + 1}: ${(inserted / elapsed).toFixed(0)} rows/s\n`,
          );
        }
      }
    }
  } finally {
    await server.stop();
    await floor.close();
  }
  const count = await countStored(copy, tag, acknowledged);
  const floorRps = median(floorRuns);
  const pulsoRps = median(pulsoRuns.map((r) => r.rps));
  const floorRow: ContenderResult = {
    name: floor.name,
    rps: floorRps,
    p50: Number.NaN,
    p99: Number.NaN,
    rpsRatio: 1,
    p99Ratio: Number.NaN,
    runs: [],
    non2xx: 0,
    wrong: 0,
    errors: 0,
  };
  const pulsoRow: ContenderResult = {
    name: `pulso (${kind === 'postgres' ? 'PostgreSQL' : 'PGlite'})`,
    rps: pulsoRps,
    p50: median(pulsoRuns.map((r) => r.p50)),
    p99: median(pulsoRuns.map((r) => r.p99)),
    rpsRatio: ratio(pulsoRps, floorRps),
    p99Ratio: Number.NaN,
    runs: pulsoRuns.map(({ samples: _, ...r }) => ({ ...r, requests: r.acknowledged + r.wrong + r.non2xx })),
    non2xx: pulsoRuns.reduce((s, r) => s + r.non2xx, 0),
    wrong: pulsoRuns.reduce((s, r) => s + r.wrong, 0),
    errors: pulsoRuns.reduce((s, r) => s + r.errors, 0),
    cpuMicros: pulsoRuns.every((r) => r.cpuMicros !== undefined) ? median(pulsoRuns.map((r) => r.cpuMicros!)) : null,
  };
  return {
    scenario: {
      name: `ratings on ${kind === 'postgres' ? 'PostgreSQL' : 'PGlite'}, ${INGESTION_CONNECTIONS} connections`,
      baseline: floor.name,
      contenders: [floorRow, pulsoRow],
    },
    count,
    acknowledged: acknowledged.size,
    samples,
  };
}

export async function ingestion(
  settings: BenchOptions,
  postgres: Dataset,
  pglite: () => Promise<PgliteDataset>,
): Promise<BenchmarkReport> {
  const results: Record<'postgres' | 'pglite', KindResult> = {} as never;
  const pgCopy = await copyPostgresDataset(postgres, 'ingestion');
  try {
    console.log('\nratings on PostgreSQL');
    results.postgres = await measureKind('postgres', pgCopy, settings);
  } finally {
    await pgCopy.drop();
  }
  const pgliteData = await pglite();
  const pgliteCopy = await copyPgliteDataset(pgliteData, 'ingestion');
  try {
    console.log('\nratings on PGlite');
    results.pglite = await measureKind('pglite', pgliteCopy, settings);
  } finally {
    await pgliteCopy.drop();
  }
  const verdicts: string[] = [];
  for (const kind of ['postgres', 'pglite'] as const) {
    const { scenario, count, acknowledged, samples } = results[kind];
    const pulso = scenario.contenders[1]!;
    const name = kind === 'postgres' ? 'PostgreSQL' : 'PGlite';
    verdicts.push(
      `${name}: ${pulso.rps.toFixed(0)} acknowledged ratings/s, ${pulso.rpsRatio.toFixed(2)}× the raw insert loop (target ≥ ${TARGETS[kind].toLocaleString('en')}/s: ${pulso.rps >= TARGETS[kind] ? 'met' : 'missed'}).`,
      `${name}, counted afterwards: ${acknowledged} acknowledged, ${count.stored} stored (${count.distinct} distinct keys), ${count.lost} acknowledged but missing, ${count.stored - count.distinct} doubled, ${count.unacknowledged} stored without an answer (in flight when a run ended): ${count.lost === 0 && count.stored === count.distinct ? 'nothing lost or doubled' : 'LOST OR DOUBLED RATINGS'}.`,
    );
    if (samples.length) verdicts.push(`${name}: wrong answers seen, e.g. ${samples[0]}`);
  }
  verdicts.push(
    `Each rating: a publishable key, a customer token per customer (${postgres.customers} customers, picked at random), a new idempotency key per request. Rate limits off for the benchmark server (PULSO_RATE_LIMIT_PER_KEY/ADDRESS/CUSTOMER_TOKEN=0); production defaults would refuse this load from one address by design.`,
    `PGlite data: ${(await pglite()).customers} customers, ${(await pglite()).interactions} interactions.`,
  );
  return {
    benchmark: 'ingestion',
    title: 'Benchmark 4: rating ingestion',
    machine: describeMachine(postgresVersion(postgres.url)),
    settings: {
      runs: settings.runs,
      duration: settings.duration,
      warmup: settings.warmup,
      connections: INGESTION_CONNECTIONS,
      customers: postgres.customers,
      interactions: postgres.interactions,
    },
    scenarios: [results.postgres.scenario, results.pglite.scenario],
    verdicts,
  };
}
