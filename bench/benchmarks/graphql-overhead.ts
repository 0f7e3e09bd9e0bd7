// Benchmark 1: what the GraphQL layer costs with no database. The same two queries (a trivial one,
// a 60-object list) against a bare node:http handler (the floor), graphql-yoga with its defaults
// over a plain SDL schema (the baseline), the same with graphql-jit, and Pulso's server stack.
import { measureScenario, type Contender, type MeasureSettings, type Scenario } from '../lib/compare.ts';
import { graphqlCheck, type Workload } from '../lib/load.ts';
import { describeMachine, type BenchmarkReport } from '../lib/report.ts';
import { startServer, type ServerProcess } from '../lib/server-process.ts';
import { fixed } from '../lib/stats.ts';
import { LIST_QUERY, LIST_SIZE, TRIVIAL_QUERY } from '../servers/items.ts';

const TARGET = 0.95;

function workload(query: string, key?: string): Workload {
  const shape =
    query === LIST_QUERY
      ? (data: any) =>
          Array.isArray(data.benchItems) &&
          data.benchItems.length === LIST_SIZE &&
          typeof data.benchItems[59].score === 'number'
      : (data: any) => data.__typename === 'Query';
  return {
    path: '/graphql',
    body: { query },
    headers: key ? { authorization: `Bearer ${key}` } : {},
    verify: graphqlCheck(shape),
  };
}

export async function graphqlOverhead(settings: MeasureSettings): Promise<BenchmarkReport> {
  const servers: [string, ServerProcess][] = [];
  try {
    servers.push(['node:http', await startServer('bare-http.ts')]);
    servers.push(['yoga', await startServer('yoga-plain.ts')]);
    servers.push(['yoga + jit', await startServer('yoga-plain.ts', { BENCH_YOGA_JIT: '1' })]);
    servers.push(['pulso', await startServer('pulso-stack.ts')]);
    const scenario = (name: string, query: string): Scenario => ({
      name,
      baseline: 'yoga',
      contenders: servers.map(
        ([contender, server]): Contender => ({
          name: contender,
          url: server.url,
          workload: workload(query, server.key),
        }),
      ),
    });
    const scenarios = [];
    for (const s of [
      scenario('trivial query `{ __typename }`', TRIVIAL_QUERY),
      scenario(`${LIST_SIZE}-object list`, LIST_QUERY),
    ]) {
      console.log(`\n${s.name}`);
      scenarios.push(await measureScenario(s, settings));
    }
    const verdicts = scenarios.map((s) => {
      const pulso = s.contenders.find((c) => c.name === 'pulso')!;
      return `${s.name}: Pulso ${fixed(pulso.rpsRatio)}× plain Yoga (target ≥ ${TARGET}): ${pulso.rpsRatio >= TARGET ? 'met' : 'missed'}.`;
    });
    return {
      benchmark: 'graphql-overhead',
      title: 'Benchmark 1: GraphQL overhead, no database',
      machine: describeMachine(),
      settings: { ...settings },
      scenarios,
      verdicts,
    };
  } finally {
    await Promise.all(servers.map(([, s]) => s.stop()));
  }
}
