// The public API of the evaluation: pure functions over observations (customer, instant, score,
// band, churn label and the baselines' inputs). No I/O, no clock; the caller builds the rows.
export type { Interval, Observation, RankerKey } from './types.ts';
export type { BandRow } from './bands.ts';
export type { CalibrationRow } from './calibration.ts';
export type { ChurnedWhileGreen } from './churned-while-green.ts';
export type { LeadTime } from './lead-time.ts';
export type { BaselineComparison, Evaluation, EvaluationOptions, RankerFigures } from './evaluate.ts';
export type { Ranking } from './ranking.ts';
export { evaluatePredictions } from './evaluate.ts';
export { rocAuc, weightedAuc } from './auc.ts';
export { rankByRisk } from './ranking.ts';
export { BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED, bootstrapAucs, percentileInterval } from './bootstrap.ts';
export { topShareLift } from './lift.ts';
export { BAND_ORDER, bandTable } from './bands.ts';
export { calibrationTable } from './calibration.ts';
export { leadTime } from './lead-time.ts';
export { bandAlerts, riskiestShareAlerts } from './alerts.ts';
export { churnedWhileGreen } from './churned-while-green.ts';
export { indexCustomers } from './customers.ts';
export { RANKER_LABELS, RANKERS, riskColumn, riskOf } from './risk.ts';
