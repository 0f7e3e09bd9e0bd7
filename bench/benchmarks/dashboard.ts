// Benchmark 2: the dashboard's at-risk list — scores, breakdowns and each customer's last 5
// interactions — served by Pulso, by PostGraphile V5 over the same tables, and by one hand-written
// SQL statement behind node:http (the floor), on the generated PostgreSQL database. PostGraphile is
// the baseline; SQL statements per request come from pg_stat_statements.
import { describeAnswerAsSent, measureAnswerAsSent } from '../lib/answer-as-sent.ts';
import { measureScenario, type Contender, type MeasureSettings, type ScenarioResult } from '../lib/compare.ts';
import type { Dataset } from '../lib/dataset.ts';
import { graphqlCheck, type Workload } from '../lib/load.ts';
import { describeMachine, postgresVersion, type BenchmarkReport } from '../lib/report.ts';
import { startServer, type ServerProcess } from '../lib/server-process.ts';
import { countStatements } from '../lib/sql-statements.ts';
import { fixed } from '../lib/stats.ts';

export const PULSO_QUERY = `query AtRisk($first: Int!) {
  atRiskCustomers(first: $first) {
    score scoreChange30d mainReason { code message }
    customer {
      id externalId name segment band
      health { value band categories { key subScore contribution effectiveWeight } flags { code message } }
      interactions(first: 5) { edges { node { id occurredAt sentiment value comment type { key name } } } }
    }
  }
}`;

const POSTGRAPHILE_QUERY = `query AtRisk($ws: UUID!, $first: Int!) {
  allCustomers(first: $first, condition: { workspaceId: $ws, band: AT_RISK }, orderBy: [SCORE_ASC, SCORE_CHANGE30D_ASC, ROW_ID_ASC]) {
    nodes {
      rowId externalId name segment score band scoreChange30D scoreBreakdown
      interactionsByWorkspaceIdAndCustomerId(first: 5, orderBy: [OCCURRED_AT_DESC, ROW_ID_DESC]) {
        nodes { rowId occurredAt sentiment value comment interactionTypeByWorkspaceIdAndTypeId { key name } }
      }
    }
  }
}`;

const PAGES = [10, 100, 200];

function workloads(dataset: Dataset, first: number): Record<string, Workload> {
  const page = (list: unknown, check: (item: any) => boolean) =>
    Array.isArray(list) && list.length === first && list.every(check);
  return {
    'sql floor': {
      path: '/graphql',
      body: { variables: { first } },
      verify: graphqlCheck((d) =>
        page(d.atRisk, (c) => c.band === 'AT_RISK' && c.scoreBreakdown && c.interactions.length <= 5),
      ),
    },
    postgraphile: {
      path: '/graphql',
      body: { query: POSTGRAPHILE_QUERY, variables: { ws: dataset.workspaceId, first } },
      verify: graphqlCheck((d) =>
        page(
          d.allCustomers?.nodes,
          (c) => c.band === 'AT_RISK' && c.scoreBreakdown && c.interactionsByWorkspaceIdAndCustomerId.nodes.length <= 5,
        ),
      ),
    },
    pulso: {
      path: '/graphql',
      body: { query: PULSO_QUERY, variables: { first } },
      headers: { authorization: `Bearer ${dataset.secretKey}` },
      verify: graphqlCheck((d) =>
        page(
          d.atRiskCustomers,
          (a) =>
            a.customer.band === 'AT_RISK' &&
            a.customer.health.categories.length > 0 &&
            a.customer.interactions.edges.length <= 5,
        ),
      ),
    },
  };
}

async function send(url: string, workload: Workload): Promise<void> {
  const response = await fetch(new URL(workload.path, url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...workload.headers },
    body: JSON.stringify(workload.body),
  });
  const text = await response.text();
  if (response.status !== 200 || !workload.verify(text))
    throw new Error(`wrong answer while counting statements: ${text.slice(0, 300)}`);
}

export async function dashboard(settings: MeasureSettings, dataset: Dataset): Promise<BenchmarkReport> {
  if (dataset.atRisk < Math.max(...PAGES))
    throw new Error(
      `the dataset has ${dataset.atRisk} at-risk customers, fewer than a page of ${Math.max(...PAGES)}: generate more customers`,
    );
  const env = { BENCH_DATABASE_URL: dataset.url, BENCH_WORKSPACE_ID: dataset.workspaceId };
  const servers: [string, ServerProcess][] = [];
  try {
    servers.push(['sql floor', await startServer('sql-floor.ts', env)]);
    servers.push(['postgraphile', await startServer('postgraphile.ts', env)]);
    servers.push(['pulso', await startServer('pulso.ts', env)]);
    const scenarios: ScenarioResult[] = [];
    const statements: Record<string, Record<number, number | null>> = {};
    const seen: string[] = [];
    const asSent: string[] = [];
    for (const first of PAGES) {
      const work = workloads(dataset, first);
      const name = `at-risk page of ${first}`;
      console.log(`\n${name}`);
      const contenders = servers.map(
        ([contender, server]): Contender => ({ name: contender, url: server.url, workload: work[contender]! }),
      );
      const result = await measureScenario({ name, baseline: 'postgraphile', contenders }, settings);
      for (const c of result.contenders) {
        const server = servers.find(([n]) => n === c.name)![1];
        // Pulso's API-key lookup is cached for 5 s: one statement every 5 s whatever the load, not one per request.
        const count = await countStatements(
          dataset.url,
          () => send(server.url, work[c.name]!),
          20,
          c.name === 'pulso' ? '%"ApiKey"%' : undefined,
        );
        c.statements = count?.perRequest ?? null;
        (statements[c.name] ??= {})[first] = c.statements;
        if (count && c.name === 'pulso')
          seen.push(
            `pulso, page of ${first}: ${count.statements.map((s) => `${s.calls}× ${s.query.slice(0, 90)}`).join(' | ')}`,
          );
      }
      scenarios.push(result);
      // Pulso compresses its answers (plugins/response-compression.ts); the load above asks for none.
      const pulsoServer = servers.find(([n]) => n === 'pulso')![1];
      asSent.push(
        describeAnswerAsSent(`Pulso's page of ${first}`, await measureAnswerAsSent(pulsoServer.url, work.pulso!)),
      );
    }
    const pulso = (page: number) => scenarios[PAGES.indexOf(page)]!.contenders.find((c) => c.name === 'pulso')!;
    const verdicts = PAGES.map((page) => {
      const p = pulso(page);
      return `page of ${page}: Pulso ${fixed(p.rpsRatio)}× PostGraphile in req/s (target ≥ 1.00: ${p.rpsRatio >= 1 ? 'met' : 'missed'}), p99 ${fixed(p.p99Ratio)}× (target ≤ 1.00: ${p.p99Ratio <= 1 ? 'met' : 'missed'}), ${fixed(p.statements, 1)} SQL statements per request (target ≤ 2: ${p.statements == null ? 'not measured' : p.statements <= 2 ? 'met' : 'missed'}).`;
    });
    const counts = PAGES.map((page) => statements.pulso?.[page]);
    if (counts.every((c) => c != null)) {
      const grows = counts.some((c) => c! > counts[0]!);
      verdicts.push(
        `Pulso's statements per request from ${PAGES[0]} to ${PAGES.at(-1)} customers: ${counts.map((c) => fixed(c, 1)).join(' → ')} (target: no growth): ${grows ? 'missed' : 'met'}.`,
      );
    }
    verdicts.push(...asSent);
    for (const line of seen) console.log(`  statements seen: ${line}`);
    return {
      benchmark: 'dashboard',
      title: 'Benchmark 2: dashboard query against PostGraphile',
      machine: describeMachine(postgresVersion(dataset.url)),
      settings: {
        ...settings,
        customers: dataset.customers,
        interactions: dataset.interactions,
        atRisk: dataset.atRisk,
      },
      scenarios,
      verdicts,
    };
  } finally {
    await Promise.all(servers.map(([, s]) => s.stop()));
  }
}
