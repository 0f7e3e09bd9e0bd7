// Formula 2's plain-word flags: what a customer-success manager should read first, worded from
// the readings (how sure the score is, what was discounted and why, which activity fell).
import { DAY_MS } from '../curves.ts';
import type { CategoryScore, Flag, MessageParams } from '../types.ts';

/** Below this confidence the score is flagged NOT_ENOUGH_DATA. */
export const LOW_CONFIDENCE = 0.25;

/** An activity fall worth a flag: below this share of its own level, with the trend trusted. */
export const FALLING_RATIO = 0.7;

export interface FlagFactsV2 {
  interactionCount: number;
  asOfMs: number;
  lastAt: number;
  lastContactAt: number;
  silenceFactor: number;
  confidence: number;
  /** Engagement-backed good news before the discount, in points. */
  gatedPoints: number;
  gate: number;
  engagement: number | null;
  upsellEngagementMin: number;
  wastedTimeCount: number;
  graveSignalFactor: number;
  categories: readonly CategoryScore[];
  baselineHalfLifeDays: number;
}

export function buildFlagsV2(facts: FlagFactsV2): Flag[] {
  const flags: Flag[] = [];
  if (facts.interactionCount === 0) {
    flags.push({ code: 'NO_DATA', message: 'no interactions yet: the score is the neutral 50', params: {} });
  } else if (facts.confidence < LOW_CONFIDENCE) {
    // Not "the score stays near 50": the neutral prior is a tenth of the weights, so one strong
    // answer (an NPS 0) moves the score far, and silence and grave signals weigh on it in full.
    flags.push({
      code: 'NOT_ENOUGH_DATA',
      message: `little data (confidence ${Math.round(facts.confidence * 100)} %): the score rests on few interactions, and the next ones can move it much`,
      params: { confidencePercent: Math.round(facts.confidence * 100) },
    });
  }
  if (facts.silenceFactor < 1)
    flags.push({ code: 'SILENCE', message: silenceMessage(facts), params: silenceParamsV2(facts) });
  for (const category of facts.categories) {
    const change = category.activity?.change;
    if (change == null || change + 1 >= FALLING_RATIO || (category.evidence ?? 0) < 0.5) continue;
    flags.push({
      code: 'ACTIVITY_FALLING',
      message: `${category.name} down ${Math.round(-change * 100)} % from its own level (about the last ${Math.round(facts.baselineHalfLifeDays / Math.LN2)} days)`,
      params: {
        category: category.key,
        categoryName: category.name,
        percent: Math.round(-change * 100),
        days: Math.round(facts.baselineHalfLifeDays / Math.LN2),
      },
    });
  }
  // From a hundredth of a point: less is the trace of good news long decayed, nothing to flag.
  if (facts.gatedPoints >= 0.01 && facts.gate < 1) {
    const why =
      facts.engagement === null
        ? ': no activity on record to back them'
        : `, as engagement is only ${Math.round(facts.engagement)} (full credit from ${facts.upsellEngagementMin})`;
    flags.push({
      code: 'UPSELL_DISCOUNTED',
      message: `renewals, upsells, good ratings and answers count ${Math.round(facts.gate * 100)} %${why}`,
      params:
        facts.engagement === null
          ? { percent: Math.round(facts.gate * 100), engagementMin: facts.upsellEngagementMin }
          : {
              percent: Math.round(facts.gate * 100),
              engagement: Math.round(facts.engagement),
              engagementMin: facts.upsellEngagementMin,
            },
    });
  }
  if (facts.wastedTimeCount > 0) {
    const what = facts.wastedTimeCount === 1 ? '1 interaction' : `${facts.wastedTimeCount} interactions`;
    flags.push({
      code: 'WASTED_TIME',
      message: `${what} marked "wasted my time"`,
      params: { count: facts.wastedTimeCount },
    });
  }
  if (facts.graveSignalFactor < 0.995) {
    flags.push({
      code: 'GRAVE_SIGNALS',
      message: `grave signals (wasted time, cancellation, commercial losses) take ${Math.round((1 - facts.graveSignalFactor) * 100)} % of the score`,
      params: { percent: Math.round((1 - facts.graveSignalFactor) * 100) },
    });
  }
  return flags;
}

function silenceMessage(facts: FlagFactsV2): string {
  if (facts.lastContactAt === -Infinity) return 'no real engagement on record';
  const days = Math.floor((facts.asOfMs - facts.lastContactAt) / DAY_MS);
  // What came since may be a complaint, but also a sale the vendor recorded or an answer that
  // engagement does not back: none of it is engagement, and the message must not call it a complaint.
  if (facts.lastAt > facts.lastContactAt)
    return `no real engagement for ${days} days (what was recorded since does not end silence: sales, complaints, indifference, answers not backed by use)`;
  return `silent for ${days} days`;
}

/**
 * SILENCE's figures: `days` since the last real engagement, `laterRecords` 1 when the customer
 * has records since that do not end silence (formula 1's `onlyComplaints` would say they were
 * complaints, which in formula 2 they need not be), `noContact` 1 alone when there never was any.
 */
function silenceParamsV2(facts: FlagFactsV2): MessageParams {
  if (facts.lastContactAt === -Infinity) return { noContact: 1 };
  const days = Math.floor((facts.asOfMs - facts.lastContactAt) / DAY_MS);
  return facts.lastAt > facts.lastContactAt ? { days, laterRecords: 1 } : { days };
}
