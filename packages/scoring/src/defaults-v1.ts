// Model v1's catalogue (formula 1), which workspaces were seeded with before model v2 (v2/defaults.ts,
// now the default). Kept: formula 1 still scores the model versions created under it. Base points are sized against the sub-score
// scale (20 net points ≈ 88, see curves.ts): with a 30-day half-life a steady rhythm keeps about
// 43 days' worth of points alive, so a healthy rhythm (a session a working day, a weekly email and
// a monthly meeting) lands a category around 85–90. Frequent, cheap touches earn little each;
// rare, costly ones (a meeting, a testimonial, a renewal) earn a lot. docs/scoring-model.md
// explains each choice.
import type { CategoryDefinition, InteractionTypeDefinition, ScoringSettings } from './types.ts';

export const DEFAULT_SETTINGS_V1: Readonly<ScoringSettings> = Object.freeze({
  bandAtRiskMax: 50,
  bandNeedsAttentionMax: 70,
  decayHalfLifeDays: 30,
  silenceWindowDays: 21,
  upsellEngagementMin: 50,
});

export const DEFAULT_CATEGORIES_V1: readonly Readonly<CategoryDefinition>[] = Object.freeze([
  { key: 'engagement', name: 'Engagement', weight: 30, isEngagement: true },
  { key: 'product_usage', name: 'Product usage', weight: 25, isEngagement: false },
  { key: 'support', name: 'Support', weight: 15, isEngagement: false },
  { key: 'commercial', name: 'Commercial', weight: 15, isEngagement: false },
  { key: 'satisfaction', name: 'Satisfaction', weight: 15, isEngagement: false },
]);

function signed(key: string, name: string, categoryKey: string, basePoints: number): InteractionTypeDefinition {
  return {
    key,
    name,
    categoryKey,
    basePoints,
    sentimentHandling: 'SIGNED',
    valueScale: null,
    requiresEngagement: false,
  };
}

function positive(key: string, name: string, categoryKey: string, basePoints: number): InteractionTypeDefinition {
  return {
    key,
    name,
    categoryKey,
    basePoints,
    sentimentHandling: 'POSITIVE',
    valueScale: null,
    requiresEngagement: false,
  };
}

function negative(key: string, name: string, categoryKey: string, basePoints: number): InteractionTypeDefinition {
  return {
    key,
    name,
    categoryKey,
    basePoints,
    sentimentHandling: 'NEGATIVE',
    valueScale: null,
    requiresEngagement: false,
  };
}

function commercial(key: string, name: string, basePoints: number): InteractionTypeDefinition {
  return { ...positive(key, name, 'commercial', basePoints), requiresEngagement: true };
}

function survey(
  key: string,
  name: string,
  valueScale: 'NPS' | 'CSAT' | 'CES',
  basePoints: number,
): InteractionTypeDefinition {
  return {
    key,
    name,
    categoryKey: 'satisfaction',
    basePoints,
    sentimentHandling: 'FROM_VALUE',
    valueScale,
    requiresEngagement: false,
  };
}

export const DEFAULT_INTERACTION_TYPES_V1: readonly Readonly<InteractionTypeDefinition>[] = Object.freeze(
  [
    signed('email', 'Email', 'engagement', 2),
    signed('event_invitation', 'Event invitation', 'engagement', 3),
    signed('content', 'Content', 'engagement', 2),
    signed('meeting', 'Meeting', 'engagement', 6),
    // A like is positive by nature; how much it says is carried by its intensity (a comment adds).
    positive('like', 'Like', 'engagement', 3),
    signed('comment', 'Comment', 'engagement', 4),
    positive('testimonial', 'Testimonial', 'engagement', 12),
    // Spontaneous feedback is where price complaints land: DISLIKED, not WASTED_TIME.
    signed('spontaneous_feedback', 'Spontaneous feedback', 'engagement', 6),
    signed('product_session', 'Product session', 'product_usage', 1),
    signed('support_ticket', 'Support ticket', 'support', 4),
    commercial('purchase', 'Purchase', 10),
    commercial('renewal', 'Renewal', 15),
    commercial('upsell', 'Upsell', 12),
    commercial('cross_sell', 'Cross-sell', 10),
    survey('nps', 'NPS answer', 'NPS', 10),
    survey('csat', 'CSAT answer', 'CSAT', 8),
    survey('ces', 'CES answer', 'CES', 8),
    signed('micro_rating', 'Micro-rating', 'satisfaction', 3),
    // The customer said it wants to leave (a cancellation request, "we are thinking of cancelling"):
    // worth more than a renewal, in the other direction.
    negative('cancellation_intent', 'Cancellation intent', 'commercial', 20),
  ].map((type) => Object.freeze(type)),
);
