// Printing and recording: a table per scenario on the terminal, a JSON file per benchmark in
// bench/results/, and the benchmark's section of bench/RESULTS.md refreshed in place (other
// sections are kept as they are).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { ScenarioResult } from './compare.ts';
import { fixed } from './stats.ts';

export interface Machine {
  cores: number;
  cpu: string;
  node: string;
  postgres?: string;
  date: string;
  command: string;
}

export function describeMachine(postgres?: string): Machine {
  let command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  if (process.env.npm_lifecycle_event !== 'bench')
    command = `node --import tsx bench/run.ts ${process.argv.slice(2).join(' ')}`.trim();
  return {
    // The machine's cores, not this process's share: the harness pins itself to one core first.
    cores: cpus().length,
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    node: process.version,
    ...(postgres ? { postgres } : {}),
    date: new Date().toISOString(),
    command,
  };
}

export interface BenchmarkReport {
  benchmark: string;
  title: string;
  machine: Machine;
  settings: Record<string, unknown>;
  scenarios: ScenarioResult[];
  /** Tables of figures other than req/s (e.g. bytes, milliseconds), as markdown after the scenarios. */
  markdown?: string;
  /** Lines under the table: targets met or missed, notes. */
  verdicts: string[];
}

export function scenarioTable(scenario: ScenarioResult): string {
  const withStatements = scenario.contenders.some((c) => c.statements !== undefined);
  const withCpu = scenario.contenders.some((c) => c.cpuMicros !== undefined);
  const head = [
    'contender',
    'req/s',
    `× ${scenario.baseline}`,
    'p50 ms',
    'p99 ms',
    'p99 ×',
    'non-2xx',
    'wrong',
    ...(withStatements ? ['SQL/req'] : []),
    ...(withCpu ? ['CPU µs/req'] : []),
  ];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`];
  for (const c of scenario.contenders) {
    const cells = [
      c.name,
      c.rps.toFixed(0),
      fixed(c.rpsRatio),
      fixed(c.p50, 1),
      fixed(c.p99, 1),
      fixed(c.p99Ratio),
      String(c.non2xx),
      String(c.wrong + c.errors),
      ...(withStatements ? [c.statements == null ? '–' : fixed(c.statements, 1)] : []),
      ...(withCpu ? [c.cpuMicros == null ? '–' : c.cpuMicros.toFixed(0)] : []),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

export function printReport(report: BenchmarkReport): void {
  console.log(`\n## ${report.title}\n`);
  for (const s of report.scenarios) console.log(`### ${s.name}\n\n${scenarioTable(s)}\n`);
  if (report.markdown) console.log(`${report.markdown}\n`);
  for (const v of report.verdicts) console.log(`- ${v}`);
}

const benchDir = fileURLToPath(new URL('..', import.meta.url));

function markdown(report: BenchmarkReport): string {
  const m = report.machine;
  const shown = Object.entries(report.settings).filter(([k]) => !['only', 'fresh', 'record'].includes(k));
  const settings = shown.map(([k, v]) => `${k} ${v}`).join(', ');
  return [
    `## ${report.title}`,
    '',
    `Measured ${m.date.slice(0, 16).replace('T', ' ')} UTC on ${m.cores} cores (${m.cpu}), Node ${m.node}${m.postgres ? `, ${m.postgres}` : ''}.`,
    `Command: \`${m.command}\` (${settings}).`,
    '',
    ...report.scenarios.flatMap((s) => [`### ${s.name}`, '', scenarioTable(s), '']),
    ...(report.markdown ? [report.markdown, ''] : []),
    ...report.verdicts.map((v) => `- ${v}`),
  ].join('\n');
}

export function recordReport(report: BenchmarkReport, notes = ''): void {
  const resultsDir = `${benchDir}results`;
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(`${resultsDir}/${report.benchmark}.json`, `${JSON.stringify(report, null, 2)}\n`);
  const file = `${benchDir}RESULTS.md`;
  const start = `<!-- bench:${report.benchmark}:start -->`;
  const end = `<!-- bench:${report.benchmark}:end -->`;
  const section = `${start}\n${markdown(report)}${notes ? `\n\n${notes}` : ''}\n${end}`;
  let text = existsSync(file) ? readFileSync(file, 'utf8') : RESULTS_HEADER;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  text =
    from >= 0 && to > from
      ? text.slice(0, from) + section + text.slice(to + end.length)
      : `${text.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, text);
  console.log(`\nrecorded bench/results/${report.benchmark}.json and its section of bench/RESULTS.md`);
}

const RESULTS_HEADER = `# Benchmark results

Every figure is a ratio against a baseline measured in the same run (see README.md). Each
benchmark's section below is rewritten by \`npm run bench\`; the raw figures are in results/*.json.
`;

/** PostgreSQL's version string, short. */
export function postgresVersion(url: string): string | undefined {
  try {
    return execFileSync('psql', [url, '-Atc', 'SHOW server_version'], { encoding: 'utf8' })
      .trim()
      .replace(/^/, 'PostgreSQL ')
      .split(' (')[0];
  } catch {
    return undefined;
  }
}
