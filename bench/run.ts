// The suite's entry: `npm run bench` runs every benchmark, `npm run bench -- <name>` one of them.
// This process is the load generator (pinned to core 1); contenders run as child processes
// pinned to core 0. Benchmarks print and record figures; they never fail on timing.
import { dashboard } from './benchmarks/dashboard.ts';
import { graphqlOverhead } from './benchmarks/graphql-overhead.ts';
import { widgets } from './benchmarks/widgets.ts';
import { embeddedVsServer } from './benchmarks/embedded-vs-server.ts';
import { ingestion } from './benchmarks/ingestion.ts';
import { rescoring } from './benchmarks/rescoring.ts';
import { prediction } from './benchmarks/prediction.ts';
import { evaluation } from './benchmarks/evaluation.ts';
import { start } from './benchmarks/start.ts';
import { timeOrderedIngestion } from './benchmarks/time-ordered-ingestion.ts';
import { benchDataset, type Dataset } from './lib/dataset.ts';
import { pgliteDataset, type PgliteDataset } from './lib/pglite-dataset.ts';
import { pinSelfToLoadCore } from './lib/cpu.ts';
import { HELP, optionsOrExit, parseOptions, type BenchOptions } from './lib/options.ts';
import { printReport, recordReport, type BenchmarkReport } from './lib/report.ts';

const BENCHMARKS: Record<string, (options: BenchOptions) => Promise<BenchmarkReport>> = {
  'graphql-overhead': (o) => graphqlOverhead(o),
  dashboard: async (o) => dashboard(o, await dataset(o)),
  ingestion: async (o) => ingestion(o, await dataset(o), () => pglite(o)),
  // Its own, larger data set by default (issue #7: 100,000 customers, 10,000,000 interactions).
  rescoring: async (o) =>
    rescoring(
      o,
      await (o.sizeGiven ? dataset(o) : benchDataset({ customers: 100_000, interactions: 10_000_000, fresh: o.fresh })),
    ),
  'embedded-vs-server': async (o) => embeddedVsServer(o, await dataset(o), await pglite(o)),
  widgets: (o) => widgets(o),
  // No database, no server: synthetic worlds scored by the pure engine (prediction/WORLDS.md).
  prediction: (o) => prediction(o),
  // Its own throw-away PostgreSQL database: the evaluation against the pure engine (issue 13).
  evaluation: (o) => evaluation(o),
  // The compiled server's start, launch to ready, on PGlite and PostgreSQL (issue 18).
  start: (o) => start(o),
  // An empty workspace fed an event stream oldest first, on PostgreSQL and PGlite (issue 19).
  'time-ordered': (o) => timeOrderedIngestion(o),
};

// Generated once per run, on first use, and kept between runs (see lib/dataset.ts).
let generated: Promise<Dataset> | undefined;
function dataset(o: BenchOptions): Promise<Dataset> {
  return (generated ??= benchDataset({ customers: o.customers, interactions: o.interactions, fresh: o.fresh }));
}

// The same rows in a PGlite data folder, for benchmarks 4 and 5 (see lib/pglite-dataset.ts).
let generatedPglite: Promise<PgliteDataset> | undefined;
function pglite(o: BenchOptions): Promise<PgliteDataset> {
  return (generatedPglite ??= pgliteDataset({ customers: o.customers, interactions: o.interactions, fresh: o.fresh }));
}

const options: BenchOptions = optionsOrExit(() => parseOptions(process.argv.slice(2)), HELP);
const unknown = options.only.filter((name) => !(name in BENCHMARKS));
if (unknown.length) {
  console.error(`unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(BENCHMARKS).join(', ')}`);
  process.exit(2);
}

pinSelfToLoadCore();
for (const name of options.only.length ? options.only : Object.keys(BENCHMARKS)) {
  console.log(`\n# ${name}`);
  const report = await BENCHMARKS[name]!(options);
  printReport(report);
  if (options.record) recordReport(report);
}
