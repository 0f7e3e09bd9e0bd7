// "How much do the events tell?" An estimate of what any model reading a world's recorded events
// could reach, so that a miss of the AUC target says whether the score or the data falls short.
// A regularized logistic regression is fitted to the world's own churn labels on generic features
// of each customer's events (the list below, fixed once for every world: counts per default
// category, trend, silence, tenure, sentiments, the last survey answers, the timing of commercial
// events), on half the customers and judged on the other half, at every instant. It learns from
// the outcomes it is judged on, world by world, which Pulso's default model must not: it is a
// reference, not a contender. Being linear in these features it is a lower bound on what
// the events tell (a world whose churn needs two signals at once, such as an upsell judged against
// engagement, is only partly captured).
import { type Evaluation, evaluatePredictions, type Observation } from '@pulso/evaluation';
import { DEFAULT_INTERACTION_TYPES_V2, type InteractionInput } from '@pulso/scoring';
// ml-matrix (mljs, maintained): the linear algebra of each Newton step (a Cholesky solve); the
// regression around it is a few lines of the textbook method, written here for its weights.
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { DAY_MS, INSTANTS } from './calendar.ts';
import type { SimulatedCustomer } from './life.ts';
import { activeAt, labelled } from './observe.ts';

const CATEGORY_OF = new Map(DEFAULT_INTERACTION_TYPES_V2.map((type) => [type.key, type.categoryKey]));
const CATEGORIES = [...new Set(DEFAULT_INTERACTION_TYPES_V2.map((type) => type.categoryKey))].sort();
const SENTIMENTS = ['WASTED_TIME', 'DISLIKED', 'INDIFFERENT', 'LIKED'] as const;
const UPSELLS = new Set(['upsell', 'cross_sell']);
const CONTRACTS = new Set(['purchase', 'renewal']);
const YEAR_DAYS = 365;

export const FEATURE_NAMES: readonly string[] = [
  ...CATEGORIES.flatMap((c) => [`log1p ${c} events, last 30 d`, `log1p ${c} events, last 90 d`]),
  'log ratio: events last 30 d to a third of the last 90 d',
  'log1p days since the last event',
  'log1p days since the first event',
  ...SENTIMENTS.map((s) => `log1p ${s} answers, last 45 d`),
  'last NPS / 10',
  'no NPS yet',
  'last CSAT, 0-1',
  'no CSAT yet',
  'log1p days since the last upsell or cross-sell (400 when none)',
  'closeness to the anniversary of the last purchase or renewal: e^(-days/30)',
  'the same at three months: e^(-days/90)',
  'no purchase or renewal yet',
];

/** The features of one customer-instant, from its events before `atMs` (oldest first). */
export function featuresOf(history: readonly InteractionInput[], atMs: number): number[] {
  const in30 = new Map<string, number>();
  const in90 = new Map<string, number>();
  const sentiments = new Map<string, number>();
  let nps: number | null = null;
  let csat: number | null = null;
  let lastUpsellMs: number | null = null;
  let lastContractMs: number | null = null;
  for (const event of history) {
    const ms = event.occurredAt.getTime();
    const ageDays = (atMs - ms) / DAY_MS;
    const category = CATEGORY_OF.get(event.typeKey) ?? 'other';
    if (ageDays <= 90) in90.set(category, (in90.get(category) ?? 0) + 1);
    if (ageDays <= 30) in30.set(category, (in30.get(category) ?? 0) + 1);
    if (ageDays <= 45 && event.sentiment) sentiments.set(event.sentiment, (sentiments.get(event.sentiment) ?? 0) + 1);
    if (event.typeKey === 'nps' && event.value != null) nps = event.value;
    if (event.typeKey === 'csat' && event.value != null) csat = event.value;
    if (UPSELLS.has(event.typeKey)) lastUpsellMs = ms;
    if (CONTRACTS.has(event.typeKey)) lastContractMs = ms;
  }
  const total = (counts: Map<string, number>) => [...counts.values()].reduce((a, b) => a + b, 0);
  const first = history[0]?.occurredAt.getTime() ?? atMs;
  const last = history.at(-1)?.occurredAt.getTime() ?? atMs;
  const sinceContract = lastContractMs === null ? null : (atMs - lastContractMs) / DAY_MS;
  return [
    ...CATEGORIES.flatMap((c) => [Math.log1p(in30.get(c) ?? 0), Math.log1p(in90.get(c) ?? 0)]),
    Math.log((total(in30) + 1) / (total(in90) / 3 + 1)),
    Math.log1p((atMs - last) / DAY_MS),
    Math.log1p((atMs - first) / DAY_MS),
    ...SENTIMENTS.map((s) => Math.log1p(sentiments.get(s) ?? 0)),
    nps === null ? 0 : nps / 10,
    nps === null ? 1 : 0,
    csat === null ? 0 : (csat - 1) / 4,
    csat === null ? 1 : 0,
    Math.log1p(lastUpsellMs === null ? 400 : (atMs - lastUpsellMs) / DAY_MS),
    sinceContract === null ? 0 : Math.exp(-(YEAR_DAYS - (sinceContract % YEAR_DAYS)) / 30),
    sinceContract === null ? 0 : Math.exp(-(YEAR_DAYS - (sinceContract % YEAR_DAYS)) / 90),
    sinceContract === null ? 1 : 0,
  ];
}

/**
 * Logistic regression by Newton's method (iteratively reweighted least squares) with an L2 penalty
 * on the standardized weights (not the intercept). Returns the weights, intercept first.
 */
export function fitLogistic(rows: readonly number[][], labels: readonly number[], l2 = 1, iterations = 30): number[] {
  const p = rows[0]!.length + 1;
  const beta = new Array<number>(p).fill(0);
  for (let iteration = 0; iteration < iterations; iteration++) {
    const hessian = new Float64Array(p * p);
    const gradient = new Float64Array(p);
    for (let i = 0; i < rows.length; i++) {
      const x = [1, ...rows[i]!];
      const probability = 1 / (1 + Math.exp(-x.reduce((sum, v, j) => sum + v * beta[j]!, 0)));
      const weight = Math.max(probability * (1 - probability), 1e-9);
      for (let j = 0; j < p; j++) {
        gradient[j]! += (labels[i]! - probability) * x[j]!;
        for (let k = j; k < p; k++) hessian[j * p + k]! += weight * x[j]! * x[k]!;
      }
    }
    for (let j = 1; j < p; j++) {
      hessian[j * p + j]! += l2;
      gradient[j]! -= l2 * beta[j]!;
    }
    const lower = Array.from({ length: p }, (_, j) =>
      Array.from({ length: p }, (_, k) => hessian[Math.min(j, k) * p + Math.max(j, k)]!),
    );
    const step = new CholeskyDecomposition(new Matrix(lower)).solve(Matrix.columnVector([...gradient]));
    let largest = 0;
    for (let j = 0; j < p; j++) {
      beta[j] = beta[j]! + step.get(j, 0);
      largest = Math.max(largest, Math.abs(step.get(j, 0)));
    }
    if (largest < 1e-7) break;
  }
  return beta;
}

export interface CeilingResult {
  /** The other half of the customers, ranked by the fitted model's churn probability. */
  heldOut: Evaluation;
  /** The customers it was judged on (every other one), to judge the default model on the same. */
  judgedCustomers: ReadonlySet<string>;
  /** The features that weigh most in the fit (standardized weights, largest first; + raises the churn odds). */
  strongest: { feature: string; weight: number }[];
  trainingObservations: number;
  trainingChurners: number;
}

/**
 * Fits on half the customers (even positions) at every instant and evaluates on the other half.
 * Split by customer rather than by time: what a customer's events tell is the question, and some
 * signals cannot be learned from the older instants alone (a contract's anniversary shows in the
 * events only once a first renewal is recorded, after the first year).
 */
export function eventsCeiling(customers: readonly SimulatedCustomer[], horizonDays: number): CeilingResult {
  const fitted = new Set(customers.filter((_, index) => index % 2 === 0).map((customer) => customer.id));
  const training: { x: number[]; y: number }[] = [];
  const judged: { x: number[]; observation: Omit<Observation, 'score' | 'band'> }[] = [];
  for (const at of INSTANTS) {
    for (const instant of activeAt(customers, at)) {
      const x = featuresOf(instant.history, at.getTime());
      const observation = labelled(instant, at, horizonDays);
      if (fitted.has(instant.customer.id)) training.push({ x, y: observation.churned ? 1 : 0 });
      else judged.push({ x, observation });
    }
  }
  // Standardized on the training rows, so that one penalty suits every feature.
  const columns = FEATURE_NAMES.length;
  const mean = new Array<number>(columns).fill(0);
  const sd = new Array<number>(columns).fill(0);
  for (const { x } of training) for (let j = 0; j < columns; j++) mean[j]! += x[j]! / training.length;
  for (const { x } of training) for (let j = 0; j < columns; j++) sd[j]! += (x[j]! - mean[j]!) ** 2 / training.length;
  const scale = (x: readonly number[]) => x.map((v, j) => (sd[j]! > 0 ? (v - mean[j]!) / Math.sqrt(sd[j]!) : 0));
  const beta = fitLogistic(
    training.map(({ x }) => scale(x)),
    training.map(({ y }) => y),
  );
  const observations: Observation[] = judged.map(({ x, observation }) => {
    const z = [1, ...scale(x)].reduce((sum, v, j) => sum + v * beta[j]!, 0);
    // The evaluation reads a lower score as a higher risk.
    // The band is unused: the reference is read by its ranking only.
    return { ...observation, score: 100 / (1 + Math.exp(z)), band: 'HEALTHY' };
  });
  return {
    heldOut: evaluatePredictions(observations),
    strongest: FEATURE_NAMES.map((feature, j) => ({ feature, weight: beta[j + 1]! }))
      .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight))
      .slice(0, 4),
    judgedCustomers: new Set(customers.filter((customer) => !fitted.has(customer.id)).map((customer) => customer.id)),
    trainingObservations: training.length,
    trainingChurners: training.filter(({ y }) => y === 1).length,
  };
}

export interface CeilingRow {
  world: string;
  ceiling: CeilingResult;
  /** The default model v2 on the same judged customers (its own scores, not fitted to anything). */
  defaultModel: Evaluation;
}

const TARGET_AUC = 0.8;
const auc3 = (value: number) => (Number.isNaN(value) ? '–' : value.toFixed(3));

export function ceilingTable(rows: readonly CeilingRow[]): string {
  const lines = [
    `A logistic regression on ${FEATURE_NAMES.length} generic features of the recorded events (ceiling.ts lists them), fitted to each world's own outcomes ` +
      'on half its customers and judged on the other half, at every instant, beside the default model v2 and the baselines on the same customer-instants. ' +
      'It learns from the outcomes it is judged on, which a default model must not: a reference for what the events tell, not a contender; being linear, a lower bound of it.',
    '',
    "| world | judged customer-instants (churning) | events reference AUC [95 %] | default v2 AUC | interactions last 30 d | days since last | v2 gap to the reference | target 0.80 within the reference | the reference's strongest features (standardized weight; + means more churn) |",
    '|---|---:|---|---:|---:|---:|---:|---|---|',
  ];
  for (const { world, ceiling, defaultModel } of rows) {
    const reference = ceiling.heldOut.rankers.model;
    lines.push(
      `| ${world} | ${ceiling.heldOut.observations.toLocaleString('en-US')} (${ceiling.heldOut.churnObservations}) | ` +
        `${auc3(reference.auc)} [${auc3(reference.aucInterval.low)}–${auc3(reference.aucInterval.high)}] | ${auc3(defaultModel.rankers.model.auc)} | ` +
        `${auc3(defaultModel.rankers.recentInteractions.auc)} | ${auc3(defaultModel.rankers.daysSinceLast.auc)} | ` +
        `${(defaultModel.rankers.model.auc - reference.auc).toFixed(3)} | ${reference.auc >= TARGET_AUC ? 'yes' : `no (${auc3(reference.auc)})`} | ` +
        `${ceiling.strongest.map((s) => `${s.feature} (${s.weight >= 0 ? '+' : ''}${s.weight.toFixed(2)})`).join('; ')} |`,
    );
  }
  return lines.join('\n');
}
