// Writing a model change: validated as a proposal first (propose-model.ts), then each operation
// written to the model tables under a new model version, in the caller's transaction. What only
// the stored data can tell is checked here: customers' own weights, and interactions already
// recorded under a type that would no longer score them. A change that changes nothing writes
// nothing: a version, and the full rescoring a settings change queues, would be noise.
import type { Prisma } from '@pulso/database';
import { workspaceKey } from '@pulso/database';
import { VALUE_SCALES, type ScoringModel } from '@pulso/scoring';
import type { Tx } from '../transaction.ts';
import { categoryNamesRecord } from './category-names.ts';
import { loadScoringModel, snapshotScoringModel } from './load-scoring-model.ts';
import { ModelChangeError } from './model-change-error.ts';
import { describeOperations, type ModelOperation, type OperationOf } from './model-operations.ts';
import { checkCustomerWeights, proposeModel, type ProposedModel } from './propose-model.ts';

export interface AppliedModelChange {
  /** The new version; the current one when the change changed nothing. */
  version: number;
  scope: ProposedModel['scope'];
  /** False when every operation set what was already in force: no version was created, nothing written. */
  changed: boolean;
  /** The note the new version records: the one given, else a description of the change; null when it changed nothing. */
  note: string | null;
}

/**
 * Validates and writes a change under a new model version, in one transaction. The rescoring of
 * the affected customers is left to the caller (see rescoring/rescore-queue.ts: enqueueRescore).
 * A valid change that changes nothing (no field given, or only the values in force) writes nothing
 * and creates no version: it answers the current one with `changed: false`.
 */
export async function applyModelChange(
  tx: Tx,
  workspaceId: string,
  operations: readonly ModelOperation[],
  note?: string | null,
): Promise<AppliedModelChange> {
  // Serialises concurrent changes of one workspace: the workspace row is locked before the model is
  // read. NO KEY UPDATE, not UPDATE: it excludes another change alike, but not the rows other writes
  // add that reference the workspace (a score snapshot, an interaction, a customer), which take KEY
  // SHARE on it. FOR UPDATE made them wait for the change, while the change waited for a customer
  // they held (its weight references the customer): a deadlock (concurrent-model-change.test.ts).
  await tx.$queryRaw`SELECT 1 FROM "Workspace" WHERE "id" = ${workspaceId}::uuid FOR NO KEY UPDATE`;
  const { version, ...current } = await loadScoringModel(tx, workspaceId);
  const proposed = proposeModel(current, operations);
  await checkCustomers(tx, workspaceId, proposed);
  if (await changesNothing(tx, workspaceId, current, proposed.model, operations))
    return { version, scope: { segments: [], customerIds: [] }, changed: false, note: null };
  const bumped = await tx.workspace.update({
    where: { id: workspaceId },
    data: { scoringModelVersion: { increment: 1 } },
    select: { scoringModelVersion: true },
  });
  await writeOperations(tx, workspaceId, operations);
  const recorded = note ?? describeOperations(operations);
  await snapshotScoringModel(tx, workspaceId, bumped.scoringModelVersion, recorded);
  return { version: bumped.scoringModelVersion, scope: proposed.scope, changed: true, note: recorded };
}

/**
 * Whether the operations leave the model as it is: only updates, to the values in force. The
 * proposed model shows most of it; what it does not hold (category descriptions, customers' own
 * weights) is read.
 */
async function changesNothing(
  tx: Tx,
  workspaceId: string,
  current: ScoringModel,
  proposed: ScoringModel,
  operations: readonly ModelOperation[],
): Promise<boolean> {
  if (operations.some((op) => op.kind.startsWith('create') || op.kind.startsWith('delete'))) return false;
  if (canonical(current) !== canonical(proposed)) return false;
  for (const op of operations) {
    if (op.kind === 'updateCategory' && (op.description !== undefined || op.names !== undefined)) {
      const row = await tx.category.findUniqueOrThrow({
        where: { workspaceId_key: { workspaceId, key: op.key } },
        select: { description: true, names: true },
      });
      if (op.description !== undefined && row.description !== (op.description ?? null)) return false;
      if (op.names !== undefined && canonical(row.names) !== canonical(categoryNamesRecord(op.names))) return false;
    }
    if (op.kind === 'setCustomerWeight') {
      const row = await tx.customerWeight.findFirst({
        where: { workspaceId, customerId: op.customerId, category: { key: op.categoryKey } },
        select: { weight: true },
      });
      if ((row?.weight ?? null) !== op.weight) return false;
    }
  }
  return true;
}

/** JSON with every object's keys sorted: equal for equal models, whatever order keys were set in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

async function checkCustomers(tx: Tx, workspaceId: string, proposed: ProposedModel) {
  const ids = [...proposed.customerWeights.keys()];
  if (ids.length === 0) return;
  const customers = await tx.customer.findMany({
    where: { workspaceId, id: { in: ids } },
    select: {
      id: true,
      externalId: true,
      segment: true,
      weights: { select: { weight: true, category: { select: { key: true } } } },
    },
  });
  const missing = ids.find((id) => !customers.some((c) => c.id === id));
  if (missing)
    throw new ModelChangeError('customerWeights.customer', 'NOT_FOUND', `no customer ${missing} in this workspace`);
  checkCustomerWeights(
    proposed,
    customers.map((c) => ({ ...c, weights: Object.fromEntries(c.weights.map((w) => [w.category.key, w.weight])) })),
  );
}

async function categoryId(tx: Tx, workspaceId: string, key: string): Promise<string> {
  const row = await tx.category.findUniqueOrThrow({
    where: { workspaceId_key: { workspaceId, key } },
    select: { id: true },
  });
  return row.id;
}

/** Writes each operation to the model tables, in order (one may refer to what an earlier one created). */
async function writeOperations(tx: Tx, workspaceId: string, operations: readonly ModelOperation[]) {
  for (const op of operations) {
    switch (op.kind) {
      case 'createCategory':
        await tx.category.create({
          data: {
            workspaceId,
            key: op.key,
            name: op.name,
            description: op.description ?? null,
            weight: op.weight,
            isEngagement: op.isEngagement ?? false,
            measuresActivity: op.measuresActivity ?? false,
            names: categoryNamesRecord(op.names ?? []),
          },
        });
        break;
      case 'updateCategory':
        await tx.category.update({
          where: { workspaceId_key: { workspaceId, key: op.key } },
          data: {
            name: op.name,
            description: op.description,
            weight: op.weight,
            isEngagement: op.isEngagement,
            measuresActivity: op.measuresActivity,
            names: op.names && categoryNamesRecord(op.names),
          },
        });
        break;
      case 'deleteCategory':
        await tx.category.delete({ where: { workspaceId_key: { workspaceId, key: op.key } } });
        break;
      case 'createInteractionType':
        await createInteractionType(tx, workspaceId, op);
        break;
      case 'updateInteractionType':
        await updateInteractionType(tx, workspaceId, op);
        break;
      case 'deleteInteractionType':
        await deleteInteractionType(tx, workspaceId, op);
        break;
      case 'setSegmentWeight':
        await setSegmentWeight(tx, workspaceId, op);
        break;
      case 'setCustomerWeight':
        await setCustomerWeight(tx, workspaceId, op);
        break;
      case 'updateSettings':
        await updateSettings(tx, workspaceId, op);
        break;
    }
  }
}

async function createInteractionType(tx: Tx, workspaceId: string, op: OperationOf<'createInteractionType'>) {
  await tx.interactionType.create({
    data: {
      workspaceId,
      key: op.key,
      name: op.name,
      categoryId: await categoryId(tx, workspaceId, op.categoryKey),
      basePoints: op.basePoints,
      sentimentHandling: op.sentimentHandling ?? 'SIGNED',
      valueScale: op.valueScale ?? null,
      requiresEngagement: op.requiresEngagement ?? false,
    },
  });
}

async function updateInteractionType(tx: Tx, workspaceId: string, op: OperationOf<'updateInteractionType'>) {
  await checkStoredAnswers(tx, workspaceId, op);
  await tx.interactionType.update({
    where: { workspaceId_key: { workspaceId, key: op.key } },
    data: {
      name: op.name,
      categoryId: op.categoryKey === undefined ? undefined : await categoryId(tx, workspaceId, op.categoryKey),
      basePoints: op.basePoints,
      sentimentHandling: op.sentimentHandling,
      valueScale: op.valueScale,
      requiresEngagement: op.requiresEngagement,
    },
  });
}

/** Refused while interactions of the type are stored: they could no longer be scored. */
async function deleteInteractionType(tx: Tx, workspaceId: string, op: OperationOf<'deleteInteractionType'>) {
  const row = await tx.interactionType.findUniqueOrThrow({
    where: { workspaceId_key: { workspaceId, key: op.key } },
    select: { id: true, _count: { select: { interactions: true } } },
  });
  if (row._count.interactions > 0) {
    throw new ModelChangeError(
      `interactionTypes.${op.key}.key`,
      'IN_USE',
      `${row._count.interactions} recorded interactions use "${op.key}": it cannot be deleted`,
    );
  }
  await tx.interactionType.delete({ where: workspaceKey(workspaceId, row.id) });
}

async function setSegmentWeight(tx: Tx, workspaceId: string, op: OperationOf<'setSegmentWeight'>) {
  const id = await categoryId(tx, workspaceId, op.categoryKey);
  if (op.weight === null) {
    await tx.segmentWeight.deleteMany({ where: { workspaceId, segment: op.segment, categoryId: id } });
    return;
  }
  await tx.segmentWeight.upsert({
    where: { workspaceId_segment_categoryId: { workspaceId, segment: op.segment, categoryId: id } },
    create: { workspaceId, segment: op.segment, categoryId: id, weight: op.weight },
    update: { weight: op.weight },
  });
}

async function setCustomerWeight(tx: Tx, workspaceId: string, op: OperationOf<'setCustomerWeight'>) {
  const id = await categoryId(tx, workspaceId, op.categoryKey);
  // The weight replaced, kept so that past instants are scored with it (scoring-inputs.ts weightsAt).
  const previous = await tx.customerWeight.findUnique({
    where: { workspaceId_customerId_categoryId: { workspaceId, customerId: op.customerId, categoryId: id } },
    select: { weight: true },
  });
  if ((previous?.weight ?? null) !== op.weight)
    await tx.customerWeightChange.create({
      data: {
        workspaceId,
        customerId: op.customerId,
        categoryKey: op.categoryKey,
        previousWeight: previous?.weight ?? null,
        // The server's clock, as the scores computed after it read theirs (not the database's).
        changedAt: new Date(),
      },
    });
  if (op.weight === null) {
    await tx.customerWeight.deleteMany({ where: { workspaceId, customerId: op.customerId, categoryId: id } });
    return;
  }
  await tx.customerWeight.upsert({
    where: { workspaceId_customerId_categoryId: { workspaceId, customerId: op.customerId, categoryId: id } },
    create: { workspaceId, customerId: op.customerId, categoryId: id, weight: op.weight },
    update: { weight: op.weight },
  });
}

async function updateSettings(tx: Tx, workspaceId: string, op: OperationOf<'updateSettings'>) {
  const data: Prisma.WorkspaceUpdateInput = {};
  // The engine's `formula` is the workspace's `scoringFormula` column; the others share names.
  for (const [key, value] of Object.entries(op.settings))
    if (value !== undefined && value !== null)
      (data as Record<string, unknown>)[key === 'formula' ? 'scoringFormula' : key] = value;
  await tx.workspace.update({ where: { id: workspaceId }, data });
}

/**
 * A type that becomes an answer (scored from its value) or changes its scale must still be able
 * to score what was recorded under it: an interaction with no value, or one off the new scale,
 * would fail every rescoring of its customer. Such a change is refused, naming how many.
 */
async function checkStoredAnswers(tx: Tx, workspaceId: string, op: OperationOf<'updateInteractionType'>) {
  if (op.sentimentHandling === undefined && op.valueScale === undefined) return;
  const row = await tx.interactionType.findUniqueOrThrow({
    where: { workspaceId_key: { workspaceId, key: op.key } },
    select: { id: true, sentimentHandling: true, valueScale: true },
  });
  const handling = op.sentimentHandling ?? row.sentimentHandling;
  const scaleName = op.valueScale !== undefined ? op.valueScale : row.valueScale;
  if (handling !== 'FROM_VALUE' || !scaleName) return;
  const scale = VALUE_SCALES[scaleName];
  const [counted] = await tx.$queryRaw<{ count: number }[]>`
    SELECT count(*)::int AS "count" FROM "Interaction"
    WHERE "typeId" = ${row.id}::uuid AND ("value" IS NULL OR "value" < ${scale.min} OR "value" > ${scale.max} OR "value" <> round("value"))`;
  const count = counted?.count ?? 0;
  if (count > 0) {
    throw new ModelChangeError(
      `interactionTypes.${op.key}.${op.sentimentHandling !== undefined ? 'sentimentHandling' : 'valueScale'}`,
      'IN_USE',
      `${count} recorded "${op.key}" interactions have no value or one that is not a whole number from ${scale.min} to ${scale.max}: they could no longer be scored`,
    );
  }
}
