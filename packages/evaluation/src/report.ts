// An evaluation as Markdown, for people: the score beside both baselines, its bands, lead time,
// calibration, the churned-while-green count and a plain sentence whenever the score loses to a
// baseline. The prediction benchmark and the `pulso evaluate` command print the same tables.
import type { Evaluation } from './evaluate.ts';
import type { LeadTime } from './lead-time.ts';
import { RANKER_LABELS, RANKERS } from './risk.ts';
import type { RankerKey } from './types.ts';

const percent = (value: number, digits = 1) => (Number.isNaN(value) ? '–' : `${(value * 100).toFixed(digits)} %`);
const number = (value: number, digits = 2) => (Number.isNaN(value) ? '–' : value.toFixed(digits));
const whole = (value: number) => Math.round(value).toLocaleString('en-US');

export function formatLeadTime(time: LeadTime): string {
  return `${time.medianDays === null ? '–' : whole(time.medianDays)} d (${time.warned}/${time.churners} warned)`;
}

/** The tables of one evaluation; `scoreLabel` names the score's row (e.g. "Pulso score (default model)"). */
export function evaluationMarkdown(e: Evaluation, scoreLabel = 'Pulso score'): string {
  const label = (ranker: RankerKey) => (ranker === 'model' ? scoreLabel : RANKER_LABELS[ranker]);
  const rows = RANKERS.map((ranker) => {
    const f = e.rankers[ranker];
    return (
      `| ${label(ranker)} | ${number(f.auc, 3)} | ${number(f.aucInterval.low, 3)}–${number(f.aucInterval.high, 3)} | ` +
      `${number(f.topDecileLift)} | ${formatLeadTime(f.leadTimeTopDecile)} |`
    );
  });
  const bands = e.bands.map(
    (b) =>
      `| ${b.band} | ${percent(b.share)} | ${whole(b.observations)} | ${percent(b.churnRate)} | ${number(b.lift)} |`,
  );
  const calibration = e.calibration.map((c) => percent(c.churnRate, 0)).join(', ');
  const scores = e.calibration.map((c) => `${number(c.scoreMin, 0)}–${number(c.scoreMax, 0)}`).join(', ');
  return [
    '| ranker | AUC | 95 % interval | top-decile lift | lead time, riskiest tenth alerted (median of the warned; warned/churners) |',
    '|---|---:|---|---:|---|',
    ...rows,
    '',
    `Pulso's bands (lead time through the at-risk band: ${formatLeadTime(e.leadTimeAtRiskBand)}):`,
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
