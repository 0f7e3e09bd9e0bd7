import { DEMO_INTERACTION_TYPES, VALUE_SCALES, type TypeKey, type ValueScale } from './catalog.ts';
import {
  COMMERCIAL_NOTES,
  FEEDBACK,
  MEETING_NOTES,
  ONBOARDING_NOTES,
  SUPPORT_SUBJECTS,
  SURVEY_REASONS,
  TESTIMONIALS,
  type Tone,
} from './comments.ts';
import type { Random } from './random.ts';
import type { DemoInteraction, JourneyStage, Segment, Sentiment } from './types.ts';

/** An interaction before it is tied to its customer and numbered. */
export type Touch = Omit<DemoInteraction, 'customerExternalId' | 'idempotencyKey'>;

/** What shaping a touch needs to know about the customer at that moment. */
export interface TouchContext {
  random: Random;
  segment: Segment;
  /** 0 (furious) to 1 (delighted), at the touch's instant. */
  mood: number;
  /** In the first weeks after signing, touches are about learning the product. */
  onboarding: boolean;
}

/**
 * One touch of the given type, shaped like the real thing: sentiment and survey answers follow
 * the customer's mood, intensity follows how much happened, some touches carry a comment.
 */
export function shapeTouch(
  context: TouchContext,
  typeKey: TypeKey,
  occurredAt: Date,
  overrides: Partial<Touch> = {},
): Touch {
  const shaped = { ...SHAPERS[typeKey](context), ...overrides };
  // Every touch gets the same fields in the same order, which keeps V8 on its fast path.
  return {
    typeKey,
    occurredAt,
    intensity: shaped.intensity ?? 1,
    sentiment: shaped.sentiment ?? null,
    value: shaped.value ?? null,
    comment: shaped.comment ?? null,
    journeyStage: shaped.journeyStage ?? null,
    source: DEMO_INTERACTION_TYPES[typeKey].source,
  };
}

type Shaped = Partial<Pick<Touch, 'intensity' | 'sentiment' | 'value' | 'comment' | 'journeyStage'>>;

const SHAPERS: Record<TypeKey, (context: TouchContext) => Shaped> = {
  email: ({ random, mood, onboarding }) => ({
    // Opens are plain touches; a click is a little more.
    intensity: random.chance(0.25) ? 1.5 : 1,
    sentiment: maybeSentiment(random, mood, 0.04),
    journeyStage: onboarding ? 'LEARNING' : null,
  }),
  event_invitation: ({ random, mood }) => ({
    // Accepted is a touch; attended is worth twice that.
    intensity: random.chance(0.3) ? 2 : 1,
    sentiment: maybeSentiment(random, mood, 0.3),
    journeyStage: 'LEARNING',
  }),
  content: ({ random, mood }) => ({
    intensity: random.chance(0.25) ? 1.5 : 1,
    sentiment: maybeSentiment(random, mood, 0.35),
    journeyStage: 'LEARNING',
  }),
  meeting: ({ random, mood, onboarding, segment }) => {
    const minutes = random.pick(MEETING_MINUTES[segment]);
    return {
      intensity: minutes / 30,
      sentiment: maybeSentiment(random, mood, 0.45),
      comment: random.chance(0.3) ? random.pick(onboarding ? ONBOARDING_NOTES : MEETING_NOTES) : null,
      journeyStage: onboarding
        ? 'LEARNING'
        : random.weighted<JourneyStage>([
            ['USAGE', 0.4],
            ['DEEPENING', 0.4],
            ['SUPPORT', 0.2],
          ]),
    };
  },
  like: ({ random }) => {
    // A like is positive by nature; one in seven comes with a detailed comment and counts more.
    const detailed = random.chance(0.15);
    return {
      intensity: detailed ? round1(random.between(1.5, 3)) : 1,
      sentiment: detailed || random.chance(0.25) ? 'LIKED' : null,
      comment: detailed ? random.pick(FEEDBACK.positive) : null,
      journeyStage: 'USAGE',
    };
  },
  comment: ({ random, mood }) => {
    const sentiment = maybeSentiment(random, mood, 0.8);
    const comment = random.pick(FEEDBACK[toneOf(sentiment)]);
    return {
      intensity: round1(Math.min(3, 1 + comment.length / 60)),
      sentiment,
      comment,
      journeyStage: 'USAGE',
    };
  },
  testimonial: ({ random }) => ({
    intensity: round1(random.between(2, 3)),
    sentiment: 'LIKED',
    comment: random.pick(TESTIMONIALS),
    journeyStage: 'DEEPENING',
  }),
  spontaneous_feedback: ({ random, mood }) => {
    const sentiment = maybeSentiment(random, mood, 0.95);
    return {
      intensity: round1(random.between(1, 1.5)),
      sentiment,
      comment: random.pick(FEEDBACK[toneOf(sentiment)]),
      journeyStage: 'USAGE',
    };
  },
  product_session: ({ random, mood, segment }) => ({
    // Session depth is long-tailed: most are short, a few are long working sessions.
    intensity: round1(clamp(Math.exp(0.45 * random.normal()) * SESSION_DEPTH[segment], 0.2, 4)),
    sentiment: maybeSentiment(random, mood, 0.06),
    journeyStage: 'USAGE',
  }),
  support_ticket: ({ random, mood }) => {
    // People open tickets when something is wrong: tickets run colder than the customer's mood.
    const sentiment = maybeSentiment(random, clamp(mood - 0.15, 0, 1), 0.7);
    const angry = sentiment === 'DISLIKED' || sentiment === 'WASTED_TIME';
    return {
      intensity: angry ? round1(random.between(1.5, 2.5)) : 1,
      sentiment,
      comment: random.pick(SUPPORT_SUBJECTS[toneOf(sentiment)]),
      journeyStage: 'SUPPORT',
    };
  },
  purchase: ({ random }) => ({
    comment: random.chance(0.3) ? random.pick(COMMERCIAL_NOTES) : null,
    journeyStage: 'PURCHASE',
  }),
  renewal: () => ({ journeyStage: 'PURCHASE' }),
  upsell: (context) => expansion(context),
  cross_sell: (context) => expansion(context),
  nps: ({ random, mood }) => {
    const value = scaleValue('NPS', mood * 10.5 + 1.2 * random.normal());
    return { value, comment: random.chance(0.35) ? random.pick(SURVEY_REASONS[npsTone(value)]) : null };
  },
  csat: ({ random, mood }) => {
    const value = scaleValue('CSAT', 1 + mood * 4 + 0.7 * random.normal());
    const tone: Tone = value >= 4 ? 'positive' : value <= 2 ? 'negative' : 'neutral';
    return { value, comment: random.chance(0.25) ? random.pick(SURVEY_REASONS[tone]) : null, journeyStage: 'SUPPORT' };
  },
  ces: ({ random, mood }) => {
    // Customer effort: 1 is effortless, 7 is painful.
    const value = scaleValue('CES', 7 - mood * 6 + 0.8 * random.normal());
    const tone: Tone = value <= 3 ? 'positive' : value >= 5 ? 'negative' : 'neutral';
    return { value, comment: random.chance(0.15) ? random.pick(SURVEY_REASONS[tone]) : null, journeyStage: 'SUPPORT' };
  },
  micro_rating: ({ random, mood }) => {
    const sentiment = moodSentiment(random, mood);
    return {
      sentiment,
      comment: random.chance(0.2) ? random.pick(FEEDBACK[toneOf(sentiment)]) : null,
      journeyStage: random.chance(0.5) ? 'LEARNING' : 'USAGE',
    };
  },
};

const MEETING_MINUTES: Record<Segment, readonly number[]> = {
  smb: [30, 30, 45],
  mid_market: [30, 45, 60],
  enterprise: [45, 60, 60, 90],
};

/** Enterprise sessions aggregate more users, so they run deeper. */
const SESSION_DEPTH: Record<Segment, number> = { smb: 0.8, mid_market: 1, enterprise: 1.3 };

/** The bigger the account, the bigger the expansion deal. */
const EXPANSION_SIZE: Record<Segment, readonly [number, number]> = {
  smb: [1, 1.5],
  mid_market: [1.5, 2.5],
  enterprise: [2, 3],
};

function expansion({ random, segment }: TouchContext): Shaped {
  const [min, max] = EXPANSION_SIZE[segment];
  return {
    intensity: round1(random.between(min, max)),
    comment: random.chance(0.5) ? random.pick(COMMERCIAL_NOTES) : null,
    journeyStage: 'DEEPENING',
  };
}

/** A sentiment recorded `share` of the time; otherwise a plain touch (null). */
function maybeSentiment(random: Random, mood: number, share: number): Sentiment | null {
  return random.chance(share) ? moodSentiment(random, mood) : null;
}

/** Happy customers mostly like things; unhappy ones dislike them, and the angriest feel robbed of time. */
export function moodSentiment(random: Random, mood: number): Sentiment {
  return random.weighted<Sentiment>([
    ['LIKED', mood ** 2],
    ['INDIFFERENT', 0.22],
    ['DISLIKED', 0.8 * (1 - mood) ** 2],
    ['WASTED_TIME', 0.6 * (1 - mood) ** 3],
  ]);
}

function toneOf(sentiment: Sentiment | null): Tone {
  if (sentiment === 'LIKED') return 'positive';
  if (sentiment === 'DISLIKED' || sentiment === 'WASTED_TIME') return 'negative';
  return 'neutral';
}

/** Promoters 9–10, passives 7–8, detractors 0–6. */
function npsTone(value: number): Tone {
  return value >= 9 ? 'positive' : value <= 6 ? 'negative' : 'neutral';
}

function scaleValue(scale: ValueScale, raw: number): number {
  const { min, max } = VALUE_SCALES[scale];
  return clamp(Math.round(raw), min, max);
}

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
