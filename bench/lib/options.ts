// Command-line flags and environment variables of the suite. Flags win over the environment;
// every size and duration has a default that keeps the whole suite within a few minutes.
export interface BenchOptions {
  /** Benchmarks to run, by name; all of them when empty. */
  only: string[];
  customers: number;
  interactions: number;
  /** True when --customers or --interactions (or their variables) were given: the rescoring benchmark then uses them instead of its own 100,000 / 10,000,000. */
  sizeGiven: boolean;
  /** Measured runs per contender (alternated); the median is reported. */
  runs: number;
  /** Seconds of load per measured run. */
  duration: number;
  /** Seconds of load before the first measured run of each contender. */
  warmup: number;
  connections: number;
  /** Regenerate the benchmark database even when one with the same sizes exists. */
  fresh: boolean;
  /** Write bench/results/*.json and refresh bench/RESULTS.md (default true). */
  record: boolean;
  /** The prediction benchmark's churn horizon in days: 30, 60 or 90. */
  horizon: number;
  /** The prediction benchmark's world size, as a multiple of its default customers; the evaluation benchmark's data size, as a multiple of customers and interactions; the time-ordered stream's interactions, as a multiple of 100,000. */
  scale: number;
}

const HELP = `usage: npm run bench -- [benchmark...] [flags]

benchmarks: graphql-overhead, dashboard, rescoring, ingestion, embedded-vs-server, widgets, prediction, evaluation,
  start, time-ordered (all when none is named)

flags (environment variable in brackets):
  --customers N      customers in the generated workspace [BENCH_CUSTOMERS] (10000; rescoring: 100000)
  --interactions N   interactions spread over them [BENCH_INTERACTIONS] (1000000; rescoring: 10000000)
  --runs N           measured runs per contender, alternated; medians reported [BENCH_RUNS] (3)
  --duration S       seconds per measured run [BENCH_DURATION] (5)
  --warmup S         seconds of warm-up per contender [BENCH_WARMUP] (3)
  --connections N    concurrent connections of the load generator [BENCH_CONNECTIONS] (50)
  --fresh            regenerate the benchmark database [BENCH_FRESH=1]
  --horizon D        prediction: churn within D days is the label, 30, 60 or 90 [BENCH_HORIZON] (30)
  --scale N          prediction: customers per world, times the default; evaluation: customers and
                     interactions, times --customers/--interactions; time-ordered: the stream's
                     100000 interactions (553 customers; 2.5 is issue 19's 250000) [BENCH_SCALE] (1)
  --no-record        print only: do not write bench/results/*.json nor bench/RESULTS.md
`;

function positiveNumber(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw.replaceAll('_', ''));
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
}

function horizonDays(days: number): number {
  if (![30, 60, 90].includes(days)) throw new Error(`--horizon must be 30, 60 or 90, got ${days}`);
  return days;
}

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): BenchOptions | 'help' {
  const flags = new Map<string, string>();
  const only: string[] = [];
  const booleans = new Set(['fresh', 'no-record']);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--') continue;
    if (arg.startsWith('--')) {
      const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
      if (booleans.has(name)) flags.set(name, inline ?? '1');
      else if (inline !== undefined) flags.set(name, inline);
      else if (i + 1 < argv.length) flags.set(name, argv[++i]!);
      else throw new Error(`--${name} needs a value`);
    } else {
      only.push(arg);
    }
  }
  const known = new Set([
    'customers',
    'interactions',
    'runs',
    'duration',
    'warmup',
    'connections',
    'horizon',
    'scale',
    ...booleans,
  ]);
  for (const name of flags.keys()) if (!known.has(name)) throw new Error(`unknown flag --${name}\n\n${HELP}`);
  const pick = (flag: string, variable: string, fallback: number) =>
    positiveNumber(`--${flag}`, flags.get(flag) ?? env[variable], fallback);
  return {
    only,
    customers: Math.round(pick('customers', 'BENCH_CUSTOMERS', 10_000)),
    interactions: Math.round(pick('interactions', 'BENCH_INTERACTIONS', 1_000_000)),
    sizeGiven:
      ['customers', 'interactions'].some((f) => flags.has(f)) || Boolean(env.BENCH_CUSTOMERS || env.BENCH_INTERACTIONS),
    runs: Math.round(pick('runs', 'BENCH_RUNS', 3)),
    duration: pick('duration', 'BENCH_DURATION', 5),
    warmup: pick('warmup', 'BENCH_WARMUP', 3),
    connections: Math.round(pick('connections', 'BENCH_CONNECTIONS', 50)),
    fresh: flags.has('fresh') || env.BENCH_FRESH === '1',
    record: !flags.has('no-record'),
    horizon: horizonDays(pick('horizon', 'BENCH_HORIZON', 30)),
    scale: pick('scale', 'BENCH_SCALE', 1),
  };
}

export { HELP };

/**
 * The options a script was started with, or the process ends: with the usage text on --help
 * (exit 0), with the parser's one-line reason on a bad flag (exit 2).
 */
export function optionsOrExit<T>(parse: () => T | 'help', help: string): T {
  let options: T | 'help';
  try {
    options = parse();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  if (options === 'help') {
    console.log(help);
    process.exit(0);
  }
  return options;
}
