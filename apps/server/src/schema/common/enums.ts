// The schema's enums. Those that mirror a database enum list its values by hand so each value
// carries a description; the names are the database's, so Prisma values pass straight through.
import type { ApiKeyKind, Band, JourneyStage, Sentiment, SentimentHandling, ValueScale } from '@pulso/database';
import { builder } from '../../builder.ts';

/** Turns `{ VALUE: 'description' }` into Pothos enum values, typed as the database enum. */
function described<T extends string>(values: Record<T, string>) {
  return Object.fromEntries(Object.entries(values).map(([value, description]) => [value, { value, description }])) as {
    [K in T]: { value: K; description: string };
  };
}

export const BandEnum = builder.enumType('Band', {
  description: 'Health band: at risk (default 0–50), needs attention (51–70), healthy (71–100).',
  values: described<Band>({
    AT_RISK: 'At or below the at-risk threshold (red): act now.',
    NEEDS_ATTENTION: 'Between the two thresholds (amber): watch closely.',
    HEALTHY: 'Above the needs-attention threshold (green).',
  }),
});

export const SentimentEnum = builder.enumType('Sentiment', {
  description: 'How the customer felt: liked it, indifferent, disliked it, or wasted their time (the worst signal).',
  values: described<Sentiment>({
    LIKED: 'Liked it: counts 1.5 times a plain touch.',
    INDIFFERENT: 'Indifferent: near zero, but they still answered.',
    DISLIKED: 'Disliked it: negative points.',
    WASTED_TIME: '"I wasted my time": the worst signal of all, twice a dislike.',
  }),
});

export const JourneyStageEnum = builder.enumType('JourneyStage', {
  description: "Where in the customer's journey an interaction happened.",
  values: described<JourneyStage>({
    PURCHASE: 'Buying: trial, quote, purchase.',
    USAGE: 'Using the product.',
    SUPPORT: 'Asking for help.',
    CANCELLATION: 'Leaving or threatening to.',
    LEARNING: 'Onboarding, training, documentation.',
    DEEPENING: 'Growing the relationship: upsells, advocacy.',
  }),
});

export const SentimentHandlingEnum = builder.enumType('SentimentHandling', {
  description: "How an interaction type's sentiment or answer turns into signed points.",
  values: described<SentimentHandling>({
    SIGNED: 'The sentiment signs the points; no sentiment counts as a plain positive touch.',
    POSITIVE: 'Always positive (an email opened, a purchase): the sentiment is ignored.',
    NEGATIVE:
      'Always negative (a cancellation request, a failed payment): a sentiment only makes it graver, never positive.',
    FROM_VALUE: "The survey answer on the type's value scale decides.",
    FRICTION:
      'A contact that costs a little unless it went well (support tickets): liked earns, disliked and wasted time cost. Formula 1 reads it as SIGNED.',
  }),
});

export const ValueScaleEnum = builder.enumType('ValueScale', {
  description: 'The scale of a survey answer.',
  values: described<ValueScale>({
    NPS: 'Net Promoter Score, 0–10.',
    CSAT: 'Customer satisfaction, 1–5.',
    CES: 'Customer effort, 1–7; low effort is good.',
  }),
});

export const ApiKeyKindEnum = builder.enumType('ApiKeyKind', {
  description: 'What an API key may do.',
  values: described<ApiKeyKind>({
    SECRET: "Full access, from a company's own backend.",
    READ_ONLY: 'Reads only: dashboards, reports.',
    PUBLISHABLE: 'Safe in a browser: may only submit micro-ratings, from allowed origins.',
  }),
});

export const OrderDirectionEnum = builder.enumType('OrderDirection', {
  description: 'Sort direction. Missing values (no score yet, never interacted) always come last.',
  values: {
    ASC: { value: 'ASC', description: 'Smallest (or A) first.' },
    DESC: { value: 'DESC', description: 'Largest (or Z) first.' },
  } as const,
});

export const WeightSourceEnum = builder.enumType('WeightSource', {
  description: 'Where the weight in force for a customer comes from: the most specific level that sets one wins.',
  values: {
    WORKSPACE: { value: 'workspace', description: "The workspace's default weight for the category." },
    SEGMENT: { value: 'segment', description: "The weight set for the customer's segment." },
    CUSTOMER: { value: 'customer', description: "The customer's own weight." },
  } as const,
});

export const TrendDirectionEnum = builder.enumType('TrendDirection', {
  description: 'Which way a score moved: changes within ±1 point read as flat.',
  values: {
    UP: { value: 'up', description: 'Up by more than one point.' },
    DOWN: { value: 'down', description: 'Down by more than one point.' },
    FLAT: { value: 'flat', description: 'Within one point, or no history to compare with.' },
  } as const,
});

export const ScoreFlagCodeEnum = builder.enumType('ScoreFlagCode', {
  description: 'A remark on a score, in plain words in its message.',
  values: {
    NO_DATA: { description: 'No interaction on record: the score is the neutral 50.' },
    SILENCE: { description: 'Silent past the silence window: silence takes points away.' },
    UPSELL_DISCOUNTED: { description: 'Commercial interactions count less because engagement is low.' },
    WASTED_TIME: { description: 'At least one interaction marked "wasted my time".' },
    WEIGHT_REDISTRIBUTED: { description: "Some categories have no data: their weight went to the others'." },
    MANUAL_ASSESSMENT: { description: "A customer-success manager's own assessment is part of the score." },
    NOT_ENOUGH_DATA: { description: 'Formula 2: too little data to be sure; the score stays near the neutral 50.' },
    ACTIVITY_FALLING: {
      description:
        "Formula 2: a category's activity fell well below the customer's own level (the message says how much).",
    },
    GRAVE_SIGNALS: {
      description: 'Formula 2: wasted time, cancellation intent or commercial losses take a share of the whole score.',
    },
  } as const,
});
