// Plain-word flags for the explanation. A customer-success manager reads these, not formulas.
import { DAY_MS } from './curves.ts';
import type { Flag, MessageParams } from './types.ts';

export interface FlagFacts {
  interactionCount: number;
  asOfMs: number;
  lastAt: number;
  /** Latest interaction with non-negative points; -Infinity when there is none. */
  lastContactAt: number;
  silenceFactor: number;
  /** Positive points of engagement-backed interactions before the discount. */
  gatedUnits: number;
  gate: number;
  engagement: number | null;
  upsellEngagementMin: number;
  wastedTimeCount: number;
  /** Names of weighted categories without data, when others have data. */
  redistributed: string[];
  /** Their keys, in the same order. */
  redistributedKeys: string[];
}

export function buildFlags(facts: FlagFacts): Flag[] {
  const flags: Flag[] = [];
  if (facts.interactionCount === 0) {
    flags.push({ code: 'NO_DATA', message: 'no interactions yet: the score is the neutral 50', params: {} });
  }
  if (facts.silenceFactor < 1)
    flags.push({ code: 'SILENCE', message: silenceMessage(facts), params: silenceParams(facts) });
  if (facts.gatedUnits > 0 && facts.gate < 1) {
    const why =
      facts.engagement === null
        ? 'no engagement data'
        : `engagement ${Math.round(facts.engagement)} below ${facts.upsellEngagementMin}`;
    flags.push({
      code: 'UPSELL_DISCOUNTED',
      message: `upsell discounted: ${why}`,
      params:
        facts.engagement === null
          ? { engagementMin: facts.upsellEngagementMin }
          : { engagement: Math.round(facts.engagement), engagementMin: facts.upsellEngagementMin },
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
  if (facts.redistributed.length > 0) {
    flags.push({
      code: 'WEIGHT_REDISTRIBUTED',
      message: `no data for ${facts.redistributed.join(', ')}: weight redistributed to the other categories`,
      params: { categories: facts.redistributedKeys.join(',') },
    });
  }
  return flags;
}

function silenceMessage(facts: FlagFacts): string {
  if (facts.lastContactAt === -Infinity) return 'no positive contact on record';
  const days = Math.floor((facts.asOfMs - facts.lastContactAt) / DAY_MS);
  // Complaints do not end silence (see docs): say so when the customer did write since.
  if (facts.lastAt > facts.lastContactAt) return `no positive contact for ${days} days`;
  return `silent for ${days} days`;
}

/**
 * SILENCE's figures: `days` since the last positive contact and `onlyComplaints` 1 when the
 * customer did write since, with complaints only; `noContact` 1 alone when there never was one.
 */
export function silenceParams(facts: Pick<FlagFacts, 'asOfMs' | 'lastAt' | 'lastContactAt'>): MessageParams {
  if (facts.lastContactAt === -Infinity) return { noContact: 1 };
  const days = Math.floor((facts.asOfMs - facts.lastContactAt) / DAY_MS);
  return facts.lastAt > facts.lastContactAt ? { days, onlyComplaints: 1 } : { days };
}
