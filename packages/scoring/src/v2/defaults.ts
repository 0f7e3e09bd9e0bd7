// Model v2's catalogue (formula 2): what every new workspace is seeded with. What changed from v1 and why, figure by figure, is in
// docs/scoring-model.md ("Model v2: why each default is what it is"). In short:
// - a 14-day half-life: "recent" must show a fall within two to four weeks, and the baseline
//   (4 half-lives, about the last three months) is the customer's own level to compare with;
// - engagement and product usage measure activity (rates against the customer's own past and its
//   peers), the other categories weigh what customers say and do commercially;
// - support contacts are friction unless they went well; commercial signals go both ways;
// - renewals, upsells and good answers count in full from engagement 60 (neutral 50 counts nothing).
import { DEFAULT_CATEGORIES_V1, DEFAULT_INTERACTION_TYPES_V1, DEFAULT_SETTINGS_V1 } from '../defaults-v1.ts';
import type { CategoryDefinition, InteractionTypeDefinition, ScoringSettings } from '../types.ts';

export const DEFAULT_SETTINGS_V2: Readonly<ScoringSettings> = Object.freeze({
  ...DEFAULT_SETTINGS_V1,
  decayHalfLifeDays: 14,
  upsellEngagementMin: 60,
  formula: 2 as const,
});

const ACTIVITY_CATEGORIES = new Set(['engagement', 'product_usage']);

export const DEFAULT_CATEGORIES_V2: readonly Readonly<CategoryDefinition>[] = Object.freeze(
  DEFAULT_CATEGORIES_V1.map((category) =>
    Object.freeze({ ...category, measuresActivity: ACTIVITY_CATEGORIES.has(category.key) }),
  ),
);

function commercialLoss(key: string, name: string, basePoints: number): InteractionTypeDefinition {
  return {
    key,
    name,
    categoryKey: 'commercial',
    basePoints,
    sentimentHandling: 'NEGATIVE',
    valueScale: null,
    requiresEngagement: false,
  };
}

const V2_CHANGES: Readonly<Record<string, Partial<InteractionTypeDefinition>>> = {
  support_ticket: { sentimentHandling: 'FRICTION' },
  // Graver than the worst survey answer (NPS 0 costs 20): the customer said it wants to leave.
  cancellation_intent: { basePoints: 25 },
};

export const DEFAULT_INTERACTION_TYPES_V2: readonly Readonly<InteractionTypeDefinition>[] = Object.freeze(
  [
    ...DEFAULT_INTERACTION_TYPES_V1.map((type) => ({ ...type, ...V2_CHANGES[type.key] })),
    // Commercial signals go both ways: a customer buying less is a customer leaving slowly.
    commercialLoss('downsell', 'Downsell', 12),
    commercialLoss('seat_reduction', 'Seat reduction', 8),
    commercialLoss('addon_removed', 'Add-on removed', 8),
    commercialLoss('payment_failed', 'Failed payment', 6),
    commercialLoss('term_shortened', 'Shorter term', 10),
  ].map((type) => Object.freeze(type)),
);
