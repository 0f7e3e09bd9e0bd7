// Benchmark 1: what the GraphQL layer costs with no database. The same two queries (a trivial one,
// a 60-object list) against a bare node:http handler (the floor), graphql-yoga with its defaults
// over a plain SDL schema (the baseline), the same with graphql-jit, and Pulso's server stack, without
// and with OpenTelemetry tracing.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, join } from 'node:path';
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

/** An OTLP receiver that accepts and drops every export: what tracing costs the server, not a collector. */
async function startTraceSink(): Promise<Server> {
  const sink = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  return sink;
}

export async function graphqlOverhead(settings: MeasureSettings): Promise<BenchmarkReport> {
  const servers: [string, ServerProcess][] = [];
  const sink = await startTraceSink();
  try {
    servers.push(['node:http', await startServer('bare-http.ts')]);
    servers.push(['yoga', await startServer('yoga-plain.ts')]);
    servers.push(['yoga + jit', await startServer('yoga-plain.ts', { BENCH_YOGA_JIT: '1' })]);
    servers.push(['pulso', await startServer('pulso-stack.ts')]);
    // BENCH_PAIR_WITH=<another checkout>: that checkout's Pulso stack too, measured in the same
    // alternation (e.g. the commit before a change, to see what the change costs per request).
    const other = process.env.BENCH_PAIR_WITH;
    if (other)
      servers.push([`pulso @ ${basename(other)}`, await startServer('pulso-stack.ts', {}, join(other, 'bench'))]);
    // The same stack with OpenTelemetry tracing on (a span per request and per GraphQL phase).
    servers.push([
      'pulso + tracing',
      await startServer('pulso-stack.ts', {
        BENCH_TRACING: '1',
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(sink.address() as AddressInfo).port}`,
      }),
    ]);
    const scenario = (name: string, query: string): Scenario => ({
      name,
      baseline: 'yoga',
      contenders: servers.map(
        ([contender, server]): Contender => ({
          name: contender,
          url: server.url,
          workload: workload(query, server.key),
          cpuSeconds: server.cpuSeconds,
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
    await new Promise((resolve) => sink.close(resolve));
  }
}
