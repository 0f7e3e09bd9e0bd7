/** The shapes the generator returns: plain objects, ready for whoever writes them to the database. */

export type Segment = 'smb' | 'mid_market' | 'enterprise';

export type Sentiment = 'LIKED' | 'INDIFFERENT' | 'DISLIKED' | 'WASTED_TIME';

export type JourneyStage = 'PURCHASE' | 'USAGE' | 'SUPPORT' | 'CANCELLATION' | 'LEARNING' | 'DEEPENING';

export type CategoryKey = 'engagement' | 'product_usage' | 'support' | 'commercial' | 'satisfaction';

export type PersonaKey =
  | 'champion'
  | 'steady'
  | 'silent'
  | 'detractor'
  | 'upsell_engaged'
  | 'upsell_unengaged'
  | 'new'
  | 'churn_risk';

export interface DemoCustomer {
  /** `cus_0001`, `cus_0002`, ... */
  externalId: string;
  name: string;
  segment: Segment;
  /** CRM-like attributes: plan, seats, mrr, country, industry, accountOwner, ... */
  properties: Record<string, string | number | boolean>;
  /** The behaviour the customer was generated with (a {@link PersonaKey}); for tests and demos, not for scoring. */
  persona: string;
}

export interface DemoInteraction {
  customerExternalId: string;
  typeKey: string;
  occurredAt: Date;
  /** 1 for a plain touch; more for a long meeting, a detailed comment, a big upsell. */
  intensity: number;
  sentiment: Sentiment | null;
  /** The answer on the type's scale (NPS 0–10, CSAT 1–5, CES 1–7); null for every other type. */
  value: number | null;
  comment: string | null;
  journeyStage: JourneyStage | null;
  source: string;
  idempotencyKey: string;
}

/** A lifecycle event of a demo customer (recordOutcome): what the score is evaluated against. */
export interface DemoOutcome {
  customerExternalId: string;
  kind: 'CHURNED' | 'RENEWED' | 'DOWNGRADED' | 'EXPANDED' | 'REACTIVATED';
  occurredAt: Date;
  reason: string | null;
  voluntary: boolean | null;
  idempotencyKey: string;
}

export interface DemoSegmentWeight {
  segment: string;
  categoryKey: string;
  weight: number;
}

export interface DemoData {
  customers: DemoCustomer[];
  interactions: DemoInteraction[];
  outcomes: DemoOutcome[];
  segmentWeights: DemoSegmentWeight[];
}

export interface GenerateDemoDataOptions {
  /** Same seed and `now`, same data. Defaults to {@link DEFAULT_SEED}. */
  seed?: number;
  /** The instant the demo is generated "at": every interaction falls in [now − days, now]. */
  now: Date;
  /** Defaults to 300. */
  customers?: number;
  /** Days of history. Defaults to 180. */
  days?: number;
}
