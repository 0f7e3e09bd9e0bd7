import type { CategoryKey } from './types.ts';

/** How the scoring model reads an interaction type (mirrors the database's `SentimentHandling`). */
export type SentimentHandling = 'SIGNED' | 'POSITIVE' | 'NEGATIVE' | 'FROM_VALUE';

export type ValueScale = 'NPS' | 'CSAT' | 'CES';

export interface DemoInteractionType {
  category: CategoryKey;
  sentimentHandling: SentimentHandling;
  valueScale: ValueScale | null;
  /** Where such a touch comes from in a real stack; written to `source`. */
  source: string;
}

/**
 * The interaction types the demo uses, keyed by type key. Exported so whoever seeds the demo
 * workspace creates exactly the types the interactions refer to.
 */
export const DEMO_INTERACTION_TYPES = {
  email: { category: 'engagement', sentimentHandling: 'SIGNED', valueScale: null, source: 'email' },
  event_invitation: { category: 'engagement', sentimentHandling: 'SIGNED', valueScale: null, source: 'events' },
  content: { category: 'engagement', sentimentHandling: 'SIGNED', valueScale: null, source: 'website' },
  meeting: { category: 'engagement', sentimentHandling: 'SIGNED', valueScale: null, source: 'calendar' },
  like: { category: 'engagement', sentimentHandling: 'SIGNED', valueScale: null, source: 'community' },
  comment: { category: 'engagement', sentimentHandling: 'SIGNED', valueScale: null, source: 'community' },
  testimonial: { category: 'engagement', sentimentHandling: 'SIGNED', valueScale: null, source: 'crm' },
  spontaneous_feedback: { category: 'engagement', sentimentHandling: 'SIGNED', valueScale: null, source: 'widget' },
  product_session: { category: 'product_usage', sentimentHandling: 'SIGNED', valueScale: null, source: 'product' },
  support_ticket: { category: 'support', sentimentHandling: 'SIGNED', valueScale: null, source: 'helpdesk' },
  purchase: { category: 'commercial', sentimentHandling: 'POSITIVE', valueScale: null, source: 'billing' },
  renewal: { category: 'commercial', sentimentHandling: 'POSITIVE', valueScale: null, source: 'billing' },
  upsell: { category: 'commercial', sentimentHandling: 'POSITIVE', valueScale: null, source: 'crm' },
  cross_sell: { category: 'commercial', sentimentHandling: 'POSITIVE', valueScale: null, source: 'crm' },
  nps: { category: 'satisfaction', sentimentHandling: 'FROM_VALUE', valueScale: 'NPS', source: 'survey' },
  csat: { category: 'satisfaction', sentimentHandling: 'FROM_VALUE', valueScale: 'CSAT', source: 'survey' },
  ces: { category: 'satisfaction', sentimentHandling: 'FROM_VALUE', valueScale: 'CES', source: 'survey' },
  micro_rating: { category: 'satisfaction', sentimentHandling: 'SIGNED', valueScale: null, source: 'widget' },
} as const satisfies Record<string, DemoInteractionType>;

export type TypeKey = keyof typeof DEMO_INTERACTION_TYPES;

export const TYPE_KEYS = Object.keys(DEMO_INTERACTION_TYPES) as TypeKey[];

export const CATEGORY_KEYS: readonly CategoryKey[] = [
  'engagement',
  'product_usage',
  'support',
  'commercial',
  'satisfaction',
];

/** The inclusive range of each survey scale. */
export const VALUE_SCALES: Record<ValueScale, { min: number; max: number }> = {
  NPS: { min: 0, max: 10 },
  CSAT: { min: 1, max: 5 },
  CES: { min: 1, max: 7 },
};
