// Side-by-side measurement: every contender of a scenario is checked, warmed up, then measured in
// alternation (the order rotates each round) so that a noisy neighbour hurts all of them alike;
// the median of the runs is reported, as a ratio against the scenario's baseline.
import { checkOnce, runLoad, type LoadResult, type Workload } from './load.ts';
import { median, ratio } from './stats.ts';

export interface Contender {
  name: string;
  url: string;
  workload: Workload;
  /** The server's CPU seconds so far (ServerProcess.cpuSeconds): each run then reports CPU per request. */
  cpuSeconds?: () => number | null;
}

export interface Scenario {
  name: string;
  /** The contender every ratio is computed against. */
  baseline: string;
  contenders: Contender[];
}

export interface ContenderResult {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  /** rps / baseline rps. */
  rpsRatio: number;
  /** p99 / baseline p99 (lower is better). */
  p99Ratio: number;
  runs: LoadResult[];
  non2xx: number;
  wrong: number;
  errors: number;
  /** SQL statements per request, when measured. */
  statements?: number | null;
  /** The server's CPU time per request in microseconds (median of the runs), when measured. */
  cpuMicros?: number | null;
}

export interface ScenarioResult {
  name: string;
  baseline: string;
  contenders: ContenderResult[];
}

export interface MeasureSettings {
  runs: number;
  duration: number;
  warmup: number;
  connections: number;
}

export async function measureScenario(scenario: Scenario, settings: MeasureSettings): Promise<ScenarioResult> {
  const { contenders } = scenario;
  for (const c of contenders) await checkOnce(c.url, c.workload, `${scenario.name} / ${c.name}`);
  for (const c of contenders) await runLoad(c.url, c.workload, settings.warmup, settings.connections);
  const runs = new Map<string, LoadResult[]>(contenders.map((c) => [c.name, []]));
  for (let round = 0; round < settings.runs; round++) {
    for (let i = 0; i < contenders.length; i++) {
      const c = contenders[(round + i) % contenders.length]!;
      const cpuBefore = c.cpuSeconds?.() ?? null;
      const result = await runLoad(c.url, c.workload, settings.duration, settings.connections);
      const cpuAfter = c.cpuSeconds?.() ?? null;
      if (cpuBefore !== null && cpuAfter !== null && result.requests > 0)
        result.cpuMicros = ((cpuAfter - cpuBefore) / result.requests) * 1e6;
      runs.get(c.name)!.push(result);
      process.stdout.write(
        `  ${scenario.name} · ${c.name} · run ${round + 1}: ${result.rps.toFixed(0)} req/s, p99 ${result.p99} ms${result.cpuMicros === undefined ? '' : `, ${result.cpuMicros.toFixed(0)} µs CPU/req`}${result.non2xx || result.wrong || result.errors ? `, ${result.non2xx} non-2xx, ${result.wrong} wrong, ${result.errors} errors` : ''}\n`,
      );
    }
  }
  const rows = contenders.map((c) => {
    const r = runs.get(c.name)!;
    return {
      name: c.name,
      rps: median(r.map((x) => x.rps)),
      p50: median(r.map((x) => x.p50)),
      p99: median(r.map((x) => x.p99)),
      runs: r,
      non2xx: r.reduce((s, x) => s + x.non2xx, 0),
      wrong: r.reduce((s, x) => s + x.wrong, 0),
      errors: r.reduce((s, x) => s + x.errors, 0),
      ...(c.cpuSeconds
        ? { cpuMicros: r.every((x) => x.cpuMicros !== undefined) ? median(r.map((x) => x.cpuMicros!)) : null }
        : {}),
    };
  });
  const base = rows.find((r) => r.name === scenario.baseline);
  if (!base) throw new Error(`scenario ${scenario.name}: no contender named ${scenario.baseline}`);
  return {
    name: scenario.name,
    baseline: scenario.baseline,
    contenders: rows.map((r) => ({ ...r, rpsRatio: ratio(r.rps, base.rps), p99Ratio: ratio(r.p99, base.p99) })),
  };
}
