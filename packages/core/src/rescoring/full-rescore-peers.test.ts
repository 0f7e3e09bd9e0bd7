// Formula 2 compares each customer's activity with its segment's peers, cached per workspace for a
// few minutes (peers/peer-groups.ts). A full rescoring reads them afresh: customers added or moved
// to a segment since the cache was filled were missing from it, and the rescoring asked for to
// take them in compared them with nobody (peerPercentile null) until the cache expired.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '@pulso/database';
import { openTestDatabase, type TestDatabase } from '@pulso/database/testing';
import { DAY_MS } from '@pulso/scoring';
import { upgradeToModelV2 } from '../model/upgrade-to-v2.ts';
import { primePeerGroups } from '../peers/peer-groups.ts';
import type { InteractionWrite } from '../recording/interaction-write.ts';
import { recordInteractions } from '../recording/record-interactions.ts';
import { createWorkspace } from '../workspaces/create-workspace.ts';
import { rescoreChunk } from './rescore-chunk.ts';
import { enqueueRescore } from './rescore-queue.ts';

describe('a full rescoring under formula 2', () => {
  let test: TestDatabase;
  let prisma: PrismaClient;
  beforeAll(async () => {
    test = await openTestDatabase('pglite', 'full_rescore_peers');
    prisma = test.database.prisma;
  });
  afterAll(() => test?.close());

  it('compares customers with peers read afresh, not the ones cached before they were scored', async () => {
    const { workspaceId } = await createWorkspace(prisma, { slug: 'peers', name: 'Peers' });
    await upgradeToModelV2(prisma, workspaceId);
    const now = Date.now();
    const writes: InteractionWrite[] = [];
    for (let i = 0; i < 30; i++)
      for (let n = 0; n < 4 + (i % 5); n++)
        writes.push({
          customer: { externalId: `bulk-${i}`, name: `Bulk ${i}` },
          typeKey: 'product_session',
          occurredAt: new Date(now - (1 + n * 3) * DAY_MS),
          idempotencyKey: `bulk-${i}-${n}`,
        });
    await recordInteractions(prisma, workspaceId, writes);
    // Peers cached before these customers were scored: nobody.
    primePeerGroups(workspaceId, { all: new Map(), bySegment: new Map() });

    let run = await enqueueRescore(prisma, { workspaceId, reason: 'on demand' });
    for (let next = await rescoreChunk(prisma, run, 500); next; next = await rescoreChunk(prisma, run, 500)) run = next;

    const customer = await prisma.customer.findFirstOrThrow({ where: { workspaceId, externalId: 'bulk-3' } });
    const categories = (customer.scoreBreakdown as { categories: { activity?: { peerPercentile: number | null } }[] })
      .categories;
    const percentiles = categories.flatMap((category) => (category.activity ? [category.activity.peerPercentile] : []));
    expect(percentiles.some((percentile) => percentile !== null)).toBe(true);
  });
});
