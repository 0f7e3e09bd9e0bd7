// Changes to a workspace's scoring model, as a list of operations that can be previewed (applied
// to the model in memory: what-if) or applied (written, under a new model version, with a
// rescoring of the customers they affect). Either way the resulting model must compile: the
// engine's own validation is the last word, and its errors are translated to name the field by
// the keys the caller used rather than by array positions.
import type { Prisma } from '@pulso/database';
import {
  compileModel,
  scoreCustomer,
  ScoringInputError,
  VALUE_SCALES,
  type CategoryDefinition,
  type CompiledModel,
  type InteractionTypeDefinition,
  type ScoringModel,
  type ScoringSettings,
  type SentimentHandling,
  type ValueScale,
} from '@pulso/scoring';
import { loadScoringModel, snapshotScoringModel } from './load-scoring-model.ts';
import type { Tx } from '../transaction.ts';

export type ModelChangeErrorCode =
  | ScoringInputError['code']
  | 'THRESHOLDS_OUT_OF_ORDER'
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'IN_USE'
  | 'EMPTY_CHANGE';

/** A change the model cannot take: names the field (`categories.support.weight`) and the problem. */
export class ModelChangeError extends Error {
  override readonly name = 'ModelChangeError';
  constructor(
    readonly field: string,
    readonly code: ModelChangeErrorCode,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

export interface CategoryFields {
  name?: string;
  description?: string | null;
  weight?: number;
  isEngagement?: boolean;
}

export interface InteractionTypeFields {
  name?: string;
  categoryKey?: string;
  basePoints?: number;
  sentimentHandling?: SentimentHandling;
  valueScale?: ValueScale | null;
  requiresEngagement?: boolean;
}

export type ModelOperation =
  | ({ kind: 'createCategory'; key: string; name: string; weight: number } & CategoryFields)
  | ({ kind: 'updateCategory'; key: string } & CategoryFields)
  | { kind: 'deleteCategory'; key: string }
  | ({
      kind: 'createInteractionType';
      key: string;
      name: string;
      categoryKey: string;
      basePoints: number;
    } & InteractionTypeFields)
  | ({ kind: 'updateInteractionType'; key: string } & InteractionTypeFields)
  | { kind: 'deleteInteractionType'; key: string }
  /** A null weight removes the override. */
  | { kind: 'setSegmentWeight'; segment: string; categoryKey: string; weight: number | null }
  | { kind: 'setCustomerWeight'; customerId: string; categoryKey: string; weight: number | null }
  | { kind: 'updateSettings'; settings: Partial<ScoringSettings> };

/** customerId → categoryKey → weight (null: override removed). */
export type CustomerWeightChanges = Map<string, Record<string, number | null>>;

export interface ProposedModel {
  model: ScoringModel;
  compiled: CompiledModel;
  customerWeights: CustomerWeightChanges;
  /** Customers the change can affect: null for all; otherwise these segments and customers. */
  scope: { segments: string[]; customerIds: string[] } | null;
  /** Categories that no longer exist: their customer overrides go with them. */
  deletedCategories: string[];
}

const KEY = /^[a-z][a-z0-9_]{0,62}$/;

function requireKey(field: string, key: string) {
  if (!KEY.test(key))
    throw new ModelChangeError(
      field,
      'INVALID_MODEL',
      'a key is 1–63 lowercase letters, digits or _, starting with a letter',
    );
}

/** Applies operations to a model in memory; throws ModelChangeError naming the field. */
export function proposeModel(current: ScoringModel, operations: readonly ModelOperation[]): ProposedModel {
  if (operations.length === 0) throw new ModelChangeError('change', 'EMPTY_CHANGE', 'the change is empty');
  const settings: ScoringSettings = { ...current.settings };
  const categories: CategoryDefinition[] = current.categories.map((c) => ({ ...c }));
  const types: InteractionTypeDefinition[] = current.interactionTypes.map((t) => ({ ...t }));
  const segmentWeights: Record<string, Record<string, number>> = {};
  for (const [segment, weights] of Object.entries(current.segmentWeights ?? {}))
    segmentWeights[segment] = { ...weights };
  const customerWeights: CustomerWeightChanges = new Map();
  const segments = new Set<string>();
  const customerIds = new Set<string>();
  const deletedCategories: string[] = [];
  let everyone = false;

  const category = (key: string, field: string) => {
    const found = categories.find((c) => c.key === key);
    if (!found) throw new ModelChangeError(field, 'UNKNOWN_KEY', `unknown category "${key}"`);
    return found;
  };
  const type = (key: string, field: string) => {
    const found = types.find((t) => t.key === key);
    if (!found) throw new ModelChangeError(field, 'UNKNOWN_KEY', `unknown interaction type "${key}"`);
    return found;
  };
  const weight = (field: string, value: number) => {
    if (!Number.isFinite(value) || value < 0)
      throw new ModelChangeError(field, 'OUT_OF_RANGE', `a weight must be a finite number ≥ 0, got ${value}`);
    return value;
  };

  for (const op of operations) {
    switch (op.kind) {
      case 'createCategory': {
        const field = `categories.${op.key}`;
        requireKey(`${field}.key`, op.key);
        if (categories.some((c) => c.key === op.key))
          throw new ModelChangeError(`${field}.key`, 'ALREADY_EXISTS', `category "${op.key}" already exists`);
        categories.push({
          key: op.key,
          name: op.name,
          weight: weight(`${field}.weight`, op.weight),
          isEngagement: op.isEngagement ?? false,
        });
        everyone = true;
        break;
      }
      case 'updateCategory': {
        const field = `categories.${op.key}`;
        const found = category(op.key, `${field}.key`);
        if (op.name !== undefined) found.name = op.name;
        if (op.weight !== undefined) found.weight = weight(`${field}.weight`, op.weight);
        if (op.isEngagement !== undefined) found.isEngagement = op.isEngagement;
        if (op.weight !== undefined || op.isEngagement !== undefined) everyone = true;
        break;
      }
      case 'deleteCategory': {
        const field = `categories.${op.key}`;
        category(op.key, `${field}.key`);
        const inUse = types.filter((t) => t.categoryKey === op.key).map((t) => t.key);
        if (inUse.length) {
          throw new ModelChangeError(
            `${field}.key`,
            'IN_USE',
            `category "${op.key}" still has interaction types (${inUse.join(', ')}): move or delete them first`,
          );
        }
        categories.splice(
          categories.findIndex((c) => c.key === op.key),
          1,
        );
        for (const weights of Object.values(segmentWeights)) delete weights[op.key];
        deletedCategories.push(op.key);
        everyone = true;
        break;
      }
      case 'createInteractionType': {
        const field = `interactionTypes.${op.key}`;
        requireKey(`${field}.key`, op.key);
        if (types.some((t) => t.key === op.key))
          throw new ModelChangeError(`${field}.key`, 'ALREADY_EXISTS', `interaction type "${op.key}" already exists`);
        category(op.categoryKey, `${field}.categoryKey`);
        types.push({
          key: op.key,
          name: op.name,
          categoryKey: op.categoryKey,
          basePoints: op.basePoints,
          sentimentHandling: op.sentimentHandling ?? 'SIGNED',
          valueScale: op.valueScale ?? null,
          requiresEngagement: op.requiresEngagement ?? false,
        });
        break; // A new type has no interactions yet: no score moves.
      }
      case 'updateInteractionType': {
        const field = `interactionTypes.${op.key}`;
        const found = type(op.key, `${field}.key`);
        if (op.categoryKey !== undefined) found.categoryKey = category(op.categoryKey, `${field}.categoryKey`).key;
        if (op.name !== undefined) found.name = op.name;
        if (op.basePoints !== undefined) found.basePoints = op.basePoints;
        if (op.sentimentHandling !== undefined) found.sentimentHandling = op.sentimentHandling;
        if (op.valueScale !== undefined) found.valueScale = op.valueScale;
        if (op.requiresEngagement !== undefined) found.requiresEngagement = op.requiresEngagement;
        const { kind: _kind, key: _key, name: _name, ...scoring } = op;
        if (Object.values(scoring).some((value) => value !== undefined)) everyone = true;
        break;
      }
      case 'deleteInteractionType': {
        type(op.key, `interactionTypes.${op.key}.key`);
        types.splice(
          types.findIndex((t) => t.key === op.key),
          1,
        );
        break; // Refused later if interactions use it; otherwise no score moves.
      }
      case 'setSegmentWeight': {
        const field = `segmentWeights.${op.segment}.${op.categoryKey}`;
        if (!op.segment) throw new ModelChangeError(`segmentWeights.segment`, 'MISSING_VALUE', 'a segment is needed');
        category(op.categoryKey, field);
        const weights = (segmentWeights[op.segment] ??= {});
        if (op.weight === null) delete weights[op.categoryKey];
        else weights[op.categoryKey] = weight(field, op.weight);
        if (Object.keys(weights).length === 0) delete segmentWeights[op.segment];
        segments.add(op.segment);
        break;
      }
      case 'setCustomerWeight': {
        const field = `customerWeights.${op.customerId}.${op.categoryKey}`;
        category(op.categoryKey, field);
        const changes = customerWeights.get(op.customerId) ?? {};
        changes[op.categoryKey] = op.weight === null ? null : weight(field, op.weight);
        customerWeights.set(op.customerId, changes);
        customerIds.add(op.customerId);
        break;
      }
      case 'updateSettings': {
        for (const [key, value] of Object.entries(op.settings)) {
          if (value === undefined || value === null) continue;
          if (!(key in settings))
            throw new ModelChangeError(`settings.${key}`, 'UNKNOWN_KEY', `unknown setting "${key}"`);
          settings[key as keyof ScoringSettings] = value;
        }
        everyone = true;
        break;
      }
    }
  }

  if (settings.bandAtRiskMax > settings.bandNeedsAttentionMax) {
    throw new ModelChangeError(
      'settings.bandNeedsAttentionMax',
      'THRESHOLDS_OUT_OF_ORDER',
      `the needs-attention threshold (${settings.bandNeedsAttentionMax}) must not be below the at-risk threshold (${settings.bandAtRiskMax})`,
    );
  }
  if (settings.silenceWindowDays !== Math.round(settings.silenceWindowDays)) {
    throw new ModelChangeError(
      'settings.silenceWindowDays',
      'INVALID_NUMBER',
      'the silence window is a whole number of days',
    );
  }
  for (const key of ['bandAtRiskMax', 'bandNeedsAttentionMax'] as const) {
    if (settings[key] !== Math.round(settings[key]))
      throw new ModelChangeError(`settings.${key}`, 'INVALID_NUMBER', 'a band threshold is a whole score');
  }

  const model: ScoringModel = { settings, categories, interactionTypes: types, segmentWeights };
  let compiled: CompiledModel;
  try {
    compiled = compileModel(model);
  } catch (error) {
    throw translate(error, model);
  }
  return {
    model,
    compiled,
    customerWeights,
    scope: everyone ? null : { segments: [...segments], customerIds: [...customerIds] },
    deletedCategories,
  };
}

/** Engine errors name array positions; callers know keys. */
function translate(error: unknown, model: ScoringModel): unknown {
  if (!(error instanceof ScoringInputError)) return error;
  const field = error.field
    .replace(/^categories\[(\d+)\]/, (_m, i: string) => `categories.${model.categories[Number(i)]?.key ?? i}`)
    .replace(
      /^interactionTypes\[(\d+)\]/,
      (_m, i: string) => `interactionTypes.${model.interactionTypes[Number(i)]?.key ?? i}`,
    );
  const message = error.message.slice(error.field.length + 2);
  if (error.code === 'ZERO_WEIGHTS') {
    return new ModelChangeError(
      field === 'categories' ? 'categories.weight' : `${field}.weight`,
      'ZERO_WEIGHTS',
      'category weights sum to zero: at least one must be above zero',
    );
  }
  return new ModelChangeError(field, error.code, message);
}

/** Checks that each changed customer's own weights still leave some weight. */
export function checkCustomerWeights(
  proposed: ProposedModel,
  customers: { id: string; externalId: string; segment: string | null; weights: Record<string, number> }[],
): void {
  for (const customer of customers) {
    const changes = proposed.customerWeights.get(customer.id) ?? {};
    const weights: Record<string, number> = { ...customer.weights };
    for (const key of proposed.deletedCategories) delete weights[key];
    for (const [key, weight] of Object.entries(changes)) {
      if (weight === null) delete weights[key];
      else weights[key] = weight;
    }
    try {
      scoreCustomer(proposed.compiled, { segment: customer.segment, weights }, [], new Date(0));
    } catch (error) {
      if (error instanceof ScoringInputError) {
        throw new ModelChangeError(
          `customerWeights.${customer.externalId}`,
          error.code,
          error.message.replace(/^customer\.weights: /, 'category weights: '),
        );
      }
      throw error;
    }
  }
}

export interface AppliedModelChange {
  version: number;
  scope: ProposedModel['scope'];
}

/**
 * Validates and writes a change under a new model version, in one transaction. The rescoring of
 * the affected customers is left to the caller (see rescore-job.ts: enqueueRescore).
 */
export async function applyModelChange(
  tx: Tx,
  workspaceId: string,
  operations: readonly ModelOperation[],
  note?: string | null,
): Promise<AppliedModelChange> {
  // Serialises concurrent changes of one workspace: the version bump below takes the row lock first.
  const locked = await tx.workspace.update({
    where: { id: workspaceId },
    data: { scoringModelVersion: { increment: 1 } },
    select: { scoringModelVersion: true },
  });
  const { version: _previous, ...current } = await loadScoringModel(tx, workspaceId);
  const proposed = proposeModel(current, operations);
  await checkCustomers(tx, workspaceId, proposed);
  await writeOperations(tx, workspaceId, operations);
  await snapshotScoringModel(tx, workspaceId, locked.scoringModelVersion, note ?? describe(operations));
  return { version: locked.scoringModelVersion, scope: proposed.scope };
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

function describe(operations: readonly ModelOperation[]): string {
  return operations
    .map((op) =>
      'key' in op
        ? `${op.kind} ${op.key}`
        : op.kind === 'updateSettings'
          ? 'updateSettings'
          : `${op.kind} ${op.categoryKey}`,
    )
    .join('; ');
}

async function categoryId(tx: Tx, workspaceId: string, key: string): Promise<string> {
  const row = await tx.category.findUniqueOrThrow({
    where: { workspaceId_key: { workspaceId, key } },
    select: { id: true },
  });
  return row.id;
}

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
          },
        });
        break;
      case 'updateCategory':
        await tx.category.update({
          where: { workspaceId_key: { workspaceId, key: op.key } },
          data: { name: op.name, description: op.description, weight: op.weight, isEngagement: op.isEngagement },
        });
        break;
      case 'deleteCategory':
        await tx.category.delete({ where: { workspaceId_key: { workspaceId, key: op.key } } });
        break;
      case 'createInteractionType':
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
        break;
      case 'updateInteractionType':
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
        break;
      case 'deleteInteractionType': {
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
        await tx.interactionType.delete({ where: { id: row.id } });
        break;
      }
      case 'setSegmentWeight': {
        const id = await categoryId(tx, workspaceId, op.categoryKey);
        const where = { workspaceId_segment_categoryId: { workspaceId, segment: op.segment, categoryId: id } };
        if (op.weight === null)
          await tx.segmentWeight.deleteMany({ where: { workspaceId, segment: op.segment, categoryId: id } });
        else
          await tx.segmentWeight.upsert({
            where,
            create: { workspaceId, segment: op.segment, categoryId: id, weight: op.weight },
            update: { weight: op.weight },
          });
        break;
      }
      case 'setCustomerWeight': {
        const id = await categoryId(tx, workspaceId, op.categoryKey);
        if (op.weight === null)
          await tx.customerWeight.deleteMany({ where: { customerId: op.customerId, categoryId: id } });
        else {
          await tx.customerWeight.upsert({
            where: { customerId_categoryId: { customerId: op.customerId, categoryId: id } },
            create: { customerId: op.customerId, categoryId: id, weight: op.weight },
            update: { weight: op.weight },
          });
        }
        break;
      }
      case 'updateSettings': {
        const data: Prisma.WorkspaceUpdateInput = {};
        for (const [key, value] of Object.entries(op.settings))
          if (value !== undefined && value !== null) (data as Record<string, unknown>)[key] = value;
        await tx.workspace.update({ where: { id: workspaceId }, data });
        break;
      }
    }
  }
}

/**
 * A type that becomes an answer (scored from its value) or changes its scale must still be able
 * to score what was recorded under it: an interaction with no value, or one off the new scale,
 * would fail every rescoring of its customer. Such a change is refused, naming how many.
 */
async function checkStoredAnswers(
  tx: Tx,
  workspaceId: string,
  op: Extract<ModelOperation, { kind: 'updateInteractionType' }>,
) {
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
