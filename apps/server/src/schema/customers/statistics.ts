// Workspace figures for dashboards: customers per band, the average score, and how scores moved
// over 30 days. One SQL statement, computed by the database over the stored scores. Up, down and
// flat use the engine's trend threshold, so a customer counted flat here shows a flat trend.
// Churned customers are counted apart and left out of every other figure: they left the at-risk
// list and the scheduled rescoring (their scores are the last ones before they left), so counting
// them put more customers "at risk" on a dashboard than its at-risk list showed.
import type { Band as BandKey } from '@pulso/database';
import { FLAT_THRESHOLD } from '@pulso/scoring';
import { builder } from '../../builder.ts';
import { BandEnum } from '../common/enums.ts';
import { BAND_INFO } from './score.ts';

interface StatisticsRow {
  customers: number;
  churned: number;
  scored: number;
  average: number | null;
  atRisk: number;
  needsAttention: number;
  healthy: number;
  up: number;
  down: number;
  flat: number;
  unknown: number;
  bandChanged: number;
  bandImproved: number;
  bandWorsened: number;
}

interface BandCount {
  band: BandKey;
  count: number;
  scored: number;
}

const BandCountRef = builder.objectRef<BandCount>('BandCount').implement({
  description: 'How many customers are in one band.',
  fields: (t) => ({
    band: t.field({ type: BandEnum, description: 'The band.', resolve: (b) => b.band }),
    label: t.string({ description: 'The band in words.', resolve: (b) => BAND_INFO[b.band].label }),
    colour: t.string({ description: 'Its colour, as #rrggbb.', resolve: (b) => BAND_INFO[b.band].color }),
    count: t.exposeInt('count', { description: 'Customers in the band.' }),
    share: t.float({
      description: 'Share (0–1) of the scored customers in the band.',
      resolve: (b) => (b.scored > 0 ? Math.round((b.count / b.scored) * 10_000) / 10_000 : 0),
    }),
  }),
});

const ScoreMovementRef = builder.objectRef<StatisticsRow>('ScoreMovement').implement({
  description: `How scores moved over 30 days (score at its last computation against the score 30 days before). Moves within ±${FLAT_THRESHOLD} point count as flat.`,
  fields: (t) => ({
    up: t.exposeInt('up', { description: `Customers whose score rose by more than ${FLAT_THRESHOLD} point.` }),
    down: t.exposeInt('down', { description: `Customers whose score fell by more than ${FLAT_THRESHOLD} point.` }),
    flat: t.exposeInt('flat', { description: `Customers whose score moved by ${FLAT_THRESHOLD} point or less.` }),
    unknown: t.exposeInt('unknown', { description: 'Customers without a score 30 days back to compare with.' }),
    bandChanged: t.exposeInt('bandChanged', { description: 'Customers now in another band than 30 days before.' }),
    bandImproved: t.exposeInt('bandImproved', {
      description: 'Customers now in a better band (e.g. at risk → needs attention).',
    }),
    bandWorsened: t.exposeInt('bandWorsened', { description: 'Customers now in a worse band.' }),
  }),
});

const WorkspaceStatisticsRef = builder.objectRef<StatisticsRow>('WorkspaceStatistics').implement({
  description:
    "Figures over the workspace's active customers, for dashboards: churned customers are counted in `churnedCount` and nowhere else, as the at-risk list leaves them out.",
  fields: (t) => ({
    customerCount: t.exposeInt('customers', {
      description: 'Active customers (not churned): `customers(filter: { churned: false })`.',
    }),
    churnedCount: t.exposeInt('churned', {
      description: 'Customers whose latest churn or reactivation is a churn (`Customer.churnedAt` set).',
    }),
    scoredCount: t.exposeInt('scored', { description: 'Active customers with a score.' }),
    averageScore: t.float({
      nullable: true,
      description: 'Mean score of the scored customers, to one decimal; null when none is scored.',
      resolve: (s) => (s.average === null ? null : Math.round(s.average * 10) / 10),
    }),
    bands: t.field({
      type: [BandCountRef],
      description:
        'Active customers per band, worst first (every band is listed, even when empty): the at-risk count is `customersAtRisk.totalCount`.',
      resolve: (s): BandCount[] => [
        { band: 'AT_RISK', count: s.atRisk, scored: s.scored },
        { band: 'NEEDS_ATTENTION', count: s.needsAttention, scored: s.scored },
        { band: 'HEALTHY', count: s.healthy, scored: s.scored },
      ],
    }),
    movement30d: t.field({
      type: ScoreMovementRef,
      description: 'How scores and bands moved over 30 days.',
      resolve: (s) => s,
    }),
  }),
});

builder.queryField('statistics', (t) =>
  t.withAuth({ read: true }).field({
    type: WorkspaceStatisticsRef,
    description: "Figures for dashboards over the API key's workspace.",
    resolve: async (_root, _args, ctx) => {
      const workspaceId = ctx.caller.workspaceId;
      // The band 30 days back is the latest snapshot at or before each customer's score instant
      // minus 30 days: one index lookup per customer on ScoreSnapshot(customerId, computedAt DESC).
      const [row] = await ctx.prisma.$queryRaw<StatisticsRow[]>`
        WITH current AS (
          SELECT c."score", c."band", c."scoreChange30d",
                 CASE c."band" WHEN 'AT_RISK' THEN 0 WHEN 'NEEDS_ATTENTION' THEN 1 WHEN 'HEALTHY' THEN 2 END AS "rank",
                 CASE m."band" WHEN 'AT_RISK' THEN 0 WHEN 'NEEDS_ATTENTION' THEN 1 WHEN 'HEALTHY' THEN 2 END AS "pastRank"
          FROM "Customer" c
          LEFT JOIN LATERAL (
            SELECT s."band" FROM "ScoreSnapshot" s
            WHERE s."customerId" = c."id" AND s."computedAt" <= c."scoreComputedAt" - interval '30 days'
            ORDER BY s."computedAt" DESC LIMIT 1) m ON true
          WHERE c."workspaceId" = ${workspaceId}::uuid AND c."churnedAt" IS NULL)
        SELECT count(*)::int AS "customers",
               (SELECT count(*)::int FROM "Customer"
                WHERE "workspaceId" = ${workspaceId}::uuid AND "churnedAt" IS NOT NULL) AS "churned",
               count("score")::int AS "scored",
               avg("score")::float8 AS "average",
               count(*) FILTER (WHERE "band" = 'AT_RISK')::int AS "atRisk",
               count(*) FILTER (WHERE "band" = 'NEEDS_ATTENTION')::int AS "needsAttention",
               count(*) FILTER (WHERE "band" = 'HEALTHY')::int AS "healthy",
               count(*) FILTER (WHERE "scoreChange30d" > ${FLAT_THRESHOLD})::int AS "up",
               count(*) FILTER (WHERE "scoreChange30d" < ${-FLAT_THRESHOLD})::int AS "down",
               count(*) FILTER (WHERE abs("scoreChange30d") <= ${FLAT_THRESHOLD})::int AS "flat",
               count(*) FILTER (WHERE "scoreChange30d" IS NULL)::int AS "unknown",
               count(*) FILTER (WHERE "rank" <> "pastRank")::int AS "bandChanged",
               count(*) FILTER (WHERE "rank" > "pastRank")::int AS "bandImproved",
               count(*) FILTER (WHERE "rank" < "pastRank")::int AS "bandWorsened"
        FROM current`;
      return row!;
    },
  }),
);
