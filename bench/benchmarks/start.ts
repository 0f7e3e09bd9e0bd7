// How fast the production server serves after launch (issue 18: "serves within 2 s of
// launch on a warm machine"). The compiled server (`node scripts/build.mjs`, which this runs
// first) is started as production starts it, `node apps/server/dist/main.mjs`, on a data folder or
// database that already holds the demo workspace (the first start, which migrates and seeds, is
// timed apart); each start is timed from the spawn to the first 200 from /readyz (database
// reachable, migrations applied), then stopped with SIGTERM. Nothing else of the suite runs meanwhile.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { spawnOnAllCores } from '../lib/cpu.ts';
import type { BenchOptions } from '../lib/options.ts';
import { describeMachine, type BenchmarkReport } from '../lib/report.ts';
import { fixed, median } from '../lib/stats.ts';

const TARGET_MS = 2_000;
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const DATABASE = 'pulso_bench_start';

/** Spawns the compiled server and resolves with the milliseconds to its first ready answer. */
async function timeStart(env: Record<string, string>, port: number): Promise<number> {
  const started = performance.now();
  // Launched on every core, as an operator's machine launches it: a child inherits the harness's
  // pinning to one core, where PGlite's WebAssembly compiles without its background threads (a warm
  // embedded start measured 1.9-2.2 s pinned, 1.1-1.3 s unpinned, same machine, same folder).
  const child = await spawnOnAllCores(async () =>
    spawn(process.execPath, ['apps/server/dist/main.mjs'], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    }),
  );
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}): ${stderr.slice(-400)}`);
      if (performance.now() - started > 120_000) throw new Error('the server was not ready within 120 s');
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`)
        .then((r) => r.status === 200)
        .catch(() => false);
      if (ready) return performance.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

async function series(name: string, env: Record<string, string>, starts: number, port: number) {
  const first = await timeStart(env, port);
  const warm: number[] = [];
  for (let i = 0; i < starts; i++) warm.push(await timeStart(env, port));
  console.log(`  ${name}: first ${first.toFixed(0)} ms, warm ${warm.map((ms) => ms.toFixed(0)).join(' / ')} ms`);
  return { name, first, warm };
}

export async function start(options: BenchOptions): Promise<BenchmarkReport> {
  const starts = Math.max(3, options.runs + 2);
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
  const folder = await mkdtemp(join(tmpdir(), 'pulso-bench-start-'));
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${DATABASE}`);
    const url = new URL(ADMIN_URL);
    url.pathname = `/${DATABASE}`;
    const common = { PULSO_SEED_DEMO: 'true', PULSO_DATA_DIR: join(folder, 'data') };
    const results = [
      await series('PGlite (embedded)', common, starts, 4811),
      await series('PostgreSQL', { ...common, DATABASE_URL: url.toString() }, starts, 4812),
    ];
    const rows = results.map(
      (r) =>
        `| ${r.name} | ${r.first.toFixed(0)} | ${fixed(median(r.warm), 0)} | ${Math.min(...r.warm).toFixed(0)}–${Math.max(...r.warm).toFixed(0)} |`,
    );
    const markdown = [
      '| database | first start ms (migrate + seed) | warm start ms (median) | warm range ms |',
      '|---|---:|---:|---:|',
      ...rows,
    ].join('\n');
    return {
      benchmark: 'start',
      title: 'Production start, launch to ready',
      machine: describeMachine(),
      settings: { starts },
      scenarios: [],
      markdown,
      verdicts: results.map((r) => {
        const ms = median(r.warm);
        return `${r.name}: warm start ${ms.toFixed(0)} ms to /readyz 200 (target ≤ ${TARGET_MS} ms): ${ms <= TARGET_MS ? 'met' : 'missed'}.`;
      }),
    };
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
    await rm(folder, { recursive: true, force: true });
  }
}
