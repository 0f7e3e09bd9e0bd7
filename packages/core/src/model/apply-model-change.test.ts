// Writing a model change: one new version per change with its snapshot, and a change refused for
// what only the stored data shows (customers' own weights, recorded interactions) writes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, PrismaClient } from '@pulso/database';
import { openTestDatabase, type TestDatabase } from '@pulso/database/testing';
import { recordInteractions } from '../recording/record-interactions.ts';
import { createWorkspace } from '../workspaces/create-workspace.ts';
import { applyModelChange } from './apply-model-change.ts';
import { loadScoringModel } from './load-scoring-model.ts';
import { ModelChangeError } from './model-change-error.ts';
import type { ModelOperation } from './model-operations.ts';

/** Applies a change in its own transaction, as the API does. */
function apply(prisma: PrismaClient, workspaceId: string, operations: ModelOperation[], note?: string) {
  return prisma.$transaction((tx) => applyModelChange(tx, workspaceId, operations, note));
}

async function refusal(promise: Promise<unknown>): Promise<Pick<ModelChangeError, 'field' | 'code'>> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ModelChangeError);
  const { field, code } = error as ModelChangeError;
  return { field, code };
}

describe.each(['pglite', 'postgres'] as const)('applying a model change on %s', (kind) => {
  let test: TestDatabase;
  let database: Database;
  beforeAll(async () => {
    test = await openTestDatabase(kind, 'apply_model_change');
    database = test.database;
  });
  afterAll(() => test?.close());

  it('writes the change under a new version with a snapshot of the model, noted with what it did', async () => {
    const prisma = database.prisma;
    const { workspaceId } = await createWorkspace(prisma, { slug: 'apply', name: 'Apply' });
    const applied = await apply(prisma, workspaceId, [
      { kind: 'createCategory', key: 'community', name: 'Community', weight: 10 },
      { kind: 'createInteractionType', key: 'forum_post', name: 'Forum', categoryKey: 'community', basePoints: 2 },
      { kind: 'setSegmentWeight', segment: 'smb', categoryKey: 'community', weight: 25 },
    ]);
    expect(applied).toEqual({
      version: 2,
      scope: null,
      changed: true,
      note: 'createCategory community; createInteractionType forum_post; setSegmentWeight community',
    });
    const model = await loadScoringModel(prisma, workspaceId);
    expect(model.version).toBe(2);
    expect(model.categories.find((c) => c.key === 'community')).toMatchObject({ weight: 10 });
    expect(model.interactionTypes.find((t) => t.key === 'forum_post')).toMatchObject({ categoryKey: 'community' });
    expect(model.segmentWeights).toEqual({ smb: { community: 25 } });
    const snapshot = await prisma.scoringModelVersion.findFirstOrThrow({ where: { workspaceId, version: 2 } });
    expect(snapshot.note).toBe(
      'createCategory community; createInteractionType forum_post; setSegmentWeight community',
    );

    const named = await apply(
      prisma,
      workspaceId,
      [{ kind: 'updateCategory', key: 'community', name: 'Forum' }],
      'rename',
    );
    expect(named).toEqual({ version: 3, scope: { segments: [], customerIds: [] }, changed: true, note: 'rename' });
    expect((await prisma.scoringModelVersion.findFirstOrThrow({ where: { workspaceId, version: 3 } })).note).toBe(
      'rename',
    );
  });

  it('writes nothing and creates no version for a change that changes nothing', async () => {
    const prisma = database.prisma;
    const { workspaceId } = await createWorkspace(prisma, { slug: 'unchanged', name: 'Unchanged' });
    const customer = await prisma.customer.create({ data: { workspaceId, externalId: 'u', name: 'U' } });
    await apply(prisma, workspaceId, [
      { kind: 'updateCategory', key: 'support', description: 'Tickets' },
      { kind: 'setSegmentWeight', segment: 'smb', categoryKey: 'support', weight: 30 },
      { kind: 'setCustomerWeight', customerId: customer.id, categoryKey: 'support', weight: 60 },
    ]);
    const { version, ...model } = await loadScoringModel(prisma, workspaceId);
    expect(version).toBe(2);
    const support = model.categories.find((c) => c.key === 'support')!;
    const email = model.interactionTypes.find((t) => t.key === 'email')!;
    const unchanged = { version: 2, scope: { segments: [], customerIds: [] }, changed: false, note: null };
    // No field given, or only the values in force.
    for (const operations of [
      [{ kind: 'updateSettings', settings: {} }],
      [{ kind: 'updateCategory', key: 'support' }],
      [{ kind: 'updateSettings', settings: { ...model.settings } }],
      [
        { kind: 'updateCategory', key: 'support', name: support.name, weight: support.weight, description: 'Tickets' },
        { kind: 'updateInteractionType', key: 'email', basePoints: email.basePoints },
        { kind: 'setSegmentWeight', segment: 'smb', categoryKey: 'support', weight: 30 },
        { kind: 'setSegmentWeight', segment: 'enterprise', categoryKey: 'support', weight: null },
        { kind: 'setCustomerWeight', customerId: customer.id, categoryKey: 'support', weight: 60 },
      ],
    ] as ModelOperation[][]) {
      expect(await apply(prisma, workspaceId, operations, 'nothing'), JSON.stringify(operations)).toEqual(unchanged);
    }
    expect(await prisma.scoringModelVersion.count({ where: { workspaceId } })).toBe(2);
    expect((await prisma.workspace.findUniqueOrThrow({ where: { id: workspaceId } })).scoringModelVersion).toBe(2);
    // Validated all the same; and a value that differs, even only a description or a customer's weight, is a change.
    expect(
      await refusal(apply(prisma, workspaceId, [{ kind: 'updateSettings', settings: { silenceWindowDays: -1 } }])),
    ).toEqual({ field: 'settings.silenceWindowDays', code: 'OUT_OF_RANGE' });
    expect(
      (await apply(prisma, workspaceId, [{ kind: 'updateCategory', key: 'support', description: 'Help desk' }]))
        .version,
    ).toBe(3);
    expect(
      (
        await apply(prisma, workspaceId, [
          { kind: 'setCustomerWeight', customerId: customer.id, categoryKey: 'support', weight: null },
        ])
      ).version,
    ).toBe(4);
  });

  it('refuses a change the stored data cannot take and rolls back all of it, version included', async () => {
    const prisma = database.prisma;
    const { workspaceId } = await createWorkspace(prisma, { slug: 'refuse', name: 'Refuse' });
    await recordInteractions(prisma, workspaceId, [
      { customer: { externalId: 'a', name: 'A' }, typeKey: 'support_ticket', idempotencyKey: 'k1' },
    ]);
    const customer = await prisma.customer.findFirstOrThrow({ where: { workspaceId } });

    // The first operation is fine on its own; the second finds interactions recorded under its type.
    const deleting = await refusal(
      apply(prisma, workspaceId, [
        { kind: 'updateCategory', key: 'support', weight: 50 },
        { kind: 'deleteInteractionType', key: 'support_ticket' },
      ]),
    );
    expect(deleting).toEqual({ field: 'interactionTypes.support_ticket.key', code: 'IN_USE' });
    // A type becoming an answer would leave the recorded ticket (no value) unscorable.
    const answering = await refusal(
      apply(prisma, workspaceId, [
        { kind: 'updateInteractionType', key: 'support_ticket', sentimentHandling: 'FROM_VALUE', valueScale: 'CSAT' },
      ]),
    );
    expect(answering).toEqual({ field: 'interactionTypes.support_ticket.sentimentHandling', code: 'IN_USE' });
    // Customers' own weights: an unknown customer, and one left with no weight at all.
    expect(
      await refusal(
        apply(prisma, workspaceId, [
          {
            kind: 'setCustomerWeight',
            customerId: '00000000-0000-4000-8000-000000000000',
            categoryKey: 'support',
            weight: 1,
          },
        ]),
      ),
    ).toEqual({ field: 'customerWeights.customer', code: 'NOT_FOUND' });
    const model = await loadScoringModel(prisma, workspaceId);
    const zeroes = model.categories.map(
      (c): ModelOperation => ({ kind: 'setCustomerWeight', customerId: customer.id, categoryKey: c.key, weight: 0 }),
    );
    expect(await refusal(apply(prisma, workspaceId, zeroes))).toMatchObject({ field: 'customerWeights.a' });

    const after = await loadScoringModel(prisma, workspaceId);
    expect(after.version).toBe(1);
    expect(after.categories.find((c) => c.key === 'support')?.weight).toBe(15);
    expect(await prisma.customerWeight.count({ where: { customerId: customer.id } })).toBe(0);
    expect(await prisma.scoringModelVersion.count({ where: { workspaceId } })).toBe(1);
  });

  it('scopes a weight override to its customer and writes it; a null weight removes it', async () => {
    const prisma = database.prisma;
    const { workspaceId } = await createWorkspace(prisma, { slug: 'override', name: 'Override' });
    const customer = await prisma.customer.create({ data: { workspaceId, externalId: 'b', name: 'B' } });
    const set = await apply(prisma, workspaceId, [
      { kind: 'setCustomerWeight', customerId: customer.id, categoryKey: 'support', weight: 60 },
    ]);
    expect(set.scope).toEqual({ segments: [], customerIds: [customer.id] });
    expect(await prisma.customerWeight.findMany({ where: { customerId: customer.id } })).toMatchObject([
      { weight: 60 },
    ]);
    await apply(prisma, workspaceId, [
      { kind: 'setCustomerWeight', customerId: customer.id, categoryKey: 'support', weight: null },
    ]);
    expect(await prisma.customerWeight.count({ where: { customerId: customer.id } })).toBe(0);
  });
});
