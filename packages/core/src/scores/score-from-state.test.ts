// Writes score formula-2 customers from the tally stored beside them (score-from-state.ts): the
// tally is built on the first write, carried from write to write (late interactions included), and
// the stored score stays what a recomputation from the whole history gives. Proof that the tally,
// not the history, is read: an interaction slipped into the table behind the writers' back is not
// counted until a bulk insert (which drops the tallies) makes the next write rebuild.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '@pulso/database';
import { openTestDatabase, type TestDatabase } from '@pulso/database/testing';
import { DAY_MS, scoreCustomer } from '@pulso/scoring';
import { currentModel } from '../model/current-model.ts';
import type { InteractionWrite } from '../recording/interaction-write.ts';
import { insertInteractions } from '../recording/bulk-insert.ts';
import { recordInteractions } from '../recording/record-interactions.ts';
import { createWorkspace } from '../workspaces/create-workspace.ts';
import { interactionsAt, loadCustomerInputs, scoringInputAt } from './scoring-inputs.ts';

const NOW = new Date('2026-06-01T12:00:00Z');
const at = (daysAgo: number, hours = 0) => new Date(NOW.getTime() - daysAgo * DAY_MS + hours * 3_600_000);

const write = (
  key: string,
  typeKey: string,
  occurredAt: Date,
  extra: Partial<InteractionWrite> = {},
): InteractionWrite => ({
  customer: { externalId: 'acme', name: 'Acme' },
  typeKey,
  occurredAt,
  idempotencyKey: key,
  ...extra,
});

describe.each(['pglite', 'postgres'] as const)('scoring from the stored tally on %s', (kind) => {
  let test: TestDatabase;
  let prisma: PrismaClient;
  beforeAll(async () => {
    test = await openTestDatabase(kind, 'score_from_state');
    prisma = test.database.prisma;
  });
  afterAll(() => test?.close());

  async function stored(workspaceId: string) {
    return prisma.customer.findFirstOrThrow({
      where: { workspaceId, externalId: 'acme' },
      select: { id: true, score: true, scoreComputedAt: true, scoringState: true, scoringStateModelVersion: true },
    });
  }

  /** The score a recomputation from every stored interaction gives, as of the stored score's instant. */
  async function recomputed(workspaceId: string) {
    const { id, scoreComputedAt } = await stored(workspaceId);
    const { compiled } = await currentModel(prisma, workspaceId);
    const [customer] = await loadCustomerInputs(prisma, workspaceId, [id], scoreComputedAt!);
    return scoreCustomer(
      compiled,
      scoringInputAt(customer!, scoreComputedAt!),
      interactionsAt(customer!, scoreComputedAt!),
      scoreComputedAt!,
    ).score;
  }

  it('carries the tally from write to write and keeps the score a recomputation gives', async () => {
    const { workspaceId } = await createWorkspace(prisma, { slug: 'carry', name: 'Carry' });
    const { version, compiled } = await currentModel(prisma, workspaceId);
    expect(compiled.formula).toBe(2);
    const writes: [InteractionWrite, Date][] = [
      [write('k1', 'email', at(60)), at(60, 1)],
      [write('k2', 'meeting', at(45), { sentiment: 'LIKED' }), at(45, 2)],
      [write('k3', 'product_session', at(30)), at(30, 1)],
      // Late: recorded a month after it happened, before what was recorded since.
      [write('k4', 'support_ticket', at(50), { sentiment: 'WASTED_TIME' }), at(20)],
      [write('k5', 'nps', at(10), { value: 9 }), at(10, 3)],
      [write('k6', 'renewal', at(2)), at(1)],
    ];
    for (const [w, when] of writes) {
      await recordInteractions(prisma, workspaceId, [w], { now: when });
      const row = await stored(workspaceId);
      expect(row.scoringStateModelVersion).toBe(version);
      expect((row.scoringState as { asOfMs: number }).asOfMs).toBe(when.getTime());
      expect(Math.abs(row.score! - (await recomputed(workspaceId)))).toBeLessThanOrEqual(0.1 + 1e-9);
    }
  });

  it('reads the tally, not the history; a bulk insert drops the tally and the next write rebuilds it', async () => {
    const { workspaceId } = await createWorkspace(prisma, { slug: 'tally-read', name: 'Tally read' });
    const { typeIds } = await currentModel(prisma, workspaceId);
    await recordInteractions(prisma, workspaceId, [write('a1', 'meeting', at(40), { sentiment: 'LIKED' })], {
      now: at(40),
    });
    const { id: customerId } = await stored(workspaceId);
    // Slipped in behind the writers' back: no code path of Pulso does this.
    await prisma.$executeRaw`
      INSERT INTO "Interaction" ("id", "workspaceId", "customerId", "typeId", "occurredAt", "intensity", "sentiment", "idempotencyKey")
      VALUES (${randomUUID()}::uuid, ${workspaceId}::uuid, ${customerId}::uuid, ${typeIds.get('support_ticket')!}::uuid,
        ${at(35)}, 1, 'WASTED_TIME'::"Sentiment", 'slipped')`;
    await recordInteractions(prisma, workspaceId, [write('a2', 'email', at(30))], { now: at(30) });
    const fromTally = (await stored(workspaceId)).score!;
    const fromHistory = await recomputed(workspaceId);
    expect(fromHistory).toBeLessThan(fromTally - 5); // the history counts the "wasted my time"; the tally never saw it

    await insertInteractions(prisma, [
      {
        workspaceId,
        customerId,
        typeId: typeIds.get('email')!,
        occurredAt: at(25),
        intensity: 1,
        sentiment: null,
        value: null,
        comment: null,
        journeyStage: null,
        source: null,
        idempotencyKey: 'bulk-1',
      },
    ]);
    expect((await stored(workspaceId)).scoringState).toBeNull();
    await recordInteractions(prisma, workspaceId, [write('a3', 'email', at(20))], { now: at(20) });
    const rebuilt = await stored(workspaceId);
    expect(rebuilt.scoringState).not.toBeNull();
    expect(Math.abs(rebuilt.score! - (await recomputed(workspaceId)))).toBeLessThanOrEqual(0.1 + 1e-9);
  });
});
