// Writes the demo workspace: the generated customers and interactions, the segment weights, and
// scores with a weekly history so trends show from the first start. Runs once, on an empty database.
import type { Prisma, PrismaClient } from '@pulso/database';
import { createWorkspace, insertInteractions, MAX_BATCH, recordOutcomes, rescoreWorkspace } from '@pulso/core';
import { generateDemoData } from './generate.ts';
import { DAY_MS } from '@pulso/scoring';

export const DEMO_WORKSPACE_SLUG = 'demo';
/**
 * The slug the demo carries while it is being written. Seeding takes seconds and is not one
 * transaction; the workspace takes its real slug in one update at the end, so a process killed
 * halfway leaves a workspace that is recognisably unfinished rather than a half-filled demo.
 */
export const DEMO_SEEDING_SLUG = 'demo-seeding';

/** Removes a demo left unfinished by a process that died while seeding; true when there was one. */
export async function discardUnfinishedDemo(prisma: PrismaClient): Promise<boolean> {
  const { count } = await prisma.workspace.deleteMany({ where: { slug: DEMO_SEEDING_SLUG } });
  return count > 0;
}

export interface SeedDemoOptions {
  now: Date;
  secretKey?: string;
  publishableKey?: string;
  /** Origins the demo publishable key accepts (empty: any). */
  allowedOrigins?: string[];
  seed?: number;
  customers?: number;
  /** Record the generated outcomes (default true); tests of rescoring mechanics leave them out. */
  outcomes?: boolean;
  onProgress?: (step: string) => void;
}

export interface SeededDemo {
  workspaceId: string;
  secretKey: string;
  publishableKey: string;
  customers: number;
  interactions: number;
  snapshots: number;
}

const HISTORY_WEEKS = 26;

export async function seedDemoWorkspace(prisma: PrismaClient, options: SeedDemoOptions): Promise<SeededDemo> {
  const progress = options.onProgress ?? (() => {});
  const data = generateDemoData({ now: options.now, seed: options.seed, customers: options.customers });
  progress(`generated ${data.customers.length} customers and ${data.interactions.length} interactions`);

  await discardUnfinishedDemo(prisma);
  const created = await createWorkspace(prisma, {
    slug: DEMO_SEEDING_SLUG,
    name: 'Demo',
    secretKey: options.secretKey,
    publishableKey: options.publishableKey,
    allowedOrigins: options.allowedOrigins,
  });
  const { workspaceId } = created;

  const categories = await prisma.category.findMany({ where: { workspaceId }, select: { id: true, key: true } });
  const categoryIds = new Map(categories.map((c) => [c.key, c.id]));
  await prisma.segmentWeight.createMany({
    data: data.segmentWeights.map((w) => ({
      workspaceId,
      segment: w.segment,
      categoryId: categoryIds.get(w.categoryKey)!,
      weight: w.weight,
    })),
  });

  await prisma.customer.createMany({
    data: data.customers.map((c) => ({
      workspaceId,
      externalId: c.externalId,
      name: c.name,
      segment: c.segment,
      properties: { ...c.properties, persona: c.persona } as Prisma.InputJsonValue,
    })),
  });
  const customers = await prisma.customer.findMany({ where: { workspaceId }, select: { id: true, externalId: true } });
  const customerIds = new Map(customers.map((c) => [c.externalId, c.id]));
  const types = await prisma.interactionType.findMany({ where: { workspaceId }, select: { id: true, key: true } });
  const typeIds = new Map(types.map((t) => [t.key, t.id]));

  await insertInteractions(
    prisma,
    data.interactions.map((i) => {
      const typeId = typeIds.get(i.typeKey);
      if (!typeId) throw new Error(`the demo generator used an interaction type the catalogue lacks: ${i.typeKey}`);
      return {
        workspaceId,
        customerId: customerIds.get(i.customerExternalId)!,
        typeId,
        occurredAt: i.occurredAt,
        intensity: i.intensity,
        sentiment: i.sentiment,
        value: i.value,
        comment: i.comment,
        journeyStage: i.journeyStage,
        source: i.source,
        idempotencyKey: i.idempotencyKey,
      };
    }),
  );
  progress(`stored ${data.interactions.length} interactions`);
  // Recorded as a company would (churns take customers out of the at-risk list), in batches the
  // API's limit allows.
  const outcomes = options.outcomes === false ? [] : data.outcomes;
  for (let start = 0; start < outcomes.length; start += MAX_BATCH)
    await recordOutcomes(
      prisma,
      workspaceId,
      outcomes.slice(start, start + MAX_BATCH).map((o) => ({
        customer: { externalId: o.customerExternalId },
        kind: o.kind,
        occurredAt: o.occurredAt,
        reason: o.reason,
        voluntary: o.voluntary,
        source: 'demo',
        idempotencyKey: o.idempotencyKey,
      })),
      { now: options.now },
    );
  progress(`recorded ${outcomes.length} outcomes (churns, renewals, downgrades)`);

  const week = 7 * DAY_MS;
  const historyAt = Array.from(
    { length: HISTORY_WEEKS },
    (_, k) => new Date(options.now.getTime() - (HISTORY_WEEKS - k) * week),
  );
  const summary = await rescoreWorkspace(prisma, workspaceId, { asOf: options.now, historyAt });
  progress(`scored ${summary.customers} customers with ${summary.snapshots} snapshots of history`);
  await prisma.workspace.update({ where: { id: workspaceId }, data: { slug: DEMO_WORKSPACE_SLUG } });

  return {
    workspaceId,
    secretKey: created.secretKey.key,
    publishableKey: created.publishableKey.key,
    customers: data.customers.length,
    interactions: data.interactions.length,
    snapshots: summary.snapshots,
  };
}
