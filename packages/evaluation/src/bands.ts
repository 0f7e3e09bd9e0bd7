// Churn rate and lift per band: the bands are what a customer-success team acts on, so "at risk"
// should churn far more often than "healthy", and a band nobody is ever in warns nobody.
import type { BandKey } from '@pulso/scoring';
import type { Observation } from './types.ts';

export const BAND_ORDER: readonly BandKey[] = ['AT_RISK', 'NEEDS_ATTENTION', 'HEALTHY'];

export interface BandRow {
  band: BandKey;
  observations: number;
  /** Share (0–1) of all observations in this band: the band spread. */
  share: number;
  churners: number;
  /** NaN for an empty band. */
  churnRate: number;
  /** The band's churn rate over the overall churn rate; NaN for an empty band or when nobody churned. */
  lift: number;
}

export function bandTable(observations: readonly Observation[]): BandRow[] {
  const counts = new Map<BandKey, { observations: number; churners: number }>(
    BAND_ORDER.map((band) => [band, { observations: 0, churners: 0 }]),
  );
  let churners = 0;
  for (const o of observations) {
    const row = counts.get(o.band);
    if (row === undefined) throw new RangeError(`unknown band "${String(o.band)}"`);
    row.observations += 1;
    if (o.churned) {
      row.churners += 1;
      churners += 1;
    }
  }
  const overall = churners / observations.length;
  return BAND_ORDER.map((band) => {
    const row = counts.get(band)!;
    const churnRate = row.observations ? row.churners / row.observations : Number.NaN;
    return {
      band,
      observations: row.observations,
      share: observations.length ? row.observations / observations.length : Number.NaN,
      churners: row.churners,
      churnRate,
      lift: overall > 0 ? churnRate / overall : Number.NaN,
    };
  });
}
