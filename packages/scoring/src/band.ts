// The three bands a customer-success team triages by. Thresholds are inclusive upper bounds, so
// the defaults read as 0–50, 51–70 and 71–100 on whole scores.
import type { Band, ScoringSettings } from './types.ts';
import { requireInRange } from './validate.ts';

const AT_RISK: Band = Object.freeze({ key: 'AT_RISK', label: 'At risk', color: '#d64545' });
const NEEDS_ATTENTION: Band = Object.freeze({ key: 'NEEDS_ATTENTION', label: 'Needs attention', color: '#e8a33d' });
const HEALTHY: Band = Object.freeze({ key: 'HEALTHY', label: 'Healthy', color: '#2f9e6b' });

export function bandFor(
  score: number,
  settings: Pick<ScoringSettings, 'bandAtRiskMax' | 'bandNeedsAttentionMax'>,
): Band {
  requireInRange('score', score, 0, 100);
  if (score <= settings.bandAtRiskMax) return { ...AT_RISK };
  if (score <= settings.bandNeedsAttentionMax) return { ...NEEDS_ATTENTION };
  return { ...HEALTHY };
}
