// A customer's health score and its explanation, read from the stored breakdown (a @pulso/scoring
// ScoreResult written by every rescoring): reading never rescores. Only the trend needs the
// snapshot history, which a per-request loader fetches for a whole page at once.
import { bandFor, computeTrend, type Band, type ScoreResult, type Trend } from '@pulso/scoring';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../../builder.ts';
import { messageParamList, MessageParamRef } from '../common/message-params.ts';
import { BandEnum, ScoreFlagCodeEnum, TrendDirectionEnum, WeightSourceEnum } from '../common/enums.ts';
import { trendPointsLoader } from './loaders.ts';
import { CategoryNameRef, namesOfCategory } from '../scoring-model/category-names.ts';

/** What the HealthScore type resolves from: the stored result and where it came from. */
export interface HealthScoreShape {
  customerId: string;
  result: ScoreResult;
  computedAt: Date;
  modelVersion: number | null;
}

/** The stored columns a HealthScore is built from; null until the customer was first scored. */
export function healthScoreOf(customer: {
  id: string;
  scoreBreakdown: unknown;
  scoreComputedAt: Date | null;
  scoreModelVersion: number | null;
}): HealthScoreShape | null {
  const result = customer.scoreBreakdown as ScoreResult | null;
  if (!result || typeof result !== 'object' || typeof result.score !== 'number' || !customer.scoreComputedAt)
    return null;
  return {
    customerId: customer.id,
    result,
    computedAt: customer.scoreComputedAt,
    modelVersion: customer.scoreModelVersion,
  };
}

// Labels and colours do not depend on the thresholds: ask the engine once for each band.
const DEFAULT_THRESHOLDS = { bandAtRiskMax: 50, bandNeedsAttentionMax: 70 };
export const BAND_INFO: Record<Band['key'], Band> = {
  AT_RISK: bandFor(0, DEFAULT_THRESHOLDS),
  NEEDS_ATTENTION: bandFor(60, DEFAULT_THRESHOLDS),
  HEALTHY: bandFor(100, DEFAULT_THRESHOLDS),
};

export const ScoreTrendRef = builder.objectRef<Trend>('ScoreTrend').implement({
  description:
    'How the score moved: the current score against the score as it stood 7 and 30 days before it was computed.',
  fields: (t) => ({
    change7d: t.exposeFloat('change7d', {
      nullable: true,
      description: 'Points gained (negative: lost) over 7 days; null without history that old.',
    }),
    change30d: t.exposeFloat('change30d', {
      nullable: true,
      description: 'Points gained (negative: lost) over 30 days; null without history that old.',
    }),
    direction: t.field({
      type: TrendDirectionEnum,
      description: 'From the 7-day change, else the 30-day change; within ±1 point is flat.',
      resolve: (trend) => trend.direction,
    }),
  }),
});

type ActivityShape = NonNullable<ScoreResult['categories'][number]['activity']>;
const ScoreActivityRef = builder.objectRef<ActivityShape>('ScoreActivity').implement({
  description:
    "Formula 2: how much the customer does in a category that measures activity, against its own level and its peers'.",
  fields: (t) => ({
    recentPerDay: t.exposeFloat('recentPerDay', {
      description: 'Activity (base points × intensity) per day, recently (the decay half-life).',
    }),
    baselinePerDay: t.exposeFloat('baselinePerDay', {
      description: "The customer's own level: activity per day over the baseline window (about three months).",
    }),
    change: t.exposeFloat('change', {
      nullable: true,
      description: 'Recent ÷ own level − 1: −0.45 reads "down 45 % from its own level"; null without a level.',
    }),
    peerPercentile: t.exposeFloat('peerPercentile', {
      nullable: true,
      description: "Share (0–1) of the segment's peers less active recently; null without enough peers.",
    }),
  }),
});

type CategoryShape = ScoreResult['categories'][number];
export const ScoreCategoryRef = builder.objectRef<CategoryShape>('ScoreCategory').implement({
  description: "One category's part in the score. Contributions add up to the score, to rounding.",
  fields: (t) => ({
    key: t.exposeString('key', { description: 'The category key (engagement, support...).' }),
    name: t.exposeString('name', { description: 'The category name, for display.' }),
    names: t.field({
      type: [CategoryNameRef],
      description: "The category's names in other languages, as the model has them now.",
      resolve: (c, _args, ctx) => namesOfCategory(ctx, c.key),
    }),
    weight: t.exposeFloat('weight', {
      description: 'The weight in force for this customer, before redistribution (only proportions matter).',
    }),
    weightSource: t.field({
      type: WeightSourceEnum,
      description: 'Which level set that weight.',
      resolve: (c) => c.weightSource,
    }),
    effectiveWeight: t.exposeFloat('effectiveWeight', {
      description: 'Share (0–1) of the score this category carries; 0 without data (its weight went to the others).',
    }),
    subScore: t.exposeFloat('subScore', {
      nullable: true,
      description: 'The category sub-score, 0–100; null when the customer has no data in it.',
    }),
    contribution: t.exposeFloat('contribution', {
      description: 'Points of the overall score coming from this category.',
    }),
    hasData: t.boolean({
      description: 'Whether the customer has at least one interaction in this category.',
      resolve: (c) => c.subScore !== null,
    }),
    evidence: t.float({
      nullable: true,
      description:
        'Formula 2: how much data backs the sub-score: activity evidence plus valence evidence, each 0–1 (so 0–2); null under formula 1.',
      resolve: (c) => c.evidence ?? null,
    }),
    activity: t.field({
      type: ScoreActivityRef,
      nullable: true,
      description: 'Formula 2, categories that measure activity: the readings behind the sub-score.',
      resolve: (c) => c.activity ?? null,
    }),
  }),
});

type DriverShape = ScoreResult['drivers']['raised'][number];
const ScoreDriverRef = builder.objectRef<DriverShape>('ScoreDriver').implement({
  description: 'An interaction that moved the score most, with its points after decay and engagement backing.',
  fields: (t) => ({
    interactionId: t.id({
      description: 'Global id of the interaction (usable with `node`).',
      resolve: (d) => encodeGlobalID('Interaction', d.interactionId),
    }),
    typeKey: t.exposeString('typeKey', { description: 'The interaction type key (meeting, support_ticket...).' }),
    categoryKey: t.exposeString('categoryKey', { description: 'The category the interaction counts in.' }),
    points: t.exposeFloat('points', { description: 'Signed points after decay and engagement backing.' }),
    occurredAt: t.field({
      type: 'DateTime',
      description: 'When the interaction happened.',
      resolve: (d) => new Date(d.occurredAt),
    }),
  }),
});

const ScoreDriversRef = builder.objectRef<ScoreResult['drivers']>('ScoreDrivers').implement({
  description: 'The interactions that raised and lowered the score most (up to three each).',
  fields: (t) => ({
    raised: t.field({
      type: [ScoreDriverRef],
      description: 'The interactions that raised the score most, biggest first.',
      resolve: (d) => d.raised,
    }),
    lowered: t.field({
      type: [ScoreDriverRef],
      description: 'The interactions that lowered the score most, biggest first.',
      resolve: (d) => d.lowered,
    }),
  }),
});

const ScoreFlagRef = builder.objectRef<ScoreResult['flags'][number]>('ScoreFlag').implement({
  description: 'A remark on the score, with a code for programs and a message for people.',
  fields: (t) => ({
    code: t.field({ type: ScoreFlagCodeEnum, description: 'What kind of remark.', resolve: (f) => f.code }),
    message: t.exposeString('message', {
      description: 'The remark in plain words, in English (e.g. "silent for 45 days").',
    }),
    params: t.field({
      type: [MessageParamRef],
      description:
        'The figures the message is worded from, to word it in another language: SILENCE `days`, or `noContact` 1 when there never was a positive contact, and `onlyComplaints` (formula 1: 1 when complaints came since) or `laterRecords` (formula 2: 1 when records came since that do not end silence); UPSELL_DISCOUNTED `engagement` (none without data), `engagementMin` and, under formula 2, `percent`; WASTED_TIME `count`; WEIGHT_REDISTRIBUTED `categories` (keys, comma-separated); MANUAL_ASSESSMENT `score`, `weightPercent`, `until` (the reason the manager gave stays in the message); NOT_ENOUGH_DATA `confidencePercent`; ACTIVITY_FALLING `category` (key), `categoryName`, `percent`, `days`; GRAVE_SIGNALS `percent`. Empty for a score stored before params existed: use the message.',
      resolve: (f) => messageParamList(f.params),
    }),
  }),
});

const ScoreAssessmentRef = builder.objectRef<NonNullable<ScoreResult['assessment']>>('ScoreAssessment').implement({
  description: "A customer-success manager's own assessment, in force when the score was computed.",
  fields: (t) => ({
    score: t.exposeFloat('score', { description: "The manager's rating, 0–100." }),
    weight: t.exposeFloat('weight', { description: 'Share (0–1) of the score it carries.' }),
    contribution: t.exposeFloat('contribution', { description: 'Points of the overall score coming from it.' }),
    reason: t.exposeString('reason', { description: 'Why the manager rated so.' }),
    setAt: t.field({ type: 'DateTime', description: 'When it was set.', resolve: (a) => new Date(a.setAt) }),
    expiresAt: t.field({
      type: 'DateTime',
      description: 'When it stops counting.',
      resolve: (a) => new Date(a.expiresAt),
    }),
  }),
});

export const HealthScoreRef = builder.objectRef<HealthScoreShape>('HealthScore').implement({
  description: "A customer's health score with its explanation, as last computed (reading never rescores).",
  fields: (t) => ({
    value: t.float({ description: 'The score, 0–100, to one decimal.', resolve: (s) => s.result.score }),
    band: t.field({ type: BandEnum, description: 'The band the score falls in.', resolve: (s) => s.result.band.key }),
    bandLabel: t.string({
      description: 'The band in words (At risk, Needs attention, Healthy).',
      resolve: (s) => s.result.band.label,
    }),
    colour: t.string({
      description: "The band's colour for dashboards, as #rrggbb.",
      resolve: (s) => s.result.band.color,
    }),
    coverage: t.float({
      description: "Share (0–1) of the model's weight that had data; 1 when every category had some.",
      resolve: (s) => s.result.coverage,
    }),
    computedAt: t.field({
      type: 'DateTime',
      description: 'The instant the score was computed for.',
      resolve: (s) => s.computedAt,
    }),
    modelVersion: t.int({
      nullable: true,
      description: 'The scoring model version that produced it.',
      resolve: (s) => s.modelVersion,
    }),
    silenceFactor: t.float({
      description: 'The multiplier (0.5–1) silence applied; 1 when the customer is not silent.',
      resolve: (s) => s.result.silenceFactor,
    }),
    confidence: t.float({
      nullable: true,
      description:
        "Formula 2: how sure the score is, 0–1 (the share of the model's weight backed by evidence); null under formula 1.",
      resolve: (s) => s.result.confidence ?? null,
    }),
    graveSignalFactor: t.float({
      nullable: true,
      description:
        'Formula 2: the share (0–1] of the score grave signals (wasted time, cancellation, commercial losses) leave; null under formula 1.',
      resolve: (s) => s.result.graveSignalFactor ?? null,
    }),
    neutralContribution: t.float({
      nullable: true,
      description:
        "Formula 2: points the neutral prior adds; with the categories' contributions, the score. Null under formula 1.",
      resolve: (s) => s.result.neutralContribution ?? null,
    }),
    interactionCount: t.int({
      description: 'Interactions the score was computed from.',
      resolve: (s) => s.result.interactionCount,
    }),
    lastInteractionAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'The latest interaction the score saw.',
      resolve: (s) => (s.result.lastInteractionAt ? new Date(s.result.lastInteractionAt) : null),
    }),
    trend: t.field({
      type: ScoreTrendRef,
      description: 'Change over 7 and 30 days, from the score history.',
      resolve: async (s, _args, ctx) => {
        const { week, month } = await trendPointsLoader(ctx).load(s.customerId);
        const history = [
          { at: s.computedAt, score: s.result.score },
          ...(week ? [week] : []),
          ...(month ? [month] : []),
        ];
        return computeTrend(history, s.computedAt);
      },
    }),
    categories: t.field({
      type: [ScoreCategoryRef],
      description: 'Per-category breakdown, in the model order.',
      resolve: (s) => s.result.categories,
    }),
    drivers: t.field({
      type: ScoreDriversRef,
      description: 'The interactions that moved the score most.',
      resolve: (s) => s.result.drivers,
    }),
    flags: t.field({
      type: [ScoreFlagRef],
      description: 'Remarks: silence, missing data, discounted upsells...',
      resolve: (s) => s.result.flags,
    }),
    assessment: t.field({
      type: ScoreAssessmentRef,
      nullable: true,
      description: "The manager's assessment that counted, if one was in force.",
      resolve: (s) => s.result.assessment ?? null,
    }),
  }),
});
