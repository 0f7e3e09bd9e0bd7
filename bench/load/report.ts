// Printing a run and recording it in bench/results/load.md (between markers: notes written by hand
// around them are kept).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { fixed } from '../lib/stats.ts';
import { KINDS, percentile, type Kind, type MixResult } from './mix.ts';
import type { StoredRatings } from './stored-ratings.ts';

export interface DatabaseRun {
  database: string;
  mix: MixResult;
  subscriptions: { asked: number; open: number; failed: string[]; events: number };
  stored: StoredRatings;
  /** /healthz status right after the load, and how long until it answered 200 (null: not within 60 s). */
  healthAfter: number;
  recoveredAfterMs: number | null;
  serverErrorLogs: number;
  exitCode: number | string;
}

const LABELS: Record<Kind, string> = {
  rating: 'submitMicroRating',
  gauge: 'gauge (customer)',
  atRisk: 'atRiskCustomers',
};

export function table(run: DatabaseRun): string {
  const { mix } = run;
  const rows = KINDS.map((kind) => [LABELS[kind], mix.kinds[kind]] as const);
  const all = {
    responses: 0,
    latencies: KINDS.flatMap((k) => mix.kinds[k].latencies),
    non2xx: 0,
    shed: 0,
    graphqlErrors: 0,
    problems: [],
  };
  for (const k of KINDS) {
    all.responses += mix.kinds[k].responses;
    all.non2xx += mix.kinds[k].non2xx;
    all.shed += mix.kinds[k].shed;
    all.graphqlErrors += mix.kinds[k].graphqlErrors;
  }
  const lines = [
    '| operation | responses | responses/s | 2xx/s | p50 ms | p90 ms | p99 ms | max ms | shed (503/429) | other non-2xx | GraphQL errors |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const [name, f] of [...rows, ['**all**', all] as const]) {
    const sorted = [...f.latencies].sort((a, b) => a - b);
    lines.push(
      `| ${name} | ${f.responses} | ${fixed(f.responses / mix.seconds, 0)} | ${fixed((f.responses - f.non2xx) / mix.seconds, 0)} | ${fixed(percentile(sorted, 50), 1)} | ${fixed(percentile(sorted, 90), 1)} | ${fixed(percentile(sorted, 99), 1)} | ${fixed(sorted.at(-1), 1)} | ${f.shed} | ${f.non2xx - f.shed} | ${f.graphqlErrors} |`,
    );
  }
  return lines.join('\n');
}

export function summary(run: DatabaseRun): string {
  const { mix, subscriptions: s, stored } = run;
  return [
    `- latencies are of 2xx answers only; ${fixed(mix.seconds, 1)} s of load; socket errors ${mix.errors}${mix.errorMessages.length ? ` (${[...new Set(mix.errorMessages)].join('; ')})` : ''}, timeouts ${mix.timeouts}; server error logs: ${run.serverErrorLogs}; exit code on SIGTERM: ${run.exitCode}`,
    `- /healthz right after the load: ${run.healthAfter}${run.healthAfter === 200 ? '' : run.recoveredAfterMs === null ? ', not 200 within 60 s' : `, 200 again ${fixed(run.recoveredAfterMs / 1000, 1)} s later (by itself)`}`,
    `- subscriptions: ${s.open} of ${s.asked} open through the run, ${s.failed.length} failed${s.failed.length ? ` (${[...new Set(s.failed)].slice(0, 3).join('; ')})` : ''}; ${s.events} live events delivered`,
    `- ratings: ${mix.ratingsSent.size} sent, ${stored.acknowledged} acknowledged, ${stored.stored} stored (${stored.storedUnacknowledged} of them sent in the last moment and answered after the load stopped); acknowledged and stored exactly once: ${stored.problems.length === 0 ? 'yes' : `NO — ${stored.problems.slice(0, 5).join('; ')}`}`,
    ...KINDS.flatMap((k) =>
      mix.kinds[k].problems.length
        ? [`- ${LABELS[k]} problems (first ${mix.kinds[k].problems.length}): ${mix.kinds[k].problems.join(' | ')}`]
        : [],
    ),
  ].join('\n');
}

function cpuModel(): string {
  try {
    return /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function commit(): string {
  try {
    const cwd = fileURLToPath(new URL('../../', import.meta.url));
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd, encoding: 'utf8' }).trim();
    // Figures of a working tree with changes are not the commit's: say so.
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no', '--', 'apps', 'packages'], {
      cwd,
      encoding: 'utf8',
    }).trim();
    return dirty ? `${head} + uncommitted changes to apps/ or packages/` : head;
  } catch {
    return 'unknown';
  }
}

export function machine(): string {
  // The load average says how shared the machine was: figures from a busy machine are not a capacity.
  return `${cpus().length} cores (${cpuModel()}), Node ${process.version}, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, commit ${commit()}, load average at the end ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ')}`;
}

const FILE = fileURLToPath(new URL('../results/load.md', import.meta.url));
const BEGIN = '<!-- load:begin (written by bench/load/run.ts) -->';
const END = '<!-- load:end -->';

export function record(runs: DatabaseRun[], settings: string, command: string, pinned: boolean): void {
  const section = [
    BEGIN,
    `Machine: ${machine()}. ${pinned ? 'Server pinned to core 0, load generator to core 1 (taskset).' : 'Not pinned: server and load generator shared the cores.'}`,
    '',
    `Command: \`${command}\``,
    '',
    `Settings: ${settings}`,
    ...runs.flatMap((run) => ['', `### ${run.database}`, '', table(run), '', summary(run)]),
    END,
  ].join('\n');
  const previous = existsSync(FILE) ? readFileSync(FILE, 'utf8') : '';
  const start = previous.indexOf(BEGIN);
  const end = previous.indexOf(END);
  const text =
    start >= 0 && end > start
      ? `${previous.slice(0, start)}${section}${previous.slice(end + END.length)}`
      : `# Load: a realistic mix on PGlite and PostgreSQL\n\n${section}\n`;
  writeFileSync(FILE, text);
  console.log(`\nrecorded in ${FILE}`);
}
