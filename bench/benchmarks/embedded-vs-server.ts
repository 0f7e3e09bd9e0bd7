// Benchmark 5: embedded against server. The same API calls — a gauge read, an at-risk page, a
// rating — against one Pulso server on PGlite and one on PostgreSQL, on copies of the same
// generated data (same sizes, same SQL), PostgreSQL as the baseline. Then the event loop of the
// PGlite server while a full rescoring runs in it: the latency of GET /healthz polled every 10 ms,
// idle and during the rescoring (a product route, no bench-only hook in the server), with the
// same on PostgreSQL for comparison.
import { measureScenario, type ScenarioResult } from '../lib/compare.ts';
import type { Dataset } from '../lib/dataset.ts';
import { copyPgliteDataset, copyPostgresDataset, type DatasetCopy } from '../lib/dataset-copy.ts';
import { graphqlCheck, type Workload } from '../lib/load.ts';
import type { BenchOptions } from '../lib/options.ts';
import type { PgliteDataset } from '../lib/pglite-dataset.ts';
import { pulsoEnv } from '../lib/pulso-env.ts';
import { isFreshReceipt, ratingPayload, signTokens, type RatingCustomers } from '../lib/rating-load.ts';
import { describeMachine, postgresVersion, type BenchmarkReport } from '../lib/report.ts';
import { startServer, type ServerProcess } from '../lib/server-process.ts';
import { fixed } from '../lib/stats.ts';
import { PULSO_QUERY } from './dashboard.ts';

/** What the gauge widget asks (packages/widgets/src/gauge/pulso-gauge.ts). */
const GAUGE_QUERY = `query PulsoGauge($externalId: String!) {
  customer(externalId: $externalId) {
    id name
    health { value band trend { change30d direction } categories { key name subScore contribution hasData } flags { code message } }
  }
}`;

const TARGET = 0.8;
const POLL_MS = 10;
const IDLE_MS = 5_000;

interface Side {
  name: 'PostgreSQL' | 'PGlite';
  copy: DatasetCopy;
  server: ServerProcess;
  customers: RatingCustomers;
}

function workloads(side: Side): Record<string, Workload> {
  const secret = { authorization: `Bearer ${side.copy.secretKey}` };
  return {
    'gauge read': {
      path: '/graphql',
      body: { query: GAUGE_QUERY, variables: { externalId: 'cust-0000042' } },
      headers: secret,
      verify: graphqlCheck((d) => d.customer?.name === 'Customer 42' && typeof d.customer.health?.value === 'number'),
    },
    'at-risk page of 10': {
      path: '/graphql',
      body: { query: PULSO_QUERY, variables: { first: 10 } },
      headers: secret,
      verify: graphqlCheck(
        (d) =>
          Array.isArray(d.atRiskCustomers) &&
          d.atRiskCustomers.length === 10 &&
          d.atRiskCustomers.every((a: any) => a.customer.band === 'AT_RISK'),
      ),
    },
    rating: {
      path: '/graphql',
      nextBody: () => ratingPayload(side.customers, `bench-embedded-${side.name}`).payload,
      headers: { authorization: `Bearer ${side.copy.publishableKey}` },
      verify: isFreshReceipt,
    },
  };
}

interface Delays {
  samples: number;
  p50: number;
  p99: number;
  max: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : Number.NaN;
}

/** Polls /healthz every 10 ms (one request at a time) until `until` resolves; latencies in ms. */
async function pollHealth(url: string, until: Promise<unknown>): Promise<Delays> {
  let done = false;
  void until.finally(() => (done = true));
  const latencies: number[] = [];
  while (!done) {
    const started = performance.now();
    const response = await fetch(new URL('/healthz', url));
    await response.text();
    if (response.status !== 200) throw new Error(`/healthz answered ${response.status}`);
    const took = performance.now() - started;
    latencies.push(took);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, POLL_MS - took)));
  }
  latencies.sort((a, b) => a - b);
  return {
    samples: latencies.length,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? Number.NaN,
  };
}

async function graphql(side: Side, query: string, variables: Record<string, unknown> = {}): Promise<any> {
  const response = await fetch(new URL('/graphql', side.server.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${side.copy.secretKey}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors).slice(0, 300)}`);
  return body.data;
}

/** Starts a full rescoring through the API and resolves when it has succeeded; its duration in s. */
async function rescoreEveryone(side: Side): Promise<number> {
  const started = performance.now();
  const { rescoreAllCustomers: job } = await graphql(
    side,
    'mutation { rescoreAllCustomers { ... on RescoreJob { id total } } }',
  );
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const { rescoreJob } = await graphql(side, 'query ($id: ID!) { rescoreJob(id: $id) { status done total error } }', {
      id: job.id,
    });
    if (rescoreJob.status === 'SUCCEEDED') return (performance.now() - started) / 1000;
    if (rescoreJob.status === 'FAILED') throw new Error(`the rescoring failed: ${rescoreJob.error}`);
  }
}

interface EventLoopResult {
  name: string;
  idle: Delays;
  rescoring: Delays;
  seconds: number;
}

async function eventLoopDuringRescoring(side: Side): Promise<EventLoopResult> {
  const idle = await pollHealth(side.server.url, new Promise((resolve) => setTimeout(resolve, IDLE_MS)));
  let seconds = 0;
  const rescoring = await pollHealth(
    side.server.url,
    rescoreEveryone(side).then((s) => (seconds = s)),
  );
  return { name: side.name, idle, rescoring, seconds };
}

function delayTable(rows: EventLoopResult[]): string {
  const head = [
    'server',
    'rescoring s',
    'idle p50 ms',
    'idle p99 ms',
    'idle max ms',
    'rescoring p50 ms',
    'rescoring p99 ms',
    'rescoring max ms',
    'p99 ×',
  ];
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
    ...rows.map(
      (r) =>
        `| ${[r.name, fixed(r.seconds, 1), fixed(r.idle.p50, 1), fixed(r.idle.p99, 1), fixed(r.idle.max, 1), fixed(r.rescoring.p50, 1), fixed(r.rescoring.p99, 1), fixed(r.rescoring.max, 1), fixed(r.rescoring.p99 / r.idle.p99)].join(' | ')} |`,
    ),
  ].join('\n');
}

export async function embeddedVsServer(
  settings: BenchOptions,
  postgres: Dataset,
  pglite: PgliteDataset,
): Promise<BenchmarkReport> {
  if (postgres.customers !== pglite.customers || postgres.interactions !== pglite.interactions) {
    throw new Error(
      `the two datasets differ (${postgres.customers}/${postgres.interactions} against ${pglite.customers}/${pglite.interactions})`,
    );
  }
  const sides: Side[] = [];
  try {
    for (const [name, copy] of [
      ['PostgreSQL', await copyPostgresDataset(postgres, 'embedded')],
      ['PGlite', await copyPgliteDataset(pglite, 'embedded')],
    ] as const) {
      const customers = await signTokens(copy.tokenSigningSecret, copy.externalIds);
      sides.push({ name, copy, customers, server: await startServer('pulso-configured.ts', pulsoEnv(copy.env)) });
    }
    const scenarios: ScenarioResult[] = [];
    for (const call of ['gauge read', 'at-risk page of 10', 'rating']) {
      console.log(`\n${call}`);
      const contenders = sides.map((side) => ({
        name: side.name,
        url: side.server.url,
        workload: workloads(side)[call]!,
      }));
      scenarios.push(await measureScenario({ name: call, baseline: 'PostgreSQL', contenders }, settings));
    }
    console.log('\nevent loop while a full rescoring runs');
    const loops: EventLoopResult[] = [];
    for (const side of [...sides].reverse()) {
      const result = await eventLoopDuringRescoring(side);
      loops.push(result);
      console.log(
        `  ${side.name}: rescoring ${result.seconds.toFixed(1)} s; /healthz p99 idle ${result.idle.p99.toFixed(1)} ms, during ${result.rescoring.p99.toFixed(1)} ms, max ${result.rescoring.max.toFixed(1)} ms`,
      );
    }
    const verdicts = scenarios.map((s) => {
      const p = s.contenders.find((c) => c.name === 'PGlite')!;
      return `${s.name}: PGlite ${fixed(p.rpsRatio)}× PostgreSQL in req/s (target ≥ ${TARGET}: ${p.rpsRatio >= TARGET ? 'met' : 'missed'}), p99 ${fixed(p.p99Ratio)}×.`;
    });
    verdicts.push(
      `Event loop, from outside: latency of GET /healthz (it runs SELECT 1) polled every ${POLL_MS} ms, ${IDLE_MS / 1000} s idle, then while rescoreAllCustomers runs in the same server process:\n\n${delayTable(loops)}\n`,
      `Data: ${pglite.customers} customers, ${pglite.interactions} interactions on both sides (copies of lib/dataset.ts's rows); reads with the secret key, ratings with a publishable key and customer tokens; rate limits off (PULSO_RATE_LIMIT_PER_*=0).`,
    );
    return {
      benchmark: 'embedded-vs-server',
      title: 'Benchmark 5: embedded (PGlite) against server (PostgreSQL)',
      machine: describeMachine(postgresVersion(postgres.url)),
      settings: { ...settings, customers: pglite.customers, interactions: pglite.interactions },
      scenarios,
      verdicts,
    };
  } finally {
    for (const side of sides) {
      await side.server.stop();
      await side.copy.drop();
    }
  }
}
