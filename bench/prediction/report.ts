// The prediction benchmark's tables: one summary row per world, then per world the model and both
// baselines side by side, the model's bands, lead time, calibration and churned-while-green count,
// and a plain sentence whenever the model loses to a baseline.
import type { Evaluation, LeadTime, RankerKey } from '@pulso/evaluation';
import { RANKER_LABELS, RANKERS } from '@pulso/evaluation';
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

function lead(time: LeadTime): string {
  return `${time.medianDays === null ? '–' : whole(time.medianDays)} d (${time.warned}/${time.churners} warned)`;
}

function label(ranker: RankerKey): string {
  return ranker === 'model' ? 'Pulso score (default model)' : RANKER_LABELS[ranker];
}

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
  const rows = RANKERS.map((ranker) => {
    const f = e.rankers[ranker];
    return (
      `| ${label(ranker)} | ${number(f.auc, 3)} | ${number(f.aucInterval.low, 3)}–${number(f.aucInterval.high, 3)} | ` +
      `${number(f.topDecileLift)} | ${lead(f.leadTimeTopDecile)} |`
    );
  });
  const bands = e.bands.map(
    (b) =>
      `| ${b.band} | ${percent(b.share)} | ${whole(b.observations)} | ${percent(b.churnRate)} | ${number(b.lift)} |`,
  );
  const calibration = e.calibration.map((c) => percent(c.churnRate, 0)).join(', ');
  const scores = e.calibration.map((c) => `${number(c.scoreMin, 0)}–${number(c.scoreMax, 0)}`).join(', ');
  return [
    `### ${r.world.title}`,
    '',
    `${whole(r.customers)} customers; ${whole(e.observations)} customer-instants, ${whole(e.churnObservations)} ` +
      `labelled as churning within ${horizon} days (${percent(e.churnRate)}). Engine: ${whole(r.engineMs)} ms for ` +
      `those customer-instants (${whole(r.interactionsScored)} interactions read); evaluation ${whole(r.evaluationMs)} ms.`,
    '',
    '| ranker | AUC | 95 % interval | top-decile lift | lead time, riskiest tenth alerted (median of the warned; warned/churners) |',
    '|---|---:|---|---:|---|',
    ...rows,
    '',
    `Pulso's bands (lead time through the at-risk band: ${lead(e.leadTimeAtRiskBand)}):`,
    '',
    '| band | share | customer-instants | churn rate | lift |',
    '|---|---:|---:|---:|---:|',
    ...bands,
    '',
    `Calibration, churn rate by score decile (lowest scores first): ${calibration}; the deciles' scores: ${scores}.`,
    `Churned while green (healthy at their last instant): ${e.churnedWhileGreen.length} of ${e.leadTimeAtRiskBand.churners} churners.`,
    ...(e.verdicts.length ? ['', ...e.verdicts.map((v) => `**${v}**`)] : []),
  ].join('\n');
}
