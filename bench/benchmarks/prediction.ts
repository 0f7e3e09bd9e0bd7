// Benchmark `prediction` (issue 13, item 4): does Pulso's score predict churn? Five synthetic
// companies whose churn mechanisms are written down in prediction/WORLDS.md and fixed; each
// customer is scored by the pure engine at monthly instants, and @pulso/evaluation measures the
// default model against two trivial baselines from the same observations. It measures; it does
// not tune. Single-threaded and deterministic: the same command prints the same figures (times
// apart).
import { evaluatePredictions, type Observation, RANKER_LABELS } from '@pulso/evaluation';
import type { BenchOptions } from '../lib/options.ts';
import { describeMachine, type BenchmarkReport } from '../lib/report.ts';
import { type Observed, observe } from '../prediction/observe.ts';
import { summaryTable, type WorldResult, worldSection } from '../prediction/report.ts';
import { WORLDS } from '../prediction/worlds/index.ts';

export async function prediction(options: BenchOptions): Promise<BenchmarkReport> {
  const results: WorldResult[] = [];
  for (const world of WORLDS) {
    const customers = Math.max(1, Math.round(world.customers * options.scale));
    const observed: Observed = { observations: [] as Observation[], engineMs: 0, interactionsScored: 0 };
    for (let index = 0; index < customers; index++) observe(world.simulate(index), options.horizon, observed);
    const started = performance.now();
    const evaluation = evaluatePredictions(observed.observations);
    const evaluationMs = performance.now() - started;
    results.push({ world, customers, ...observed, evaluationMs, evaluation });
    console.log(
      `  ${world.key}: ${observed.observations.length} customer-instants, model AUC ${evaluation.rankers.model.auc.toFixed(3)}`,
    );
  }
  const engineMs = results.reduce((sum, r) => sum + r.engineMs, 0);
  const instants = results.reduce((sum, r) => sum + r.evaluation.observations, 0);
  const evaluationMs = results.reduce((sum, r) => sum + r.evaluationMs, 0);
  const markdown = [
    summaryTable(results),
    '',
    `The pure engine scored ${instants.toLocaleString('en-US')} customer-instants in ${Math.round(engineMs).toLocaleString('en-US')} ms ` +
      `(${((instants / engineMs) * 1000).toFixed(0)} a second); the evaluation of all of them, bootstrap included, took ` +
      `${Math.round(evaluationMs).toLocaleString('en-US')} ms (${(evaluationMs / engineMs).toFixed(2)}× the engine's time).`,
    '',
    ...results.flatMap((r) => [worldSection(r, options.horizon), '']),
  ].join('\n');
  const losses = results.flatMap((r) =>
    r.evaluation.comparisons.filter((c) => c.loses).map((c) => `${r.world.key} to "${RANKER_LABELS[c.baseline]}"`),
  );
  const report: BenchmarkReport & { worlds: unknown[] } = {
    benchmark: 'prediction',
    title: 'Prediction benchmark',
    machine: describeMachine(),
    settings: { horizon: options.horizon, scale: options.scale, worlds: WORLDS.length },
    scenarios: [],
    markdown,
    verdicts: losses.length
      ? [`The default model loses to a trivial baseline ${losses.length} times (AUC below it): ${losses.join('; ')}.`]
      : ['The default model beats both trivial baselines in every world.'],
    worlds: results.map((r) => ({
      world: r.world.key,
      customers: r.customers,
      engineMs: r.engineMs,
      interactionsScored: r.interactionsScored,
      evaluationMs: r.evaluationMs,
      evaluation: { ...r.evaluation, churnedWhileGreen: r.evaluation.churnedWhileGreen.length },
    })),
  };
  return report;
}
