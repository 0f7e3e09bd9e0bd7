// A formula-2 rescoring "as of" an instant (the schedule's daily run, an on-demand one) moves each
// customer's stored tally forward instead of reading its history (rescore-chunk.ts), and its scores
// are those a recomputation from the whole history gives. Proof that the tally, not the history, is
// read: an interaction slipped into the table behind the writers' back is not counted by such a run;
// after a model change the run rebuilds every tally from the history, and then it is.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '@pulso/database';
import { openTestDatabase, type TestDatabase } from '@pulso/database/testing';
import { DAY_MS, scoreCustomer } from '@pulso/scoring';
import { applyModelChange } from '../model/apply-model-change.ts';
import { currentModel } from '../model/current-model.ts';
import type { InteractionWrite } from '../recording/interaction-write.ts';
import { recordInteractions } from '../recording/record-interactions.ts';
import { interactionsAt, loadCustomerInputs, scoringInputAt } from '../scores/scoring-inputs.ts';
import { createWorkspace } from '../workspaces/create-workspace.ts';
import { rescoreChunk } from './rescore-chunk.ts';
import { enqueueRescore } from './rescore-queue.ts';

const NOW = new Date('2026-06-01T12:00:00Z');
const at = (daysAgo: number) => new Date(NOW.getTime() - daysAgo * DAY_MS);

const TYPES = ['email', 'meeting', 'product_session', 'support_ticket', 'nps', 'renewal'] as const;

/** Customer `i`'s writes over the 110 days before NOW: a mix, rhythm and sentiment of its own; every third recorded ten days late. */
function historyOf(i: number): [InteractionWrite, Date][] {
  const count = 4 + i;
  const writes: [InteractionWrite, Date][] = [];
  for (let n = 0; n < count; n++) {
    const typeKey = TYPES[(i + n) % TYPES.length]!;
    const occurredAt = at(110 - (n * 100) / count);
    const recordedAt = n % 3 === 2 ? new Date(occurredAt.getTime() + 10 * DAY_MS) : occurredAt;
    writes.push([
      {
        customer: { externalId: `c${i}`, name: `Customer ${i}` },
        typeKey,
        occurredAt,
        idempotencyKey: `c${i}-${n}`,
        ...(typeKey === 'nps' ? { value: (i * 3 + n) % 11 } : {}),
        ...(typeKey === 'meeting' || typeKey === 'support_ticket'
          ? { sentiment: (['LIKED', 'INDIFFERENT', 'WASTED_TIME'] as const)[(i + n) % 3] }
          : {}),
      },
      recordedAt,
    ]);
  }
  return writes;
}

describe.each(['pglite', 'postgres'] as const)('a rescoring as of an instant on %s', (kind) => {
  let test: TestDatabase;
  let prisma: PrismaClient;
  beforeAll(async () => {
    test = await openTestDatabase(kind, 'rescore_from_state');
    prisma = test.database.prisma;
  });
  afterAll(() => test?.close());

  async function workspaceWithHistories(slug: string, customers: number): Promise<string> {
    const { workspaceId } = await createWorkspace(prisma, { slug, name: slug });
    const writes = Array.from({ length: customers }, (_, i) => historyOf(i))
      .flat()
      .sort((a, b) => a[1].getTime() - b[1].getTime());
    for (const [write, when] of writes) await recordInteractions(prisma, workspaceId, [write], { now: when });
    return workspaceId;
  }

  async function rescoreAsOf(workspaceId: string, asOf: Date): Promise<void> {
    let run: Awaited<ReturnType<typeof rescoreChunk>> = await enqueueRescore(prisma, {
      workspaceId,
      reason: 'test',
      asOf,
    });
    while (run) run = await rescoreChunk(prisma, run, 3);
  }

  /** Each customer's stored score, and the one a recomputation from every stored interaction gives. */
  async function storedAndRecomputed(workspaceId: string) {
    const { compiled } = await currentModel(prisma, workspaceId);
    const rows = await prisma.customer.findMany({
      where: { workspaceId },
      select: { id: true, externalId: true, score: true, scoreComputedAt: true, scoringState: true },
      orderBy: { externalId: 'asc' },
    });
    const inputs = new Map(
      (
        await loadCustomerInputs(
          prisma,
          workspaceId,
          rows.map((r) => r.id),
          NOW,
        )
      ).map((c) => [c.id, c]),
    );
    return rows.map((row) => {
      const customer = inputs.get(row.id)!;
      const fromHistory = scoreCustomer(
        compiled,
        scoringInputAt(customer, row.scoreComputedAt!),
        interactionsAt(customer, row.scoreComputedAt!),
        row.scoreComputedAt!,
      ).score;
      return { ...row, fromHistory };
    });
  }

  it('moves every stored tally forward and stores the scores a recomputation from the history gives', async () => {
    const workspaceId = await workspaceWithHistories('forward', 7);
    const { compiled } = await currentModel(prisma, workspaceId);
    expect(compiled.formula).toBe(2);
    await rescoreAsOf(workspaceId, NOW);
    const rows = await storedAndRecomputed(workspaceId);
    expect(rows).toHaveLength(7);
    for (const row of rows) {
      expect(row.scoreComputedAt).toEqual(NOW);
      expect((row.scoringState as { asOfMs: number }).asOfMs).toBe(NOW.getTime());
      // Scores are stored to a tenth: the two may round to neighbouring tenths.
      expect(Math.abs(row.score! - row.fromHistory), row.externalId).toBeLessThanOrEqual(0.1 + 1e-9);
    }
  });

  it('reads the tallies, not the histories, until a model change makes it rebuild them', async () => {
    const workspaceId = await workspaceWithHistories('tallies-read', 4);
    const { typeIds } = await currentModel(prisma, workspaceId);
    const { id: customerId } = await prisma.customer.findFirstOrThrow({ where: { workspaceId, externalId: 'c1' } });
    // Slipped in behind the writers' back (no code path of Pulso does this): two "wasted my time".
    for (const days of [20, 15])
      await prisma.$executeRaw`
        INSERT INTO "Interaction" ("id", "workspaceId", "customerId", "typeId", "occurredAt", "intensity", "sentiment", "idempotencyKey")
        VALUES (${randomUUID()}::uuid, ${workspaceId}::uuid, ${customerId}::uuid, ${typeIds.get('support_ticket')!}::uuid,
          ${at(days)}, 1, 'WASTED_TIME'::"Sentiment", ${`slipped-${days}`})`;

    await rescoreAsOf(workspaceId, at(5));
    const slipped = (await storedAndRecomputed(workspaceId)).find((r) => r.id === customerId)!;
    expect(slipped.scoreComputedAt).toEqual(at(5));
    expect(slipped.fromHistory).toBeLessThan(slipped.score! - 5); // the tally never saw them

    // Any model change moves every customer to a new model version, whose tallies the run rebuilds.
    await prisma.$transaction((tx) =>
      applyModelChange(tx, workspaceId, [{ kind: 'updateSettings', settings: { silenceWindowDays: 31 } }]),
    );
    await rescoreAsOf(workspaceId, NOW);
    for (const row of await storedAndRecomputed(workspaceId))
      expect(Math.abs(row.score! - row.fromHistory), row.externalId).toBeLessThanOrEqual(0.1 + 1e-9);
  });
});
