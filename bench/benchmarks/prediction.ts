// Benchmark `prediction` (issues 13 and 14): does Pulso's score predict churn? Five synthetic
// companies whose churn mechanisms are written down in prediction/WORLDS.md and fixed; each
// customer is scored by the pure engine at monthly instants with each default model (v1, the
// formula-1 catalogue; v2, formula 2 with peers), and @pulso/evaluation measures each against two
// trivial baselines from the same observations. It measures; it does not tune. Single-threaded and
// deterministic: the same command prints the same figures (times apart).
import { evaluatePredictions, RANKER_LABELS } from '@pulso/evaluation';
import type { CompiledModel } from '@pulso/scoring';
import type { BenchOptions } from '../lib/options.ts';
import { describeMachine, type BenchmarkReport } from '../lib/report.ts';
import { type CeilingRow, ceilingTable, eventsCeiling } from '../prediction/ceiling.ts';
import { type LearnedResult, learnedTable, learnedVerdict, learnWeights } from '../prediction/learned.ts';
import { type ModelKey, observe } from '../prediction/observe.ts';
import { type ModelResult, summaryTable, type WorldResult, worldSection } from '../prediction/report.ts';
import { WORLDS } from '../prediction/worlds/index.ts';

const MODEL_KEYS: readonly ModelKey[] = ['v1', 'v2'];

export async function prediction(options: BenchOptions): Promise<BenchmarkReport> {
  const results: WorldResult[] = [];
  const learned: { world: string; learned: LearnedResult }[] = [];
  const ceilings: CeilingRow[] = [];
  for (const world of WORLDS) {
    const count = Math.max(1, Math.round(world.customers * options.scale));
    const customers = Array.from({ length: count }, (_, index) => world.simulate(index));
    const models = {} as Record<ModelKey, ModelResult>;
    for (const key of MODEL_KEYS) {
      // The results are kept only as long as the fit needs them: a world's are tens of megabytes.
      const { results: scored, ...observed } = observe(customers, options.horizon, key);
      const started = performance.now();
      const evaluation = evaluatePredictions(observed.observations);
      models[key] = { ...observed, evaluationMs: performance.now() - started, evaluation };
      if (key === 'v2') {
        const rescore = (model: CompiledModel, instants: readonly Date[]) =>
          observe(customers, options.horizon, 'v2', { model, instants }).observations;
        learned.push({ world: world.key, learned: learnWeights(observed.observations, scored, rescore) });
        const ceiling = eventsCeiling(customers, options.horizon);
        const judged = observed.observations.filter((o) => ceiling.judgedCustomers.has(o.customerId));
        ceilings.push({ world: world.key, ceiling, defaultModel: evaluatePredictions(judged) });
      }
    }
    results.push({ world, customers: count, models });
    const fit = learned[learned.length - 1]!.learned.fit;
    console.log(
      `  ${world.key}: ${models.v2.evaluation.observations} customer-instants, AUC v1 ${models.v1.evaluation.rankers.model.auc.toFixed(3)}, v2 ${models.v2.evaluation.rankers.model.auc.toFixed(3)}` +
        (fit.status === 'NOT_ENOUGH_OUTCOMES'
          ? `; learned weights: ${fit.message}`
          : `; newer instants: default v2 ${fit.auc.heldOut.current.toFixed(3)}, learned ${learned[learned.length - 1]!.learned.heldOut.learned!.rankers.model.auc.toFixed(3)}`),
    );
  }
  const markdown = [
    summaryTable(results),
    '',
    ...MODEL_KEYS.map((key) => engineLine(results, key)),
    '',
    '### Model v2 with learned weights (@pulso/model-fitting)',
    '',
    learnedTable(learned),
    '',
    learnedVerdict(learned),
    '',
    '### What the events tell: a reference fitted to each world',
    '',
    ceilingTable(ceilings),
    '',
    ...results.flatMap((r) => [worldSection(r, options.horizon), '']),
  ].join('\n');
  const verdicts = MODEL_KEYS.map((key) => {
    const losses = results.flatMap((r) =>
      r.models[key].evaluation.comparisons
        .filter((c) => c.loses)
        .map((c) => `${r.world.key} to "${RANKER_LABELS[c.baseline]}"`),
    );
    return losses.length
      ? `Default model ${key} loses to a trivial baseline ${losses.length} times (AUC below it): ${losses.join('; ')}.`
      : `Default model ${key} beats both trivial baselines in every world.`;
  });
  verdicts.push(learnedVerdict(learned));
  const report: BenchmarkReport & { worlds: unknown[] } = {
    benchmark: 'prediction',
    title: 'Prediction benchmark',
    machine: describeMachine(),
    settings: { horizon: options.horizon, scale: options.scale, worlds: WORLDS.length },
    scenarios: [],
    markdown,
    verdicts,
    worlds: results.map((r, index) => ({
      world: r.world.key,
      customers: r.customers,
      learnedWeights: learnedSummary(learned[index]!.learned),
      eventsReference: {
        auc: ceilings[index]!.ceiling.heldOut.rankers.model.auc,
        aucInterval: ceilings[index]!.ceiling.heldOut.rankers.model.aucInterval,
        defaultV2SameCustomers: ceilings[index]!.defaultModel.rankers.model.auc,
      },
      models: Object.fromEntries(
        MODEL_KEYS.map((key) => {
          const m = r.models[key];
          return [
            key,
            {
              engineMs: m.engineMs,
              interactionsScored: m.interactionsScored,
              evaluationMs: m.evaluationMs,
              evaluation: { ...m.evaluation, churnedWhileGreen: m.evaluation.churnedWhileGreen.length },
            },
          ];
        }),
      ),
    })),
  };
  return report;
}

function engineLine(results: readonly WorldResult[], key: ModelKey): string {
  const engineMs = results.reduce((sum, r) => sum + r.models[key].engineMs, 0);
  const interactions = results.reduce((sum, r) => sum + r.models[key].interactionsScored, 0);
  const evaluationMs = results.reduce((sum, r) => sum + r.models[key].evaluationMs, 0);
  return (
    `Model ${key}: the pure engine read ${interactions.toLocaleString('en-US')} interactions in ${Math.round(engineMs).toLocaleString('en-US')} ms ` +
    `(${(((interactions / engineMs) * 1000) / 1e6).toFixed(2)} M a second${key === 'v2' ? ', both passes: peers, then scores' : ''}); ` +
    `the evaluation, bootstrap included, took ${Math.round(evaluationMs).toLocaleString('en-US')} ms.`
  );
}

function learnedSummary({ fit, heldOut, fitMs }: LearnedResult): unknown {
  if (fit.status === 'NOT_ENOUGH_OUTCOMES') return { status: fit.status, message: fit.message, has: fit.has };
  return {
    status: fit.status,
    fitted: fit.fitted,
    auc: fit.auc,
    churnOutcomes: fit.churnOutcomes,
    observations: fit.observations,
    heldOutAucInterval: {
      default: heldOut.default.rankers.model.aucInterval,
      learned: heldOut.learned?.rankers.model.aucInterval,
    },
    evaluations: fit.evaluations,
    fitMs,
  };
}
