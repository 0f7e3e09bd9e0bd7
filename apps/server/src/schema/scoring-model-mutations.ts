// Defining the scoring model (secret keys only): categories, interaction types, segment and
// customer weights, settings. Every change is validated against the whole resulting model (the
// engine's compileModel has the last word), applied under a new model version, and queues the
// rescoring of the customers it affects. A refused change is a ScoringModelError naming the field.
import { decodeGlobalID } from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';
import { applyModelChange, enqueueRescore, ModelChangeError, rescoreRunnerFor, type ModelOperation, type Tx } from '@pulso/workspaces';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { SentimentHandlingEnum, ValueScaleEnum } from './enums.ts';
import { RescoreJob } from './rescoring.ts';
import './user-errors.ts';

interface ModelChangeOutcome {
  version: number;
  note: string | null;
  rescoreJobId: string | null;
}

const ScoringModelChange = builder.objectRef<ModelChangeOutcome>('ScoringModelChange').implement({
  description: 'An applied change: the new model version, and the job rescoring the customers it affects.',
  fields: (t) => ({
    version: t.exposeInt('version', { description: 'The scoring model version the change created.' }),
    note: t.exposeString('note', { nullable: true }),
    workspace: t.prismaField({
      type: 'Workspace',
      resolve: (query, _parent, _args, ctx) => ctx.prisma.workspace.findUniqueOrThrow({ ...query, where: { id: ctx.caller!.workspaceId } }),
    }),
    rescoreJob: t.field({
      type: RescoreJob,
      nullable: true,
      description: 'Null when no score can move (e.g. a new interaction type, a renamed category).',
      resolve: (parent, _args, ctx) => (parent.rescoreJobId ? ctx.prisma.rescoreRun.findUnique({ where: { id: parent.rescoreJobId } }) : null),
    }),
  }),
});

/** Applies operations under a new version and queues the rescoring they call for. */
export async function changeModel(ctx: Context, operations: ModelOperation[], note?: string | null): Promise<ModelChangeOutcome> {
  const workspaceId = ctx.caller!.workspaceId;
  const touchesScores = operations.some((op) => !['createInteractionType', 'deleteInteractionType'].includes(op.kind) && !(op.kind === 'updateCategory' && op.weight === undefined && op.isEngagement === undefined));
  const outcome = await ctx.prisma.$transaction(async (tx: Tx) => {
    const applied = await applyModelChange(tx, workspaceId, operations, note);
    const run = touchesScores ? await enqueueRescore(tx, { workspaceId, reason: `model version ${applied.version}`, scope: applied.scope }) : null;
    return { version: applied.version, note: note ?? null, rescoreJobId: run?.id ?? null };
  });
  if (outcome.rescoreJobId) rescoreRunnerFor(ctx.prisma).kick();
  return outcome;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A customer's database id from a Relay global id or a bare uuid; null when it names none. */
function customerUuid(id: string): string | null {
  if (UUID.test(id)) return id;
  try {
    const decoded = decodeGlobalID(id);
    return decoded.typename === 'Customer' && UUID.test(decoded.id) ? decoded.id : null;
  } catch {
    return null;
  }
}

/** The id of a customer of the caller's workspace, by id or external id. */
export async function customerIdFor(ctx: Context, args: { customerId?: string | null; externalId?: string | null }, field: string): Promise<string> {
  const workspaceId = ctx.caller!.workspaceId;
  if ((args.customerId == null) === (args.externalId == null)) {
    throw new GraphQLError(`${field}: give exactly one of customerId or externalId`, { extensions: { code: 'BAD_USER_INPUT' } });
  }
  const uuid = args.customerId != null ? customerUuid(args.customerId) : null;
  const where = args.customerId != null ? (uuid ? { id: uuid, workspaceId } : null) : { workspaceId, externalId: args.externalId! };
  const found = where ? await ctx.prisma.customer.findFirst({ where, select: { id: true } }) : null;
  if (!found) throw new ModelChangeError(field, 'NOT_FOUND', `no customer ${args.customerId ?? args.externalId} in this workspace`);
  return found.id;
}

// ---- Inputs ------------------------------------------------------------------------------------

const CreateCategoryInput = builder.inputType('CreateCategoryInput', {
  fields: (t) => ({
    key: t.string({ required: true, description: 'Lowercase letters, digits and _; unique in the workspace.' }),
    name: t.string({ required: true }),
    description: t.string(),
    weight: t.float({ required: true, description: 'Relative weight (≥ 0): only proportions matter.' }),
    isEngagement: t.boolean({ description: 'The category backing commercial interactions (at most one).' }),
  }),
});

const UpdateCategoryInput = builder.inputType('UpdateCategoryInput', {
  fields: (t) => ({
    name: t.string(),
    description: t.string(),
    weight: t.float(),
    isEngagement: t.boolean(),
  }),
});

const CreateInteractionTypeInput = builder.inputType('CreateInteractionTypeInput', {
  fields: (t) => ({
    key: t.string({ required: true }),
    name: t.string({ required: true }),
    categoryKey: t.string({ required: true }),
    basePoints: t.float({ required: true, description: 'Points of a plain touch, 0–1000, before sentiment, intensity and decay.' }),
    sentimentHandling: t.field({ type: SentimentHandlingEnum, description: 'Default SIGNED.' }),
    valueScale: t.field({ type: ValueScaleEnum, description: 'Required for FROM_VALUE types.' }),
    requiresEngagement: t.boolean({ description: 'Purchases, renewals, upsells: count only as far as engagement backs them.' }),
  }),
});

const UpdateInteractionTypeInput = builder.inputType('UpdateInteractionTypeInput', {
  fields: (t) => ({
    name: t.string(),
    categoryKey: t.string(),
    basePoints: t.float(),
    sentimentHandling: t.field({ type: SentimentHandlingEnum }),
    valueScale: t.field({ type: ValueScaleEnum, description: 'Set to null to remove.' }),
    requiresEngagement: t.boolean(),
  }),
});

export const ScoringSettingsInput = builder.inputType('ScoringSettingsInput', {
  fields: (t) => ({
    bandAtRiskMax: t.int({ description: 'Highest score in the at-risk band.' }),
    bandNeedsAttentionMax: t.int({ description: 'Highest score in the needs-attention band; must not be below bandAtRiskMax.' }),
    decayHalfLifeDays: t.float({ description: 'Age in days at which an interaction counts half (> 0).' }),
    silenceWindowDays: t.int({ description: 'Days without positive contact before silence costs points (≥ 0).' }),
    upsellEngagementMin: t.float({ description: 'Engagement sub-score (0–100) at which commercial interactions count in full.' }),
  }),
});

const CategoryWeightInput = builder.inputType('CategoryWeightInput', {
  fields: (t) => ({ categoryKey: t.string({ required: true }), weight: t.float({ required: true }) }),
});
const BasePointsInput = builder.inputType('BasePointsInput', {
  fields: (t) => ({ interactionTypeKey: t.string({ required: true }), basePoints: t.float({ required: true }) }),
});
const SegmentWeightInput = builder.inputType('SegmentWeightInput', {
  fields: (t) => ({
    segment: t.string({ required: true }),
    categoryKey: t.string({ required: true }),
    weight: t.float({ description: 'Null removes the override.' }),
  }),
});
const CustomerWeightInput = builder.inputType('CustomerWeightInput', {
  fields: (t) => ({
    customerId: t.id(),
    externalId: t.string(),
    categoryKey: t.string({ required: true }),
    weight: t.float({ description: 'Null removes the override.' }),
  }),
});

export const ScoringModelChangeInput = builder.inputType('ScoringModelChangeInput', {
  description: 'Several changes at once, previewed by previewScoringModelChange or applied by applyScoringModelChange.',
  fields: (t) => ({
    categoryWeights: t.field({ type: [CategoryWeightInput] }),
    basePoints: t.field({ type: [BasePointsInput] }),
    settings: t.field({ type: ScoringSettingsInput }),
    segmentWeights: t.field({ type: [SegmentWeightInput] }),
    customerWeights: t.field({ type: [CustomerWeightInput] }),
    note: t.string({ description: 'Recorded with the new model version.' }),
  }),
});

type ChangeInput = typeof ScoringModelChangeInput.$inferInput;

/** The operations a ScoringModelChangeInput stands for. */
export async function operationsOf(ctx: Context, change: ChangeInput): Promise<ModelOperation[]> {
  const ops: ModelOperation[] = [];
  for (const { categoryKey, weight } of change.categoryWeights ?? []) ops.push({ kind: 'updateCategory', key: categoryKey, weight });
  for (const { interactionTypeKey, basePoints } of change.basePoints ?? []) ops.push({ kind: 'updateInteractionType', key: interactionTypeKey, basePoints });
  if (change.settings) ops.push({ kind: 'updateSettings', settings: definedOnly(change.settings) });
  for (const { segment, categoryKey, weight } of change.segmentWeights ?? []) ops.push({ kind: 'setSegmentWeight', segment, categoryKey, weight: weight ?? null });
  for (const [index, w] of (change.customerWeights ?? []).entries()) {
    const customerId = await customerIdFor(ctx, w, `customerWeights[${index}]`);
    ops.push({ kind: 'setCustomerWeight', customerId, categoryKey: w.categoryKey, weight: w.weight ?? null });
  }
  return ops;
}

function definedOnly<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined)) as { [K in keyof T]: Exclude<T[K], null> };
}

// ---- Mutations ---------------------------------------------------------------------------------

const errors = { types: [ModelChangeError], directResult: true as const };

builder.mutationFields((t) => ({
  createCategory: t.field({
    type: ScoringModelChange,
    errors,
    authScopes: { write: true },
    args: { input: t.arg({ type: CreateCategoryInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      changeModel(ctx, [{ kind: 'createCategory', key: input.key, name: input.name, description: input.description, weight: input.weight, isEngagement: input.isEngagement ?? false }]),
  }),
  updateCategory: t.field({
    type: ScoringModelChange,
    errors,
    authScopes: { write: true },
    args: { key: t.arg.string({ required: true }), input: t.arg({ type: UpdateCategoryInput, required: true }) },
    resolve: (_root, { key, input }, ctx) => changeModel(ctx, [{ kind: 'updateCategory', key, ...definedOnly(input) }]),
  }),
  deleteCategory: t.field({
    type: ScoringModelChange,
    errors,
    authScopes: { write: true },
    description: 'Deletes a category without interaction types; its weight is shared out among the others.',
    args: { key: t.arg.string({ required: true }) },
    resolve: (_root, { key }, ctx) => changeModel(ctx, [{ kind: 'deleteCategory', key }]),
  }),
  createInteractionType: t.field({
    type: ScoringModelChange,
    errors,
    authScopes: { write: true },
    args: { input: t.arg({ type: CreateInteractionTypeInput, required: true }) },
    resolve: (_root, { input }, ctx) => changeModel(ctx, [{ kind: 'createInteractionType', ...definedOnly(input) }]),
  }),
  updateInteractionType: t.field({
    type: ScoringModelChange,
    errors,
    authScopes: { write: true },
    args: { key: t.arg.string({ required: true }), input: t.arg({ type: UpdateInteractionTypeInput, required: true }) },
    resolve: (_root, { key, input }, ctx) => {
      const { valueScale, ...rest } = input;
      return changeModel(ctx, [{ kind: 'updateInteractionType', key, ...definedOnly(rest), ...(valueScale !== undefined ? { valueScale } : {}) }]);
    },
  }),
  deleteInteractionType: t.field({
    type: ScoringModelChange,
    errors,
    authScopes: { write: true },
    description: 'Deletes an interaction type no recorded interaction uses.',
    args: { key: t.arg.string({ required: true }) },
    resolve: (_root, { key }, ctx) => changeModel(ctx, [{ kind: 'deleteInteractionType', key }]),
  }),
  setSegmentWeight: t.field({
    type: ScoringModelChange,
    errors,
    authScopes: { write: true },
    description: "A category weight for every customer of a segment (null removes the override); rescores that segment's customers.",
    args: { segment: t.arg.string({ required: true }), categoryKey: t.arg.string({ required: true }), weight: t.arg.float() },
    resolve: (_root, args, ctx) => changeModel(ctx, [{ kind: 'setSegmentWeight', segment: args.segment, categoryKey: args.categoryKey, weight: args.weight ?? null }]),
  }),
  setCustomerWeight: t.field({
    type: ScoringModelChange,
    errors,
    authScopes: { write: true },
    description: "A category weight for one customer (null removes the override); rescores that customer.",
    args: { customerId: t.arg.id(), externalId: t.arg.string(), categoryKey: t.arg.string({ required: true }), weight: t.arg.float() },
    resolve: async (_root, args, ctx) => {
      const customerId = await customerIdFor(ctx, args, 'customer');
      return changeModel(ctx, [{ kind: 'setCustomerWeight', customerId, categoryKey: args.categoryKey, weight: args.weight ?? null }]);
    },
  }),
  updateScoringSettings: t.field({
    type: ScoringModelChange,
    errors,
    authScopes: { write: true },
    description: 'Band thresholds, decay half-life, silence window, upsell engagement level.',
    args: { input: t.arg({ type: ScoringSettingsInput, required: true }) },
    resolve: (_root, { input }, ctx) => changeModel(ctx, [{ kind: 'updateSettings', settings: definedOnly(input) }]),
  }),
  applyScoringModelChange: t.field({
    type: ScoringModelChange,
    errors,
    authScopes: { write: true },
    description: 'Applies several changes as one new model version (preview them first with previewScoringModelChange).',
    args: { change: t.arg({ type: ScoringModelChangeInput, required: true }) },
    resolve: async (_root, { change }, ctx) => changeModel(ctx, await operationsOf(ctx, change), change.note),
  }),
}));

// ---- Versions ----------------------------------------------------------------------------------

builder.prismaObject('ScoringModelVersion', {
  description: 'A frozen copy of the scoring model: every stored score names the version that produced it.',
  fields: (t) => ({
    version: t.exposeInt('version'),
    note: t.exposeString('note', { nullable: true }),
    definition: t.expose('definition', { type: 'JSON', description: 'Settings, categories, interaction types and segment weights as they were.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.queryField('scoringModelVersions', (t) =>
  t.prismaField({
    type: ['ScoringModelVersion'],
    description: 'Versions of the scoring model, newest first.',
    authScopes: { read: true },
    args: { first: t.arg.int({ required: false, defaultValue: 20 }) },
    resolve: (query, _root, args, ctx) =>
      ctx.prisma.scoringModelVersion.findMany({
        ...query,
        where: { workspaceId: ctx.caller!.workspaceId },
        orderBy: { version: 'desc' },
        take: Math.min(Math.max(args.first ?? 20, 1), 100),
      }),
  }),
);
