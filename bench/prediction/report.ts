// The prediction benchmark's tables: one summary row per world with each model beside both
// baselines, then per world and model the full evaluation (bands, lead time, calibration,
// churned-while-green) and a plain sentence whenever a model loses to a baseline.
import { type Evaluation, evaluationMarkdown, RANKER_LABELS } from '@pulso/evaluation';
import type { ModelKey } from './observe.ts';
import type { World } from './world.ts';

export interface ModelResult {
  engineMs: number;
  interactionsScored: number;
  evaluationMs: number;
  evaluation: Evaluation;
}

export interface WorldResult {
  world: World;
  customers: number;
  models: Record<ModelKey, ModelResult>;
}

const percent = (value: number, digits = 1) => (Number.isNaN(value) ? '–' : `${(value * 100).toFixed(digits)} %`);
const number = (value: number, digits = 2) => (Number.isNaN(value) ? '–' : value.toFixed(digits));
const whole = (value: number) => Math.round(value).toLocaleString('en-US');

function aucCell(e: Evaluation): string {
  const { auc, aucInterval } = e.rankers.model;
  return `${number(auc, 3)} [${number(aucInterval.low, 3)}–${number(aucInterval.high, 3)}]`;
}

function verdict(e: Evaluation): string {
  const losses = e.comparisons.filter((c) => c.loses);
  return losses.length ? `loses to ${losses.map((c) => RANKER_LABELS[c.baseline]).join(' and ')}` : 'beats both';
}

export function summaryTable(results: readonly WorldResult[]): string {
  const lines = [
    '| world | customer-instants | churn rate | v1 AUC [95 %] | v2 AUC [95 %] | interactions last 30 d | days since last | v2 top-decile lift | v2 at-risk share | v2 verdict |',
    '|---|---:|---:|---|---|---:|---:|---:|---:|---|',
  ];
  for (const r of results) {
    const v1 = r.models.v1.evaluation;
    const v2 = r.models.v2.evaluation;
    const atRisk = v2.bands.find((b) => b.band === 'AT_RISK');
    lines.push(
      `| ${r.world.key} | ${whole(v2.observations)} | ${percent(v2.churnRate)} | ${aucCell(v1)} | ${aucCell(v2)} | ` +
        `${number(v2.rankers.recentInteractions.auc, 3)} | ${number(v2.rankers.daysSinceLast.auc, 3)} | ` +
        `${number(v2.rankers.model.topDecileLift)} | ${atRisk ? percent(atRisk.share) : '–'} | ${verdict(v2)} |`,
    );
  }
  return lines.join('\n');
}

export function worldSection(r: WorldResult, horizon: number): string {
  const e = r.models.v2.evaluation;
  return [
    `### ${r.world.title}`,
    '',
    `${whole(r.customers)} customers; ${whole(e.observations)} customer-instants, ${whole(e.churnObservations)} ` +
      `labelled as churning within ${horizon} days (${percent(e.churnRate)}).`,
    '',
    "#### Model v2 (formula 2, default catalogue, peers = the world's active customers)",
    '',
    evaluationMarkdown(e, 'Pulso score (model v2)'),
    '',
    '#### Model v1 (formula 1, the catalogue before v2)',
    '',
    evaluationMarkdown(r.models.v1.evaluation, 'Pulso score (model v1)'),
  ].join('\n');
}
