// Flags of the load script (environment variables LOAD_* as fallbacks): how long, how wide, which
// databases. Defaults keep one run of both databases within about two minutes on 2 cores.
import { parseArgs } from 'node:util';

export type DatabaseKind = 'pglite' | 'postgres';

export interface LoadOptions {
  databases: DatabaseKind[];
  /** Seconds of measured load per database. */
  duration: number;
  /** Seconds of unmeasured load first (JIT, caches, PostgreSQL's pool). */
  warmup: number;
  /** Concurrent connections of the load generator. */
  connections: number;
  /** Live streams (liveViews over SSE, as the widgets open them) held open during the load. */
  subscriptions: number;
  /** Distinct customers rating, each with its own customer token. */
  raters: number;
  /** Write bench/results/load.md. */
  record: boolean;
  /** Run scripts/build.mjs before the first start (off when the caller has just built). */
  build: boolean;
}

export const HELP = `usage: npm run pnpm -- --filter @pulso/bench run load [-- flags]

flags (environment variable in brackets, default in parentheses):
  --databases LIST    pglite,postgres or one of them [LOAD_DATABASES] (pglite,postgres)
  --duration S        seconds of measured load per database [LOAD_DURATION] (20)
  --warmup S          seconds of unmeasured load first [LOAD_WARMUP] (3)
  --connections N     concurrent connections of autocannon [LOAD_CONNECTIONS] (20)
  --subscriptions N   live streams (liveViews) held open over SSE [LOAD_SUBSCRIPTIONS] (100)
  --raters N          distinct customers rating, one customer token each [LOAD_RATERS] (200)
  --no-record         print only; do not write bench/results/load.md
  --no-build          the compiled server is up to date: do not run scripts/build.mjs first

PostgreSQL: a fresh database on PULSO_TEST_POSTGRES_URL (postgres://postgres@127.0.0.1:5432/test), dropped afterwards.`;

function whole(name: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min)
    throw new Error(`${name} must be a whole number of at least ${min}, got "${raw}"`);
  return value;
}

export function parseLoadOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): LoadOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      databases: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      subscriptions: { type: 'string' },
      raters: { type: 'string' },
      'no-record': { type: 'boolean' },
      'no-build': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const databases = (values.databases ?? env.LOAD_DATABASES ?? 'pglite,postgres')
    .split(',')
    .map((d) => d.trim())
    .filter(Boolean);
  for (const d of databases)
    if (d !== 'pglite' && d !== 'postgres') throw new Error(`--databases takes pglite and/or postgres, got "${d}"`);
  if (databases.length === 0) throw new Error('--databases names no database');
  return {
    databases: databases as DatabaseKind[],
    duration: whole('--duration', values.duration ?? env.LOAD_DURATION, 20, 1),
    warmup: whole('--warmup', values.warmup ?? env.LOAD_WARMUP, 3, 0),
    connections: whole('--connections', values.connections ?? env.LOAD_CONNECTIONS, 20, 1),
    subscriptions: whole('--subscriptions', values.subscriptions ?? env.LOAD_SUBSCRIPTIONS, 100, 0),
    raters: whole('--raters', values.raters ?? env.LOAD_RATERS, 200, 1),
    record: !values['no-record'],
    build: !values['no-build'],
  };
}
