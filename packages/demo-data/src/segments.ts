import type { TypeKey } from './catalog.ts';
import type { Random } from './random.ts';
import type { DemoSegmentWeight, Segment } from './types.ts';

/** Most B2B customer bases are a long tail of small accounts and a few large ones. */
export const SEGMENT_SHARES: readonly (readonly [Segment, number])[] = [
  ['smb', 0.5],
  ['mid_market', 0.32],
  ['enterprise', 0.18],
];

/** The touches that happen on their own, without a trigger. */
export type RecurringType = Exclude<TypeKey, 'purchase' | 'renewal' | 'upsell' | 'cross_sell' | 'nps' | 'csat' | 'ces'>;

/**
 * Expected touches per 30 days for a steady customer of each segment. Enterprise accounts have
 * many users and a named CSM (more sessions, meetings and tickets); small ones are served
 * "digitally" (content, community likes) and rarely meet anyone.
 */
export const MONTHLY_RATES: Record<Segment, Record<RecurringType, number>> = {
  smb: {
    email: 2.5,
    event_invitation: 0.3,
    content: 2.2,
    meeting: 0.15,
    like: 1.8,
    comment: 0.5,
    testimonial: 0.015,
    spontaneous_feedback: 0.25,
    product_session: 6,
    support_ticket: 0.5,
    micro_rating: 0.5,
  },
  mid_market: {
    email: 3,
    event_invitation: 0.5,
    content: 1.6,
    meeting: 0.8,
    like: 1,
    comment: 0.4,
    testimonial: 0.02,
    spontaneous_feedback: 0.25,
    product_session: 9,
    support_ticket: 0.9,
    micro_rating: 0.45,
  },
  enterprise: {
    email: 3.5,
    event_invitation: 0.9,
    content: 1,
    meeting: 2.6,
    like: 0.5,
    comment: 0.3,
    testimonial: 0.025,
    spontaneous_feedback: 0.3,
    product_session: 14,
    support_ticket: 1.8,
    micro_rating: 0.35,
  },
};

/**
 * Category weights for two segments, on a 100-point scale. Each overridden segment gets all five
 * categories so its proportions hold whatever the workspace-wide weights are: enterprise health
 * hinges on how support goes, a small account's on whether it actually uses the product.
 */
export const DEMO_SEGMENT_WEIGHTS: readonly DemoSegmentWeight[] = [
  { segment: 'enterprise', categoryKey: 'engagement', weight: 25 },
  { segment: 'enterprise', categoryKey: 'product_usage', weight: 20 },
  { segment: 'enterprise', categoryKey: 'support', weight: 25 },
  { segment: 'enterprise', categoryKey: 'commercial', weight: 10 },
  { segment: 'enterprise', categoryKey: 'satisfaction', weight: 20 },
  { segment: 'smb', categoryKey: 'engagement', weight: 20 },
  { segment: 'smb', categoryKey: 'product_usage', weight: 40 },
  { segment: 'smb', categoryKey: 'support', weight: 10 },
  { segment: 'smb', categoryKey: 'commercial', weight: 10 },
  { segment: 'smb', categoryKey: 'satisfaction', weight: 20 },
];

const COUNTRIES: readonly (readonly [string, number])[] = [
  ['BR', 0.34],
  ['MX', 0.15],
  ['AR', 0.1],
  ['CO', 0.1],
  ['CL', 0.08],
  ['PT', 0.07],
  ['ES', 0.08],
  ['US', 0.08],
];

const INDUSTRIES = [
  'Retail',
  'Logistics',
  'Healthcare',
  'Education',
  'Fintech',
  'Manufacturing',
  'Hospitality',
  'Agribusiness',
  'Media',
  'Software',
  'Real estate',
  'Energy',
] as const;

/** Small accounts share a pooled "digital" team; larger ones have a named CSM. */
const ACCOUNT_OWNERS = [
  'Ana Ribeiro',
  'Joaquín Pérez',
  'Lucía Fernández',
  "Marcus O'Brien",
  'Beatriz Gonçalves',
  'Camila Rojas',
  'Thiago Albuquerque',
] as const;

const PLANS: Record<Segment, readonly (readonly [string, number])[]> = {
  smb: [
    ['Starter', 0.6],
    ['Growth', 0.4],
  ],
  mid_market: [
    ['Growth', 0.45],
    ['Business', 0.55],
  ],
  enterprise: [['Enterprise', 1]],
};

const SEATS: Record<Segment, readonly [number, number]> = {
  smb: [3, 25],
  mid_market: [25, 200],
  enterprise: [200, 2500],
};

const PRICE_PER_SEAT: Record<Segment, number> = { smb: 29, mid_market: 42, enterprise: 36 };

/** Small accounts mostly pay by card every month; large ones sign yearly contracts. */
const ANNUAL_SHARE: Record<Segment, number> = { smb: 0.35, mid_market: 0.7, enterprise: 0.95 };

export interface FirmographicFacts {
  country: string;
  billingCycle: 'monthly' | 'annual';
}

export function pickCountry(random: Random): string {
  return random.weighted(COUNTRIES);
}

export function pickBillingCycle(random: Random, segment: Segment): 'monthly' | 'annual' {
  return random.chance(ANNUAL_SHARE[segment]) ? 'annual' : 'monthly';
}

/** The CRM attributes of a customer, as a company would sync them. */
export function customerProperties(
  random: Random,
  segment: Segment,
  facts: FirmographicFacts,
  customerSince: string,
): Record<string, string | number | boolean> {
  const [minSeats, maxSeats] = SEATS[segment];
  // Seat counts are skewed: most accounts sit near the bottom of their segment's range.
  const seats = Math.round(minSeats + (maxSeats - minSeats) * random.float() ** 2);
  const discount = facts.billingCycle === 'annual' ? 0.85 : 1;
  return {
    plan: random.weighted(PLANS[segment]),
    seats,
    mrr: Math.round(seats * PRICE_PER_SEAT[segment] * discount),
    billingCycle: facts.billingCycle,
    country: facts.country,
    industry: random.pick(INDUSTRIES),
    accountOwner: segment === 'smb' ? 'Digital CS team' : random.pick(ACCOUNT_OWNERS),
    customerSince,
    sso: segment === 'enterprise' || (segment === 'mid_market' && random.chance(0.3)),
  };
}
