// The prediction benchmark's tables: one summary row per world, then per world the model and both
// baselines side by side, the model's bands, lead time, calibration and churned-while-green count,
// and a plain sentence whenever the model loses to a baseline.
import { type Evaluation, evaluationMarkdown, RANKER_LABELS } from '@pulso/evaluation';
import type { World } from './world.ts';

export interface WorldResult {
  world: World;
  customers: number;
  engineMs: number;
  interactionsScored: number;
  evaluationMs: number;
  evaluation: Evaluation;
}

const percent = (value: number, digits = 1) => (Number.isNaN(value) ? '–' : `${(value * 100).toFixed(digits)} %`);
const number = (value: number, digits = 2) => (Number.isNaN(value) ? '–' : value.toFixed(digits));
const whole = (value: number) => Math.round(value).toLocaleString('en-US');

export function summaryTable(results: readonly WorldResult[]): string {
  const lines = [
    '| world | customer-instants | churn rate | Pulso AUC [95 %] | interactions last 30 d | days since last | engine ms | evaluation ms | verdict |',
    '|---|---:|---:|---|---:|---:|---:|---:|---|',
  ];
  for (const r of results) {
    const { rankers, comparisons } = r.evaluation;
    const losses = comparisons.filter((c) => c.loses);
    const verdict = losses.length
      ? `loses to ${losses.map((c) => RANKER_LABELS[c.baseline]).join(' and ')}`
      : 'beats both baselines';
    lines.push(
      `| ${r.world.key} | ${whole(r.evaluation.observations)} | ${percent(r.evaluation.churnRate)} | ` +
        `${number(rankers.model.auc, 3)} [${number(rankers.model.aucInterval.low, 3)}–${number(rankers.model.aucInterval.high, 3)}] | ` +
        `${number(rankers.recentInteractions.auc, 3)} | ${number(rankers.daysSinceLast.auc, 3)} | ` +
        `${whole(r.engineMs)} | ${whole(r.evaluationMs)} | ${verdict} |`,
    );
  }
  return lines.join('\n');
}

export function worldSection(r: WorldResult, horizon: number): string {
  const e = r.evaluation;
  return [
    `### ${r.world.title}`,
    '',
    `${whole(r.customers)} customers; ${whole(e.observations)} customer-instants, ${whole(e.churnObservations)} ` +
      `labelled as churning within ${horizon} days (${percent(e.churnRate)}). Engine: ${whole(r.engineMs)} ms for ` +
      `those customer-instants (${whole(r.interactionsScored)} interactions read); evaluation ${whole(r.evaluationMs)} ms.`,
    '',
    evaluationMarkdown(e, 'Pulso score (default model)'),
  ].join('\n');
}
