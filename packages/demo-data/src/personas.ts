import type { RecurringType } from './segments.ts';
import type { Random } from './random.ts';
import type { PersonaKey } from './types.ts';

/** How activity is spread over a customer's active window. */
export type Trend = 'flat' | 'declining' | 'rising';

/** The days (counted back from `now`) between which a customer does anything at all. */
export interface ActiveWindow {
  fromDaysAgo: number;
  toDaysAgo: number;
}

export interface PersonaSpec {
  /** Share of the customer base. */
  share: number;
  /** 0 (furious) to 1 (delighted): drives sentiments and survey answers. */
  mood: number;
  /** How much the mood moves from the first to the last day of the history. */
  moodDrift: number;
  trend: Trend;
  /** Multipliers on the segment's monthly rates, by category. */
  engagement: number;
  productUsage: number;
  support: number;
  /** Extra multipliers for single types (a champion writes testimonials, a detractor does not). */
  boost: Partial<Record<RecurringType, number>>;
  /** Chance of answering a relationship NPS survey. */
  surveyResponse: number;
  /** Chance of an upsell in the history, for personas whose story is not about one. */
  upsellChance: number;
  window(random: Random, days: number): ActiveWindow;
}

const wholeHistory = (_random: Random, days: number): ActiveWindow => ({ fromDaysAgo: days, toDaysAgo: 0 });

/**
 * Shares are loosely those CS teams report: most accounts are fine, one in four is drifting
 * away (silent or at risk), a few are loud detractors or champions.
 */
export const PERSONAS: Record<PersonaKey, PersonaSpec> = {
  champion: {
    share: 0.12,
    mood: 0.9,
    moodDrift: 0,
    trend: 'flat',
    engagement: 1.8,
    productUsage: 1.4,
    support: 0.8,
    boost: { testimonial: 10, like: 1.5, comment: 1.6, spontaneous_feedback: 1.5 },
    surveyResponse: 0.75,
    upsellChance: 0.3,
    window: wholeHistory,
  },
  steady: {
    share: 0.34,
    mood: 0.68,
    moodDrift: 0,
    trend: 'flat',
    engagement: 1,
    productUsage: 1,
    support: 1,
    boost: {},
    surveyResponse: 0.45,
    upsellChance: 0.08,
    window: wholeHistory,
  },
  silent: {
    share: 0.12,
    mood: 0.56,
    moodDrift: -0.1,
    // Business as usual, then nothing: the silence is the signal.
    trend: 'flat',
    engagement: 0.8,
    productUsage: 0.8,
    support: 0.7,
    boost: { testimonial: 0 },
    surveyResponse: 0.3,
    upsellChance: 0,
    // Gone quiet 20 to 90 days ago; the cap keeps some history before the silence on short demos.
    window: (random, days) => ({ fromDaysAgo: days, toDaysAgo: Math.min(random.int(20, 90), Math.floor(days * 0.75)) }),
  },
  detractor: {
    share: 0.08,
    mood: 0.18,
    moodDrift: -0.05,
    trend: 'flat',
    engagement: 0.5,
    productUsage: 0.7,
    support: 2.2,
    boost: { testimonial: 0, like: 0.3, spontaneous_feedback: 2, micro_rating: 1.8 },
    // Unhappy customers answer surveys to vent.
    surveyResponse: 0.65,
    upsellChance: 0,
    window: wholeHistory,
  },
  upsell_engaged: {
    share: 0.06,
    mood: 0.8,
    moodDrift: 0.05,
    trend: 'rising',
    engagement: 1.5,
    productUsage: 1.3,
    support: 1,
    boost: { meeting: 1.8 },
    surveyResponse: 0.6,
    upsellChance: 1,
    window: wholeHistory,
  },
  upsell_unengaged: {
    share: 0.06,
    mood: 0.6,
    moodDrift: 0,
    trend: 'flat',
    // The signed deal is the only sign of life: a champion left, a procurement-driven expansion.
    engagement: 0.03,
    productUsage: 0.05,
    support: 0.1,
    boost: { testimonial: 0 },
    surveyResponse: 0.05,
    upsellChance: 1,
    window: wholeHistory,
  },
  new: {
    share: 0.1,
    mood: 0.72,
    moodDrift: 0,
    trend: 'rising',
    // Onboarding: more meetings, content and questions than a settled account.
    engagement: 1.4,
    productUsage: 1.1,
    support: 1.4,
    boost: { meeting: 2, content: 1.5, testimonial: 0 },
    surveyResponse: 0.5,
    upsellChance: 0,
    window: (random, days) => ({ fromDaysAgo: Math.min(random.int(7, 35), days), toDaysAgo: 0 }),
  },
  churn_risk: {
    share: 0.12,
    mood: 0.55,
    moodDrift: -0.4,
    trend: 'declining',
    engagement: 0.7,
    productUsage: 0.8,
    support: 1.5,
    boost: { testimonial: 0 },
    surveyResponse: 0.5,
    upsellChance: 0,
    window: wholeHistory,
  },
};

export const PERSONA_KEYS = Object.keys(PERSONAS) as PersonaKey[];

/**
 * Exact persona quotas (largest remainder), shuffled: every demo of 300 customers has the same
 * mix, and small demos still get every persona they have room for.
 */
export function assignPersonas(random: Random, count: number): PersonaKey[] {
  const quotas = PERSONA_KEYS.map((key) => {
    const exact = PERSONAS[key].share * count;
    return { key, whole: Math.floor(exact), remainder: exact - Math.floor(exact) };
  });
  let missing = count - quotas.reduce((sum, quota) => sum + quota.whole, 0);
  for (const quota of [...quotas].sort((a, b) => b.remainder - a.remainder)) {
    if (missing <= 0) break;
    quota.whole += 1;
    missing -= 1;
  }
  return random.shuffle(quotas.flatMap((quota) => Array.from({ length: quota.whole }, () => quota.key)));
}
