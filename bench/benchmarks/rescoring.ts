// Benchmark 3: rescoring. Three measurements on the generated PostgreSQL data (100,000 customers and
// 10,000,000 interactions by default):
//  (a) the full rescoring of every customer, run the way the product runs it — the
//      `rescoreAllCustomers` mutation queues a run that the server process's RescoreRunner (the
//      same runner the daily schedule feeds) works through in chunks — against the floor: one
//      plain GROUP BY over the same interactions (count, sum and latest per customer);
//  (b) one customer rescored after a new interaction: recordInteractions (the path of the
//      recordInteraction mutation: insert, score, store, one transaction) called in this process,
//      against the floor of the same transaction in hand-written SQL (insert, one indexed aggregate
//      of the customer's interactions, one UPDATE);
//  (c) the API's latency (the gauge widget's read) at a steady request rate, idle and while a full
//      rescoring runs in that same server process.
// Everything runs on a throw-away copy of the dataset (lib/dataset-copy.ts): rescorings and new
// interactions change the rows, and the kept dataset serves other benchmarks as generated.
// Every full rescoring is checked: the run succeeded, every customer carries its timestamp, and
// the stored scores of a sample of customers equal a fresh computation by the scoring engine.
import autocannon from 'autocannon';
import pg from 'pg';
import { openDatabase, type Database } from '@pulso/database';
import { recordInteractions, rescoreCustomersInTransaction, type ScoreChange } from '@pulso/core';
import type { MeasureSettings } from '../lib/compare.ts';
import type { Dataset } from '../lib/dataset.ts';
import { copyPostgresDataset, type DatasetCopy } from '../lib/dataset-copy.ts';
import { graphqlCheck } from '../lib/load.ts';
import { pulsoEnv } from '../lib/pulso-env.ts';
import { describeMachine, postgresVersion, type BenchmarkReport } from '../lib/report.ts';
import { startServer, type ServerProcess } from '../lib/server-process.ts';
import { fixed, median } from '../lib/stats.ts';

/** Single-customer rescorings timed per contender (after a warm-up of a tenth of that). */
const SINGLE_SAMPLES = 400;
/** Checked customers per full rescoring (stored score = fresh computation). */
const CHECKED_CUSTOMERS = 25;
/** The API load in (c): this share of what the idle server answered at full speed in the warm-up. */
const API_RATE_SHARE = 0.25;
const API_CONNECTIONS = 10;

const GAUGE_QUERY = `query PulsoGauge($externalId: String!) {
  customer(externalId: $externalId) { id name health { value band trend { change30d direction } categories { key name subScore contribution hasData } flags { code message } } }
}`;

interface RunRow {
  id: string;
  status: string;
  done: number;
  total: number;
  asOf: Date;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  error: string | null;
}

interface FullRescoring {
  seconds: number;
  customers: number;
  checked: number;
}

async function graphql(server: ServerProcess, key: string, query: string, variables: unknown = {}): Promise<any> {
  const response = await fetch(new URL('/graphql', server.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: any; errors?: unknown };
  if (response.status !== 200 || body.errors)
    throw new Error(`Pulso answered ${response.status}: ${JSON.stringify(body).slice(0, 400)}`);
  return body.data;
}

async function readRun(client: pg.Client, id: string): Promise<RunRow> {
  const { rows } = await client.query(
    'SELECT "id", "status", "done", "total", "asOf", "createdAt", "startedAt", "finishedAt", "error" FROM "RescoreRun" WHERE "id" = $1',
    [id],
  );
  return rows[0] as RunRow;
}

/** Queues a full rescoring through the API; resolves with its id once the server's runner works on it. */
async function startFullRescoring(server: ServerProcess, dataset: Dataset, client: pg.Client): Promise<string> {
  const data = await graphql(
    server,
    dataset.secretKey,
    'mutation { rescoreAllCustomers { __typename ... on RescoreJob { id status total } ... on UserError { message } } }',
  );
  if (data.rescoreAllCustomers.__typename !== 'RescoreJob')
    throw new Error(`rescoreAllCustomers refused: ${data.rescoreAllCustomers.message}`);
  const id = data.rescoreAllCustomers.id as string;
  for (;;) {
    const run = await readRun(client, id);
    if (run.status === 'FAILED') throw new Error(`the rescoring failed: ${run.error}`);
    if (run.status === 'SUCCEEDED' || run.done > 0) return id;
    await sleep(20);
  }
}

async function finishFullRescoring(
  id: string,
  dataset: Dataset,
  client: pg.Client,
  database: Database,
): Promise<FullRescoring> {
  let run: RunRow;
  for (;;) {
    run = await readRun(client, id);
    if (run.status === 'FAILED') throw new Error(`the rescoring failed: ${run.error}`);
    if (run.status === 'SUCCEEDED') break;
    await sleep(100);
  }
  if (run.done !== dataset.customers)
    throw new Error(`the rescoring did ${run.done} customers of ${dataset.customers}`);
  const stamped = Number(
    (
      await client.query('SELECT count(*) FROM "Customer" WHERE "workspaceId" = $1 AND "scoreComputedAt" = $2', [
        dataset.workspaceId,
        run.asOf,
      ])
    ).rows[0].count,
  );
  if (stamped !== dataset.customers)
    throw new Error(`after the rescoring, ${stamped} customers of ${dataset.customers} carry its instant`);
  const checked = await checkStoredScores(dataset, client, database, run.asOf);
  // From the request to the last chunk's commit: the wait for the runner counts too.
  return { seconds: (run.finishedAt!.getTime() - run.createdAt.getTime()) / 1000, customers: run.done, checked };
}

/**
 * The stored score and band of a random sample of customers equal a fresh computation: Pulso's own
 * single-customer rescoring (the scoring engine over everything stored), in a transaction rolled back.
 */
async function checkStoredScores(dataset: Dataset, client: pg.Client, database: Database, asOf: Date): Promise<number> {
  const { rows } = await client.query(
    `SELECT "id"::text AS id, "score", "band"::text AS band FROM "Customer" WHERE "workspaceId" = $1 ORDER BY random() LIMIT ${CHECKED_CUSTOMERS}`,
    [dataset.workspaceId],
  );
  let fresh: ScoreChange[] = [];
  await database.prisma
    .$transaction(async (tx) => {
      fresh = await rescoreCustomersInTransaction(
        tx,
        dataset.workspaceId,
        rows.map((r) => r.id),
        asOf,
      );
      throw new RolledBack();
    })
    .catch((error: unknown) => {
      if (!(error instanceof RolledBack)) throw error;
    });
  for (const computed of fresh) {
    const stored = rows.find((r) => r.id === computed.customerId)!;
    // Formula 2 reads each customer against its segment's peers, whose reference is built from the
    // stored scores — which the rescoring itself rewrites: the server scored with the reference it
    // read before, this check with the one after, and a score may differ by a point for that alone
    // (and by the last tenth a tally carries). Beyond that it is a wrong answer.
    const gap = Math.abs(stored.score - computed.score);
    checkGaps.push(gap);
    if (gap > MAX_PEER_DRIFT) {
      throw new Error(
        `customer ${computed.customerId}: stored score ${stored.score} (${stored.band}) but a fresh computation gives ${computed.score} (${computed.band}) as of ${asOf.toISOString()}`,
      );
    }
  }
  if (fresh.length !== rows.length)
    throw new Error(`${fresh.length} of ${rows.length} sampled customers could be recomputed`);
  return fresh.length;
}

class RolledBack extends Error {}

/** See checkStoredScores: what peers read before and after a rescoring may move a score by. */
const MAX_PEER_DRIFT = 2;
/** Every stored-versus-fresh gap the checks saw, for the report. */
const checkGaps: number[] = [];

/** The floor of (a): one GROUP BY over the same interactions, every group read by the client. */
async function groupByFloor(client: pg.Client, dataset: Dataset): Promise<number> {
  const started = performance.now();
  const { rowCount } = await client.query(
    `SELECT "customerId", count(*) AS interactions, sum("intensity") AS intensity, max("occurredAt") AS latest
     FROM "Interaction" WHERE "workspaceId" = $1 AND "occurredAt" <= now() GROUP BY "customerId"`,
    [dataset.workspaceId],
  );
  const seconds = (performance.now() - started) / 1000;
  if (!rowCount || rowCount > dataset.customers)
    throw new Error(`the GROUP BY floor returned ${rowCount} groups for ${dataset.customers} customers`);
  return seconds;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** (b) One interaction recorded and its customer rescored, through Pulso's recordInteractions. */
async function recordOne(database: Database, dataset: Dataset, externalId: string, key: string): Promise<number> {
  const started = performance.now();
  const { results, changes } = await recordInteractions(database.prisma, dataset.workspaceId, [
    { customer: { externalId }, typeKey: 'product_session', sentiment: 'LIKED', source: 'bench', idempotencyKey: key },
  ]);
  const ms = performance.now() - started;
  if (results[0]?.replayed !== false || changes.length !== 1)
    throw new Error(`recordInteractions stored nothing new for ${externalId}`);
  return ms;
}

/** The floor of (b): the same insert and an indexed aggregate of the customer's rows, in SQL. */
async function recordOneFloor(
  client: pg.Client,
  dataset: Dataset,
  typeId: string,
  externalId: string,
  key: string,
): Promise<number> {
  const started = performance.now();
  await client.query('BEGIN');
  try {
    const { rows } = await client.query(
      'SELECT "id" FROM "Customer" WHERE "workspaceId" = $1 AND "externalId" = $2 FOR UPDATE',
      [dataset.workspaceId, externalId],
    );
    const customerId = rows[0].id;
    await client.query(
      `INSERT INTO "Interaction" ("id", "workspaceId", "customerId", "typeId", "occurredAt", "intensity", "sentiment", "source", "idempotencyKey")
       VALUES (gen_random_uuid(), $1, $2, $3, now(), 1, 'LIKED', 'bench floor', $4)`,
      [dataset.workspaceId, customerId, typeId, key],
    );
    const { rows: agg } = await client.query(
      'SELECT count(*) AS n, sum("intensity") AS points, max("occurredAt") AS latest FROM "Interaction" WHERE "customerId" = $1 AND "occurredAt" <= now()',
      [customerId],
    );
    // Its rows go into Pulso's own table behind Pulso's back: the customer's tally no longer holds
    // its history, so it is dropped (as Pulso's bulk insert does) and the next scoring rebuilds it.
    await client.query(
      'UPDATE "Customer" SET "lastInteractionAt" = $3, "scoringState" = NULL, "scoringStateModelVersion" = NULL WHERE "workspaceId" = $1 AND "id" = $2',
      [dataset.workspaceId, customerId, agg[0].latest],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
  return performance.now() - started;
}

interface ApiWindow {
  p50: number;
  p99: number;
  rps: number;
  requests: number;
  wrong: number;
}

async function apiWindow(
  server: ServerProcess,
  key: string,
  externalIds: string[],
  seconds: number,
  rate: number | undefined,
): Promise<ApiWindow> {
  const verify = graphqlCheck((d) => typeof d.customer?.health?.value === 'number');
  let next = 0;
  const result = await autocannon({
    url: new URL('/graphql', server.url).toString(),
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    requests: [
      {
        setupRequest: (request: any) => ({
          ...request,
          body: JSON.stringify({
            query: GAUGE_QUERY,
            variables: { externalId: externalIds[next++ % externalIds.length] },
          }),
        }),
      },
    ],
    connections: API_CONNECTIONS,
    ...(rate ? { overallRate: rate } : {}),
    duration: seconds,
    verifyBody: (body) => verify(String(body ?? '')),
  });
  const elapsed = (result.finish.getTime() - result.start.getTime()) / 1000;
  return {
    p50: result.latency.p50,
    p99: result.latency.p99,
    rps: (result['2xx'] - result.mismatches) / elapsed,
    requests: result.requests.total,
    wrong: result.mismatches + result.non2xx + result.errors + result.timeouts,
  };
}

/** The flags that shape the figures (not whether the size was given on the command line). */
function shownSettings(settings: MeasureSettings): MeasureSettings {
  const { sizeGiven: _sizeGiven, ...shown } = settings as MeasureSettings & { sizeGiven?: boolean };
  return shown;
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function rescoring(settings: MeasureSettings, generated: Dataset): Promise<BenchmarkReport> {
  console.log(`copying ${generated.name} (the benchmark writes scores and interactions)...`);
  const copy: DatasetCopy = await copyPostgresDataset(generated, 'rescoring');
  const url = copy.env.DATABASE_URL!;
  const dataset: Dataset = { ...generated, url };
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const database = await openDatabase({ kind: 'postgres', url, poolSize: 4 });
  let server: ServerProcess | undefined;
  try {
    // A dataset generated before the latest migrations (it is kept between runs) is brought up to date.
    await database.migrate();
    // Interactions are only ever inserted: in a database that has been running, autovacuum has
    // marked their pages all-visible, which lets scoring read them from its index alone. A fresh
    // copy (and an index a migration just built) is brought to that state.
    await client.query('VACUUM (ANALYZE) "Interaction"');
    const sample = (
      await client.query('SELECT "externalId" FROM "Customer" WHERE "workspaceId" = $1 ORDER BY random() LIMIT 1000', [
        dataset.workspaceId,
      ])
    ).rows.map((r) => r.externalId as string);
    const typeId = (
      await client.query(`SELECT "id" FROM "InteractionType" WHERE "workspaceId" = $1 AND "key" = 'product_session'`, [
        dataset.workspaceId,
      ])
    ).rows[0].id as string;
    server = await startServer('pulso-configured.ts', pulsoEnv(copy.env));
    const runs = settings.runs;

    // (a) Full rescoring against the GROUP BY floor, alternated.
    console.log(
      `\nfull rescoring of ${dataset.customers} customers / ${dataset.interactions} interactions, ${runs} run(s) each`,
    );
    await groupByFloor(client, dataset); // Warms PostgreSQL's cache for both contenders.
    // The first rescoring builds every customer's tally from its history (what a model change or a
    // first start costs); the measured ones then move the tallies forward, as the daily schedule
    // does on a database whose writes keep them (rescore-chunk.ts). Tallies a dataset may carry
    // from an earlier run are dropped first, so the first one always reads every history.
    await client.query(
      'UPDATE "Customer" SET "scoringState" = NULL, "scoringStateModelVersion" = NULL WHERE "workspaceId" = $1',
      [dataset.workspaceId],
    );
    const fromHistory = await finishFullRescoring(
      await startFullRescoring(server, dataset, client),
      dataset,
      client,
      database,
    );
    console.log(
      `  pulso rescoring from every history (tallies built): ${fromHistory.seconds.toFixed(2)} s (${fromHistory.checked} customers checked)`,
    );
    const floorSeconds: number[] = [];
    const full: FullRescoring[] = [];
    for (let round = 0; round < runs; round++) {
      for (const contender of round % 2 ? ['pulso', 'floor'] : ['floor', 'pulso']) {
        if (contender === 'floor') {
          floorSeconds.push(await groupByFloor(client, dataset));
          console.log(`  GROUP BY floor · run ${round + 1}: ${floorSeconds.at(-1)!.toFixed(2)} s`);
        } else {
          const id = await startFullRescoring(server, dataset, client);
          full.push(await finishFullRescoring(id, dataset, client, database));
          console.log(
            `  pulso rescoring · run ${round + 1}: ${full.at(-1)!.seconds.toFixed(2)} s (${full.at(-1)!.checked} customers checked)`,
          );
        }
      }
    }
    const floor = median(floorSeconds);
    const pulsoFull = median(full.map((f) => f.seconds));

    // (b) One customer rescored after a new interaction, against the SQL floor, alternated in blocks.
    console.log(`\none customer rescored after a new interaction, ${SINGLE_SAMPLES} samples each`);
    const tag = Date.now().toString(36);
    let n = 0;
    const nextKey = () => `bench-rescoring-${tag}-${n++}`;
    const nextCustomer = () => sample[n % sample.length]!;
    for (let i = 0; i < SINGLE_SAMPLES / 10; i++) {
      await recordOne(database, dataset, nextCustomer(), nextKey());
      await recordOneFloor(client, dataset, typeId, nextCustomer(), nextKey());
    }
    const single: number[] = [];
    const singleFloor: number[] = [];
    const block = 50;
    for (let done = 0; done < SINGLE_SAMPLES; done += block) {
      for (let i = 0; i < block; i++) single.push(await recordOne(database, dataset, nextCustomer(), nextKey()));
      for (let i = 0; i < block; i++)
        singleFloor.push(await recordOneFloor(client, dataset, typeId, nextCustomer(), nextKey()));
    }

    // (c) The API idle and during a full rescoring, at a steady rate well below the server's capacity.
    const warm = await apiWindow(server, dataset.secretKey, sample, settings.warmup, undefined);
    if (warm.wrong) throw new Error(`the gauge read answered wrongly ${warm.wrong} times in the warm-up`);
    const rate = Math.max(10, Math.round(warm.rps * API_RATE_SHARE));
    console.log(
      `\nAPI at ${rate} req/s (${API_RATE_SHARE * 100} % of ${warm.rps.toFixed(0)} req/s at full speed), idle and during a full rescoring`,
    );
    const idle: ApiWindow[] = [];
    const busy: ApiWindow[] = [];
    const busyRuns: FullRescoring[] = [];
    let overlapped = true;
    for (let round = 0; round < runs; round++) {
      idle.push(await apiWindow(server, dataset.secretKey, sample, settings.duration, rate));
      console.log(
        `  idle · run ${round + 1}: p50 ${idle.at(-1)!.p50} ms, p99 ${idle.at(-1)!.p99} ms, ${idle.at(-1)!.rps.toFixed(0)} req/s`,
      );
      const id = await startFullRescoring(server, dataset, client);
      busy.push(await apiWindow(server, dataset.secretKey, sample, settings.duration, rate));
      if ((await readRun(client, id)).status !== 'RUNNING') overlapped = false;
      busyRuns.push(await finishFullRescoring(id, dataset, client, database));
      console.log(
        `  rescoring · run ${round + 1}: p50 ${busy.at(-1)!.p50} ms, p99 ${busy.at(-1)!.p99} ms, ${busy.at(-1)!.rps.toFixed(0)} req/s`,
      );
    }
    const wrong = [...idle, ...busy].reduce((s, w) => s + w.wrong, 0);
    if (wrong) throw new Error(`the gauge read answered wrongly ${wrong} times`);
    const idleP99 = median(idle.map((w) => w.p99));
    const busyP99 = median(busy.map((w) => w.p99));

    const singleP50 = percentile(single, 50);
    const singleP99 = percentile(single, 99);
    const floorP50 = percentile(singleFloor, 50);
    const floorP99 = percentile(singleFloor, 99);
    const fullRatio = pulsoFull / floor;
    const apiRatio = busyP99 / idleP99;
    const markdown = [
      '### Full rescoring',
      '',
      '| contender | seconds (median) | customers/s | × floor | runs (s) |',
      '|---|---:|---:|---:|---|',
      `| GROUP BY floor | ${fixed(floor)} | ${fixed(dataset.customers / floor, 0)} | 1.00 | ${floorSeconds.map((s) => fixed(s)).join(', ')} |`,
      `| pulso, from every history (first run: tallies built) | ${fixed(fromHistory.seconds)} | ${fixed(dataset.customers / fromHistory.seconds, 0)} | ${fixed(fromHistory.seconds / floor)} | ${fixed(fromHistory.seconds)} |`,
      `| pulso (rescoreAllCustomers → RescoreRunner, tallies moved forward) | ${fixed(pulsoFull)} | ${fixed(dataset.customers / pulsoFull, 0)} | ${fixed(fullRatio)} | ${full.map((f) => fixed(f.seconds)).join(', ')} |`,
      '',
      '### One customer rescored after a new interaction',
      '',
      '| contender | p50 ms | p99 ms | p99 × floor | samples |',
      '|---|---:|---:|---:|---:|',
      `| SQL floor (insert + indexed aggregate + update) | ${fixed(floorP50)} | ${fixed(floorP99)} | 1.00 | ${singleFloor.length} |`,
      `| pulso (recordInteractions) | ${fixed(singleP50)} | ${fixed(singleP99)} | ${fixed(singleP99 / floorP99)} | ${single.length} |`,
      '',
      '### API during a full rescoring (gauge read)',
      '',
      `| window | req/s | p50 ms | p99 ms | p99 × idle |`,
      '|---|---:|---:|---:|---:|',
      `| idle | ${fixed(median(idle.map((w) => w.rps)), 0)} | ${fixed(median(idle.map((w) => w.p50)), 1)} | ${fixed(idleP99, 1)} | 1.00 |`,
      `| during a full rescoring | ${fixed(median(busy.map((w) => w.rps)), 0)} | ${fixed(median(busy.map((w) => w.p50)), 1)} | ${fixed(busyP99, 1)} | ${fixed(apiRatio)} |`,
    ].join('\n');
    const verdicts = [
      `full rescoring: ${fixed(pulsoFull)} s, ${fixed(fullRatio)}× the GROUP BY floor (${fixed(floor)} s) (target ≤ 2.00: ${fullRatio <= 2 ? 'met' : 'missed'}); every run checked (${CHECKED_CUSTOMERS} customers' stored scores against a fresh computation, below).`,
      `the first full rescoring, reading every history to build the tallies (as after a model change): ${fixed(fromHistory.seconds)} s, ${fixed(fromHistory.seconds / floor)}× the floor.`,
      `stored scores against a fresh computation (${checkGaps.length} checked): ${checkGaps.filter((g) => g === 0).length} equal, ${checkGaps.filter((g) => g > 0 && g <= 0.1 + 1e-9).length} a tenth apart, the largest gap ${fixed(Math.max(0, ...checkGaps), 1)} (allowed ${MAX_PEER_DRIFT}: the peer reference moves as the rescoring rewrites stored scores).`,
      `one customer after a new interaction: p50 ${fixed(singleP50)} ms, p99 ${fixed(singleP99)} ms (target p99 ≤ 5 ms: ${singleP99 <= 5 ? 'met' : 'missed'}); the SQL floor p99 ${fixed(floorP99)} ms.`,
      `API p99 during a full rescoring ${fixed(busyP99, 1)} ms, ${fixed(apiRatio)}× idle ${fixed(idleP99, 1)} ms at ${rate} req/s, ${API_CONNECTIONS} connections (target ≤ 2.00: ${apiRatio <= 2 ? 'met' : 'missed'})${overlapped ? '' : '; a rescoring ended before its load window did: rerun with a shorter --duration or more data'}.`,
      `rescorings under API load took ${busyRuns.map((f) => fixed(f.seconds)).join(', ')} s.`,
    ];
    return {
      benchmark: 'rescoring',
      title: 'Benchmark 3: rescoring',
      machine: describeMachine(postgresVersion(dataset.url)),
      settings: {
        ...shownSettings(settings),
        customers: dataset.customers,
        interactions: dataset.interactions,
        apiRate: rate,
        apiConnections: API_CONNECTIONS,
      },
      scenarios: [],
      markdown,
      verdicts,
    };
  } finally {
    await server?.stop();
    await database.close();
    await client.end();
    await copy.drop();
  }
}
