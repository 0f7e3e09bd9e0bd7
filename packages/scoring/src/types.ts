// The public shapes of the scoring engine. They mirror the database's names (workspace settings,
// categories, interaction types, weights) so the server can pass rows through with little mapping,
// but nothing here imports the database package: the engine stays usable from batch jobs and tests.

/** Workspace-wide scoring settings, as stored on the workspace. */
export interface ScoringSettings {
  /** Highest score in the "at risk" band (default 50). */
  bandAtRiskMax: number;
  /** Highest score in the "needs attention" band (default 70); above it is "healthy". */
  bandNeedsAttentionMax: number;
  /** Age in days at which an interaction's points are worth half (default 30). */
  decayHalfLifeDays: number;
  /** Days without a non-negative interaction after which silence starts costing points (default 21). */
  silenceWindowDays: number;
  /** Engagement sub-score at which commercial interactions count in full (default 50). */
  upsellEngagementMin: number;
  /**
   * Which formula scores this model: 1 (sub-scores from net points) or 2 (activity against peers
   * and its own past, evidence-weighted; docs/scoring-model.md). Absent means 1, so stored models
   * keep their meaning.
   */
  formula?: 1 | 2;
}

export interface CategoryDefinition {
  key: string;
  name: string;
  /** Relative weight: only proportions matter. */
  weight: number;
  /** The category whose sub-score backs commercial interactions. At most one per model. */
  isEngagement: boolean;
  /**
   * Formula 2: the category's plain touches are activity, read against the customer's own past
   * and its peers (engagement, product usage) instead of counted as points. Absent means false.
   */
  measuresActivity?: boolean;
}

/**
 * How a type's sentiment or value signs its points. FRICTION (support contacts): a contact without
 * a sentiment costs a little, a good outcome earns, a bad one costs more.
 */
export type SentimentHandling = 'SIGNED' | 'POSITIVE' | 'NEGATIVE' | 'FROM_VALUE' | 'FRICTION';
export type ValueScale = 'NPS' | 'CSAT' | 'CES';
export type Sentiment = 'LIKED' | 'INDIFFERENT' | 'DISLIKED' | 'WASTED_TIME';

export interface InteractionTypeDefinition {
  key: string;
  name: string;
  categoryKey: string;
  basePoints: number;
  sentimentHandling: SentimentHandling;
  /** Required for FROM_VALUE types, null otherwise. */
  valueScale: ValueScale | null;
  /** Positive points count only in proportion to the customer's engagement. */
  requiresEngagement: boolean;
}

/** A workspace's whole scoring model, as the server loads it. */
export interface ScoringModel {
  settings: ScoringSettings;
  categories: CategoryDefinition[];
  interactionTypes: InteractionTypeDefinition[];
  /** segment → categoryKey → weight. Overrides the workspace weight for customers of that segment. */
  segmentWeights?: Record<string, Record<string, number>>;
}

export interface InteractionInput {
  id: string;
  typeKey: string;
  occurredAt: Date;
  /** How much: 1 is a plain touch. Must be finite and ≥ 0. Defaults to 1 when omitted. */
  intensity?: number;
  sentiment?: Sentiment | null;
  /** The survey answer for FROM_VALUE types (NPS 0–10, CSAT 1–5, CES 1–7); ignored otherwise. */
  value?: number | null;
  /**
   * Where in the customer's journey it happened (PURCHASE, USAGE, SUPPORT, CANCELLATION...).
   * Formula 2 reads anything in the CANCELLATION stage as cancellation intent; formula 1 ignores it.
   */
  journeyStage?: string | null;
}

export interface CustomerScoringInput {
  segment?: string | null;
  /** categoryKey → weight. Overrides the segment and workspace weights for this customer. */
  weights?: Record<string, number>;
  /** A customer-success manager's own rating; counts only while in force at the "as of" instant. */
  assessment?: ManualAssessmentInput | null;
}

/** A manual rating (0–100) with a reason, in force from `setAt` until `expiresAt` (exclusive). */
export interface ManualAssessmentInput {
  score: number;
  /** Share (0–1) of the final score it carries; default 0.25. */
  weight?: number;
  reason: string;
  setAt: Date;
  expiresAt: Date;
}

export type BandKey = 'AT_RISK' | 'NEEDS_ATTENTION' | 'HEALTHY';

export interface Band {
  key: BandKey;
  label: string;
  /** A hex colour for dashboards. */
  color: string;
}

export type WeightSource = 'workspace' | 'segment' | 'customer';

export interface CategoryScore {
  key: string;
  name: string;
  /** The weight in force for this customer, before redistribution. */
  weight: number;
  weightSource: WeightSource;
  /** Share (0–1) of the score this category carries after redistribution; 0 without data. */
  effectiveWeight: number;
  /** 0–100, or null when the category has no data for this customer. */
  subScore: number | null;
  /**
   * Points of the overall score coming from this category; contributions add up to the score
   * (with formula 2, together with the result's `neutralContribution`).
   */
  contribution: number;
  /** Formula 2: how much data backs the sub-score: activity evidence plus valence evidence, each 0–1. */
  evidence?: number;
  /** Formula 2, categories that measure activity: the activity readings behind the sub-score. */
  activity?: ActivityReading;
}

export interface ActivityReading {
  /** Activity (base points × intensity) per day, recently (decay half-life). */
  recentPerDay: number;
  /** The customer's own level: the same, over the baseline window (4 half-lives). */
  baselinePerDay: number;
  /** recent ÷ baseline − 1: −0.45 reads "down 45 % from its own level"; null without a baseline. */
  change: number | null;
  /** Share (0–1) of the segment's peers less active recently; null without enough peers. */
  peerPercentile: number | null;
}

export interface Driver {
  interactionId: string;
  typeKey: string;
  categoryKey: string;
  /** Signed points after decay and engagement discount. */
  points: number;
  occurredAt: string;
}

export type FlagCode =
  | 'NO_DATA'
  | 'SILENCE'
  | 'UPSELL_DISCOUNTED'
  | 'WASTED_TIME'
  | 'WEIGHT_REDISTRIBUTED'
  | 'MANUAL_ASSESSMENT'
  | 'NOT_ENOUGH_DATA'
  | 'ACTIVITY_FALLING'
  | 'GRAVE_SIGNALS';

/**
 * The figures and names a message is worded from, so a display can word it in its own language:
 * numbers as numbers, dates as ISO days (YYYY-MM-DD), category keys as keys. Which ones each code
 * carries is listed with its builder (flags.ts, v2/flags.ts, at-risk.ts). Scores stored before
 * they existed have none; a display then shows the message.
 */
export type MessageParams = Record<string, number | string>;

export interface Flag {
  code: FlagCode;
  message: string;
  params?: MessageParams;
}

/** The score and its explanation. Plain JSON: dates are ISO strings. */
export interface ScoreResult {
  score: number;
  band: Band;
  /** Share (0–1) of the model's weight that had data. */
  coverage: number;
  categories: CategoryScore[];
  drivers: { raised: Driver[]; lowered: Driver[] };
  flags: Flag[];
  /** Multiplier (0–1] silence applied to the score; 1 when the customer is not silent. */
  silenceFactor: number;
  interactionCount: number;
  lastInteractionAt: string | null;
  asOf: string;
  /** Formula 2: how sure the score is, 0–1 (the share of the model's weight backed by evidence). */
  confidence?: number;
  /** Formula 2: the share (0–1] grave signals leave of the score; 1 without any. */
  graveSignalFactor?: number;
  /** Formula 2: the points the neutral prior (50) adds; with the categories' contributions, the score. */
  neutralContribution?: number;
  /**
   * Present only while a manual assessment is in force: the manager's rating, the share of the
   * score it carries, and its contribution (category contributions then carry 1 − weight).
   */
  assessment?: {
    score: number;
    weight: number;
    contribution: number;
    reason: string;
    setAt: string;
    expiresAt: string;
  };
}

export interface ScorePoint {
  at: Date;
  score: number;
}

export interface Trend {
  change7d: number | null;
  change30d: number | null;
  direction: 'up' | 'down' | 'flat';
}
