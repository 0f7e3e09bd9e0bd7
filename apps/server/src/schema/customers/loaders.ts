// Per-request batch loaders for what a nested Prisma select cannot express: "the latest snapshot
// at or before each customer's own instant" and the workspace-wide weights. A page of customers
// then costs one statement per loader, whatever its size. Loaders live as long as the request's
// context, so nothing leaks from one caller to another.
import { createContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import { callerOf, type Context } from '../../context.ts';

export interface TrendPoints {
  /** The latest snapshot at or before the current score's instant minus 7 days. */
  week: { at: Date; score: number } | null;
  /** Likewise, 30 days back. */
  month: { at: Date; score: number } | null;
}

interface TrendRow {
  customerId: string;
  weekAt: Date | null;
  weekScore: number | null;
  monthAt: Date | null;
  monthScore: number | null;
}

/** Keyed by customer id; customers of other workspaces than the caller's load as empty. */
export const trendPointsLoader = createContextCache(
  (ctx: Context) =>
    new DataLoader<string, TrendPoints>(async (ids) => {
      const { workspaceId } = callerOf(ctx);
      // Two index lookups per customer on ScoreSnapshot(customerId, computedAt DESC).
      const rows = await ctx.prisma.$queryRaw<TrendRow[]>`
        SELECT c."id"::text AS "customerId",
               w."computedAt" AS "weekAt", w."score" AS "weekScore",
               m."computedAt" AS "monthAt", m."score" AS "monthScore"
        FROM "Customer" c
        LEFT JOIN LATERAL (
          SELECT s."computedAt", s."score" FROM "ScoreSnapshot" s
          WHERE s."customerId" = c."id" AND s."computedAt" <= c."scoreComputedAt" - interval '7 days'
          ORDER BY s."computedAt" DESC LIMIT 1) w ON true
        LEFT JOIN LATERAL (
          SELECT s."computedAt", s."score" FROM "ScoreSnapshot" s
          WHERE s."customerId" = c."id" AND s."computedAt" <= c."scoreComputedAt" - interval '30 days'
          ORDER BY s."computedAt" DESC LIMIT 1) m ON true
        WHERE c."id" = ANY(${[...ids]}::uuid[]) AND c."workspaceId" = ${workspaceId}::uuid`;
      const byId = new Map(rows.map((r) => [r.customerId, r]));
      return ids.map((id) => {
        const row = byId.get(id);
        return {
          week: row?.weekAt && row.weekScore != null ? { at: new Date(row.weekAt), score: row.weekScore } : null,
          month: row?.monthAt && row.monthScore != null ? { at: new Date(row.monthAt), score: row.monthScore } : null,
        };
      });
    }),
);

export interface WorkspaceWeights {
  categories: { id: string; key: string; name: string; weight: number; isEngagement: boolean }[];
  /** segment → category id → weight. */
  segments: Map<string, Map<string, number>>;
}

/** Keyed by workspace id (always the caller's): the categories and segment weights. */
export const workspaceWeightsLoader = createContextCache(
  (ctx: Context) =>
    new DataLoader<string, WorkspaceWeights>(async (workspaceIds) =>
      Promise.all(
        workspaceIds.map(async (workspaceId) => {
          const [categories, segmentWeights] = await Promise.all([
            ctx.prisma.category.findMany({
              where: { workspaceId },
              select: { id: true, key: true, name: true, weight: true, isEngagement: true },
              orderBy: { key: 'asc' },
            }),
            ctx.prisma.segmentWeight.findMany({
              where: { workspaceId },
              select: { segment: true, categoryId: true, weight: true },
            }),
          ]);
          const segments = new Map<string, Map<string, number>>();
          for (const row of segmentWeights) {
            let weights = segments.get(row.segment);
            if (!weights) segments.set(row.segment, (weights = new Map()));
            weights.set(row.categoryId, row.weight);
          }
          return { categories, segments };
        }),
      ),
    ),
);
