// Benchmark 8: evaluation speed (issue 13's target). An evaluation scores every customer at every
// instant of its grid from the database; its cost should be the engine's, not the reads'. So the
// same customer-instants are scored twice in one run, alternated when --runs asks for several:
//  (a) `evaluateScoringModel` end to end (12 monthly instants, labels from recorded churns);
//  (b) the pure engine alone — `compileModel` + `scoreCustomer` — over inputs loaded beforehand,
//      outside the timing, with the evaluation's own helpers (`loadCustomerInputs`,
//      `interactionsAt`, `scoringInputAt`), for exactly the customer-instants the evaluation keeps.
// Target: (a) within 3× (b). Its data is its own throw-away PostgreSQL database (interactions
// over about 14 months, a churn recorded for a fifth of the customers through `recordOutcomes`),
// dropped at the end whatever happens.
import pg from 'pg';
import { openDatabase, type Database } from '@pulso/database';
import { testPostgresAdminUrl } from '@pulso/database/testing';
import {
  createWorkspace,
  evaluateScoringModel,
  interactionsAt,
  loadCustomerInputs,
  loadModelVersions,
  recordOutcomes,
  scoringInputAt,
  type OutcomeWrite,
} from '@pulso/core';
import {
  buildPeerGroups,
  compileModel,
  type CustomerScoringInput,
  DAY_MS,
  type InteractionInput,
  type PeerGroups,
  type PeerRates,
  peerRatesOf,
  peersFor,
  scoreCustomer,
} from '@pulso/scoring';
import type { BenchOptions } from '../lib/options.ts';
import { describeMachine, postgresVersion, type BenchmarkReport } from '../lib/report.ts';
import { fixed, median } from '../lib/stats.ts';

const INSTANTS = 12;
const STEP_DAYS = 30;
const HORIZON_DAYS = 30;
/** Interactions span this many days back from now (about 14 months). */
const SPAN_DAYS = 425;
/** The last instant: its horizon is over, with a few days to spare. */
const LAST_INSTANT_DAYS_AGO = 35;
/** One customer in CHURN_EVERY churns; half of the churners go quiet QUIET_DAYS before. */
const CHURN_EVERY = 5;
const QUIET_DAYS = 45;
const TARGET = 3;

/** One customer-instant as the engine takes it, prepared before the timing. */
interface Prepared {
  input: CustomerScoringInput;
  interactions: InteractionInput[];
  at: Date;
}

async function admin<T>(work: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testPostgresAdminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The churn day (days ago) of the customer at 1-based index `i` in external-id order, or null. */
function churnDaysAgo(i: number): number | null {
  return i % CHURN_EVERY === 0 ? 40 + ((i * 7919) % 360) : null;
}

/**
 * Customers (created 430 days ago) and interactions by set-based SQL, spread unevenly (a few
 * customers have many) over the last SPAN_DAYS; a churner's interactions stop at its churn, or
 * QUIET_DAYS earlier for every other one — the same rule as churnDaysAgo, written in SQL.
 */
async function seed(url: string, workspaceId: string, customers: number, interactions: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO "Customer" ("id", "workspaceId", "externalId", "name", "segment", "createdAt", "updatedAt")
       SELECT gen_random_uuid(), $1, 'cust-' || lpad(g::text, 7, '0'), 'Customer ' || g,
              (ARRAY['enterprise', 'mid-market', 'smb'])[1 + g % 3], now() - interval '430 days', now()
       FROM generate_series(1, $2::int) g`,
      [workspaceId, customers],
    );
    await client.query(
      `WITH cs AS (
         SELECT array_agg("id" ORDER BY "externalId") AS ids, count(*)::int AS n FROM "Customer" WHERE "workspaceId" = $1),
       ts AS (
         SELECT array_agg("id" ORDER BY "key") AS ids, array_agg("sentimentHandling"::text ORDER BY "key") AS handling,
                array_agg(coalesce("valueScale"::text, '') ORDER BY "key") AS scales, count(*)::int AS n
         FROM "InteractionType" WHERE "workspaceId" = $1),
       rows AS (
         SELECT g, ci, 1 + floor(random() * ts.n)::int AS ti, random() AS r,
                CASE WHEN ci % ${CHURN_EVERY} = 0 THEN 40 + (ci * 7919) % 360
                       + CASE WHEN ci % ${2 * CHURN_EVERY} = 0 THEN ${QUIET_DAYS} ELSE 0 END
                     ELSE 0 END AS until
         FROM (SELECT g, 1 + floor(cs.n * power(random(), 1.6))::int AS ci FROM generate_series(1, $2::int) g, cs) picked, ts)
       INSERT INTO "Interaction" ("id", "workspaceId", "customerId", "typeId", "occurredAt", "intensity", "sentiment", "value", "journeyStage", "source", "createdAt")
       SELECT gen_random_uuid(), $1, cs.ids[rows.ci], ts.ids[rows.ti],
              now() - make_interval(secs => (rows.until + random() * greatest(5, ${SPAN_DAYS} - rows.until)) * 86400),
              1 + floor(random() * 2),
              CASE WHEN ts.handling[rows.ti] = 'SIGNED' THEN
                (CASE WHEN rows.r < 0.45 THEN 'LIKED' WHEN rows.r < 0.75 THEN 'INDIFFERENT'
                      WHEN rows.r < 0.97 THEN 'DISLIKED' ELSE 'WASTED_TIME' END)::"Sentiment" END,
              CASE ts.scales[rows.ti]
                WHEN 'NPS' THEN floor(rows.r * 11) WHEN 'CSAT' THEN 1 + floor(rows.r * 5) WHEN 'CES' THEN 1 + floor(rows.r * 7) END,
              (ARRAY['USAGE', 'SUPPORT', 'LEARNING', 'DEEPENING', 'PURCHASE']::"JourneyStage"[])[1 + rows.g % 5],
              'bench', now()
       FROM rows, cs, ts`,
      [workspaceId, interactions],
    );
    // A database that has been running has its inserted pages marked all-visible by autovacuum.
    await client.query('VACUUM (ANALYZE)');
  } finally {
    await client.end();
  }
}

/** The churns, recorded the way a company would: recordOutcomes, by external id, in batches. */
async function recordChurns(database: Database, workspaceId: string, customers: number): Promise<number> {
  const now = Date.now();
  const writes: OutcomeWrite[] = [];
  for (let i = 1; i <= customers; i++) {
    const days = churnDaysAgo(i);
    if (days === null) continue;
    const externalId = `cust-${String(i).padStart(7, '0')}`;
    writes.push({
      customer: { externalId },
      kind: 'CHURNED',
      occurredAt: new Date(now - days * DAY_MS),
      voluntary: true,
      source: 'bench',
      idempotencyKey: `bench-churn-${externalId}`,
    });
  }
  for (let start = 0; start < writes.length; start += 1_000)
    await recordOutcomes(database.prisma, workspaceId, writes.slice(start, start + 1_000));
  return writes.length;
}

/**
 * Every customer-instant the evaluation observes (known by then, not churned then), with the
 * engine's inputs, read through the evaluation's own helpers; nothing here is timed.
 */
async function prepare(database: Database, workspaceId: string, instants: Date[]): Promise<Prepared[]> {
  const last = instants[instants.length - 1]!;
  const customers = await database.prisma.customer.findMany({
    where: { workspaceId },
    select: { id: true, createdAt: true },
    orderBy: { id: 'asc' },
  });
  const churns = await database.prisma.customerOutcome.findMany({
    where: { workspaceId, kind: { in: ['CHURNED', 'REACTIVATED'] } },
    select: { customerId: true, kind: true, occurredAt: true },
    orderBy: [{ occurredAt: 'asc' }, { createdAt: 'asc' }],
  });
  const createdAt = new Map(customers.map((c) => [c.id, c.createdAt.getTime()]));
  const events = new Map<string, typeof churns>();
  for (const o of churns) events.set(o.customerId, [...(events.get(o.customerId) ?? []), o]);
  const prepared: Prepared[] = [];
  for (let start = 0; start < customers.length; start += 1_000) {
    const page = customers.slice(start, start + 1_000);
    for (const customer of await loadCustomerInputs(
      database.prisma,
      workspaceId,
      page.map((c) => c.id),
      last,
    )) {
      const created = createdAt.get(customer.id)!;
      for (const at of instants) {
        const interactions = interactionsAt(customer, at);
        if (created > at.getTime() && interactions.length === 0) continue;
        let churnedThen = false;
        for (const e of events.get(customer.id) ?? [])
          if (e.occurredAt.getTime() <= at.getTime()) churnedThen = e.kind === 'CHURNED';
        if (churnedThen) continue;
        prepared.push({ input: scoringInputAt(customer, at), interactions, at });
      }
    }
  }
  return prepared;
}

/**
 * (b) The pure engine over the prepared customer-instants; the model is compiled inside the timing.
 * Formula 2 compares each customer with its peers as of the same instant, so the engine does what
 * the evaluation does: a first pass reading everyone's activity per instant, then the scores.
 */
function engineRun(model: Parameters<typeof compileModel>[0], prepared: Prepared[]): number {
  const started = performance.now();
  const compiled = compileModel(model);
  let groups: Map<number, PeerGroups> | null = null;
  if (compiled.formula === 2) {
    const rates = new Map<number, PeerRates[]>();
    for (const p of prepared) {
      const result = scoreCustomer(compiled, p.input, p.interactions, p.at);
      const at = p.at.getTime();
      if (!rates.has(at)) rates.set(at, []);
      rates.get(at)!.push(peerRatesOf(result, p.input.segment));
    }
    groups = new Map([...rates].map(([at, list]) => [at, buildPeerGroups(list)]));
  }
  let sum = 0;
  for (const p of prepared) {
    const peers = groups?.get(p.at.getTime());
    sum += scoreCustomer(compiled, p.input, p.interactions, p.at, {
      peers: peers && peersFor(peers, p.input.segment),
    }).score;
  }
  const ms = performance.now() - started;
  if (!Number.isFinite(sum)) throw new Error('the engine returned a score that is not a number');
  return ms;
}

export async function evaluation(options: BenchOptions): Promise<BenchmarkReport> {
  const customers = Math.max(10, Math.round(options.customers * options.scale));
  const interactionCount = Math.max(100, Math.round(options.interactions * options.scale));
  const name = `pulso_bench_evaluation_${process.pid}`;
  const url = new URL(testPostgresAdminUrl);
  url.pathname = `/${name}`;
  await admin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await c.query(`CREATE DATABASE "${name}"`);
  });
  // Ctrl-C still drops the database: the finally below would not run.
  const onSignal = () => {
    void admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  let database: Database | undefined;
  try {
    database = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 4 });
    await database.migrate();
    const { workspaceId } = await createWorkspace(database.prisma, { slug: 'bench', name: 'Bench' });
    console.log(`seeding ${name}: ${customers} customers, ${interactionCount} interactions over ${SPAN_DAYS} days`);
    let started = performance.now();
    await seed(url.toString(), workspaceId, customers, interactionCount);
    const churned = await recordChurns(database, workspaceId, customers);
    const seedSeconds = (performance.now() - started) / 1000;
    console.log(`  seeded in ${seedSeconds.toFixed(1)} s (${churned} churns recorded)`);

    const now = new Date();
    const to = new Date(now.getTime() - LAST_INSTANT_DAYS_AGO * DAY_MS);
    const from = new Date(to.getTime() - (INSTANTS - 1) * STEP_DAYS * DAY_MS);
    const request = { from, to, stepDays: STEP_DAYS, horizonDays: HORIZON_DAYS };
    const versions = await loadModelVersions(database.prisma, workspaceId);
    if (versions.versions.length !== 1) throw new Error('the benchmark workspace should have one model version');
    const model = versions.versions[0]!.model;

    const instants = Array.from({ length: INSTANTS }, (_, k) => new Date(from.getTime() + k * STEP_DAYS * DAY_MS));
    const engineMs: number[] = [];
    const evaluationMs: number[] = [];
    const observeMs: number[] = [];
    let report: Awaited<ReturnType<typeof evaluateScoringModel>> | undefined;
    let observed = 0;
    let interactionsScored = 0;
    for (let round = 0; round < options.runs; round++) {
      for (const contender of round % 2 ? ['evaluation', 'engine'] : ['engine', 'evaluation']) {
        if (contender === 'engine') {
          // Loaded for this run only and let go after: millions of retained objects would slow
          // the evaluation's garbage collection, which the evaluation itself never holds.
          started = performance.now();
          const prepared = await prepare(database, workspaceId, instants);
          observed = prepared.length;
          interactionsScored = prepared.reduce((sum, p) => sum + p.interactions.length, 0);
          console.log(
            `  ${observed} customer-instants (${interactionsScored} interactions) loaded for the engine in ${((performance.now() - started) / 1000).toFixed(1)} s`,
          );
          engineMs.push(engineRun(model, prepared));
          console.log(`  engine · run ${round + 1}: ${engineMs.at(-1)!.toFixed(0)} ms`);
        } else {
          const t = performance.now();
          report = await evaluateScoringModel(database.prisma, workspaceId, request, { now });
          evaluationMs.push(performance.now() - t);
          observeMs.push(report.timings.observeMs);
          console.log(
            `  evaluateScoringModel · run ${round + 1}: ${evaluationMs.at(-1)!.toFixed(0)} ms (observe ${report.timings.observeMs} ms, evaluate ${report.timings.evaluateMs} ms)`,
          );
        }
      }
      if (report!.observations !== observed)
        throw new Error(
          `the evaluation observed ${report!.observations} customer-instants, the engine scored ${observed}`,
        );
    }
    const engine = median(engineMs);
    const whole = median(evaluationMs);
    const observing = median(observeMs);
    const ratio = whole / engine;
    const perSecond = (ms: number) => Math.round((observed / ms) * 1000).toLocaleString('en-US');
    const markdown = [
      '| contender | ms | customer-instants/s | × engine |',
      '|---|---:|---:|---:|',
      `| pure engine (compileModel + scoreCustomer; formula 2: both passes) | ${engine.toFixed(0)} | ${perSecond(engine)} | 1.00 |`,
      `| evaluateScoringModel: reading and scoring | ${observing.toFixed(0)} | ${perSecond(observing)} | ${fixed(observing / engine)} |`,
      `| evaluateScoringModel end to end | ${whole.toFixed(0)} | ${perSecond(whole)} | ${fixed(ratio)} |`,
      '',
      `${customers.toLocaleString('en-US')} customers, ${interactionCount.toLocaleString('en-US')} interactions over ${SPAN_DAYS} days, ` +
        `${churned.toLocaleString('en-US')} churns recorded; ${INSTANTS} instants every ${STEP_DAYS} days from ` +
        `${from.toISOString().slice(0, 10)} to ${to.toISOString().slice(0, 10)}, horizon ${HORIZON_DAYS} days: ` +
        `${observed.toLocaleString('en-US')} customer-instants observed (churned customers are not observed after ` +
        `their churn), ${interactionsScored.toLocaleString('en-US')} interactions scored, ${report!.churnObservations} labelled churn; ` +
        `model AUC ${report!.rankers.model.auc.toFixed(3)}. Medians of ${options.runs} run(s) each, alternated (the engine's inputs loaded before each of its runs, untimed, and let go after); seeding took ${seedSeconds.toFixed(0)} s.`,
    ].join('\n');
    return {
      benchmark: 'evaluation',
      title: 'Evaluation speed',
      machine: describeMachine(postgresVersion(url.toString())),
      settings: { customers, interactions: interactionCount, scale: options.scale, runs: options.runs },
      scenarios: [],
      markdown,
      verdicts: [
        `evaluateScoringModel took ${fixed(ratio)}× the pure engine's time for the same customer-instants: target ≤ ${TARGET}× ${ratio <= TARGET ? 'met' : 'missed'}.`,
      ],
    };
  } finally {
    process.off('SIGINT', onSignal);
    await database?.close();
    await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    console.log(`dropped ${name}`);
  }
}
