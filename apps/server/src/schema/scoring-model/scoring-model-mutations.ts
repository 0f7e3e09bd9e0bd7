// Defining the scoring model (secret keys only): categories, interaction types, segment and
// customer weights, settings. Every change is validated against the whole resulting model (the
// engine's compileModel has the last word), applied under a new model version, and queues the
// rescoring of the customers it affects. A refused change is a ScoringModelError naming the field.
import {
  applyModelChange,
  enqueueRescore,
  ModelChangeError,
  type ModelChangeProblem,
  touchesScores,
  type ModelOperation,
  type Tx,
} from '@pulso/core';
import { builder } from '../../builder.ts';
import { totalCountField } from '../common/connection-options.ts';
import { callerOf, type CallerContext } from '../../context.ts';
import { SentimentHandlingEnum, ValueScaleEnum } from '../common/enums.ts';
import { databaseId } from '../common/global-id.ts';
import { RescoreJob } from './rescoring.ts';
import '../common/user-errors.ts';
import { workspaceKey } from '@pulso/database';

interface ModelChangeOutcome {
  workspaceId: string;
  version: number;
  note: string | null;
  rescoreJobId: string | null;
}

const ScoringModelChange = builder.objectRef<ModelChangeOutcome>('ScoringModelChange').implement({
  description:
    'An applied change: the new model version, and the job rescoring the customers it affects. A change that changes nothing (no field given, or only the values in force) creates no version and queues nothing: it answers the current version, with `note` and `rescoreJob` null.',
  fields: (t) => ({
    version: t.exposeInt('version', {
      description: 'The scoring model version the change created; the current one when it changed nothing.',
    }),
    note: t.exposeString('note', {
      nullable: true,
      description: 'The note given with the change, if any; null when it changed nothing (no version records it).',
    }),
    workspace: t.prismaField({
      type: 'Workspace',
      description: 'The workspace, with its scoring model as it is after the change.',
      resolve: (query, parent, _args, ctx) =>
        ctx.prisma.workspace.findUniqueOrThrow({ ...query, where: { id: parent.workspaceId } }),
    }),
    rescoreJob: t.field({
      type: RescoreJob,
      nullable: true,
      description:
        'Null when no score can move (e.g. a new interaction type, a renamed category, a change that changed nothing).',
      resolve: (parent, _args, ctx) =>
        parent.rescoreJobId
          ? ctx.prisma.rescoreRun.findUnique({ where: workspaceKey(callerOf(ctx).workspaceId, parent.rescoreJobId) })
          : null,
    }),
  }),
});

/** Applies operations under a new version and queues the rescoring they call for; a change that changes nothing does neither. */
export async function changeModel(
  ctx: CallerContext,
  operations: ModelOperation[],
  note?: string | null,
): Promise<ModelChangeOutcome> {
  const workspaceId = ctx.caller.workspaceId;
  const outcome = await ctx.prisma.$transaction(async (tx: Tx) => {
    const applied = await applyModelChange(tx, workspaceId, operations, note);
    // A change that changed nothing created no version and moves no score.
    const run =
      applied.changed && touchesScores(operations)
        ? await enqueueRescore(tx, { workspaceId, reason: `model version ${applied.version}`, scope: applied.scope })
        : null;
    return {
      workspaceId,
      version: applied.version,
      note: applied.changed ? (note ?? null) : null,
      rescoreJobId: run?.id ?? null,
    };
  });
  if (outcome.rescoreJobId) ctx.rescoreRunner.kick();
  return outcome;
}

/** The id of a customer of the caller's workspace, by id or external id. */
export async function customerIdFor(
  ctx: CallerContext,
  args: { customerId?: string | null; externalId?: string | null },
  field: string,
): Promise<string> {
  const workspaceId = ctx.caller.workspaceId;
  if ((args.customerId == null) === (args.externalId == null)) {
    throw new ModelChangeError(
      field,
      args.customerId == null ? 'MISSING_VALUE' : 'INVALID',
      'give exactly one of customerId or externalId',
    );
  }
  const uuid = args.customerId != null ? databaseId(args.customerId, 'Customer') : null;
  const where =
    args.customerId != null ? (uuid ? { id: uuid, workspaceId } : null) : { workspaceId, externalId: args.externalId! };
  const found = where ? await ctx.prisma.customer.findFirst({ where, select: { id: true } }) : null;
  if (!found)
    throw new ModelChangeError(
      field,
      'NOT_FOUND',
      `no customer ${args.customerId ?? args.externalId} in this workspace`,
    );
  return found.id;
}

// ---- Inputs ------------------------------------------------------------------------------------

const CreateCategoryInput = builder.inputType('CreateCategoryInput', {
  description: 'A new scoring category.',
  fields: (t) => ({
    key: t.string({ required: true, description: 'Lowercase letters, digits and _; unique in the workspace.' }),
    name: t.string({ required: true, description: 'Display name; not blank.' }),
    description: t.string({ description: 'What the category measures, shown with its score.' }),
    weight: t.float({ required: true, description: 'Relative weight, 0 to 1,000,000: only proportions matter.' }),
    isEngagement: t.boolean({ description: 'The category backing commercial interactions (at most one).' }),
    measuresActivity: t.boolean({
      description: 'Formula 2: its plain touches are activity, read against the customer’s own level and peers.',
    }),
  }),
});

const UpdateCategoryInput = builder.inputType('UpdateCategoryInput', {
  description:
    'Fields of a category to change; omitted (or null) fields keep their value. Nothing to change: no new version.',
  fields: (t) => ({
    name: t.string({ description: 'Display name; not blank.' }),
    description: t.string({ description: 'What the category measures.' }),
    weight: t.float({ description: 'Relative weight, 0 to 1,000,000: only proportions matter.' }),
    isEngagement: t.boolean({ description: 'Make it the category backing commercial interactions (at most one).' }),
    measuresActivity: t.boolean({
      description: 'Formula 2: read its plain touches as activity (against own level and peers).',
    }),
  }),
});

const CreateInteractionTypeInput = builder.inputType('CreateInteractionTypeInput', {
  description: 'A new kind of interaction, counted in one category.',
  fields: (t) => ({
    key: t.string({
      required: true,
      description: 'Lowercase letters, digits and _; unique in the workspace. Interactions are recorded with it.',
    }),
    name: t.string({ required: true, description: 'Display name; not blank.' }),
    categoryKey: t.string({ required: true, description: 'Key of the category it counts in.' }),
    basePoints: t.float({
      required: true,
      description: 'Points of a plain touch, 0–1000, before sentiment, intensity and decay.',
    }),
    sentimentHandling: t.field({ type: SentimentHandlingEnum, description: 'Default SIGNED.' }),
    valueScale: t.field({ type: ValueScaleEnum, description: 'Required for FROM_VALUE types.' }),
    requiresEngagement: t.boolean({
      description: 'Purchases, renewals, upsells: count only as far as engagement backs them.',
    }),
  }),
});

const UpdateInteractionTypeInput = builder.inputType('UpdateInteractionTypeInput', {
  description: 'Fields of an interaction type to change; omitted fields keep their value.',
  fields: (t) => ({
    name: t.string({ description: 'Display name; not blank.' }),
    categoryKey: t.string({ description: 'Key of the category it counts in.' }),
    basePoints: t.float({ description: 'Points of a plain touch, 0–1000.' }),
    sentimentHandling: t.field({
      type: SentimentHandlingEnum,
      description: 'How sentiment or the survey answer signs the points.',
    }),
    valueScale: t.field({ type: ValueScaleEnum, description: 'Set to null to remove.' }),
    requiresEngagement: t.boolean({
      description: 'Count only as far as engagement backs it (purchases, renewals, upsells).',
    }),
  }),
});

export const ScoringSettingsInput = builder.inputType('ScoringSettingsInput', {
  description:
    'Scoring settings to change; omitted fields keep their value. Every invalid setting is reported at once; nothing to change: no new version.',
  fields: (t) => ({
    bandAtRiskMax: t.int({ description: 'Highest score in the at-risk band.' }),
    bandNeedsAttentionMax: t.int({
      description: 'Highest score in the needs-attention band; must not be below bandAtRiskMax.',
    }),
    decayHalfLifeDays: t.float({
      description: 'Age in days at which an interaction counts half (more than 0, at most 36,500).',
    }),
    silenceWindowDays: t.int({
      description: 'Days without positive contact before silence costs points (0 to 36,500, a whole number).',
    }),
    upsellEngagementMin: t.float({
      description: 'Engagement sub-score (0–100) at which commercial interactions count in full.',
    }),
    formula: t.int({
      description:
        'Which formula scores the model: 1 (net points per category) or 2 (activity against peers and own level; docs/scoring-model.md).',
    }),
  }),
});

const CategoryWeightInput = builder.inputType('CategoryWeightInput', {
  description: "A category's new workspace-wide weight.",
  fields: (t) => ({
    categoryKey: t.string({ required: true, description: 'Key of the category.' }),
    weight: t.float({ required: true, description: 'Relative weight, 0 to 1,000,000: only proportions matter.' }),
  }),
});
const BasePointsInput = builder.inputType('BasePointsInput', {
  description: "An interaction type's new base points.",
  fields: (t) => ({
    interactionTypeKey: t.string({ required: true, description: 'Key of the interaction type.' }),
    basePoints: t.float({ required: true, description: 'Points of a plain touch, 0–1000.' }),
  }),
});
const SegmentWeightInput = builder.inputType('SegmentWeightInput', {
  description: 'A category weight for every customer of a segment, overriding the workspace weight.',
  fields: (t) => ({
    segment: t.string({ required: true, description: 'The segment, as set on customers.' }),
    categoryKey: t.string({ required: true, description: 'Key of the category.' }),
    weight: t.float({ description: 'Null removes the override.' }),
  }),
});
const CustomerWeightInput = builder.inputType('CustomerWeightInput', {
  description:
    'A category weight for one customer, overriding the segment and workspace weights. Name the customer by customerId or externalId (exactly one).',
  fields: (t) => ({
    customerId: t.id({ description: "The customer's global id (or database id)." }),
    externalId: t.string({ description: "The workspace's own id for the customer." }),
    categoryKey: t.string({ required: true, description: 'Key of the category.' }),
    weight: t.float({ description: 'Null removes the override.' }),
  }),
});

export const ScoringModelChangeInput = builder.inputType('ScoringModelChangeInput', {
  description:
    'Several changes at once, previewed by previewScoringModelChange or applied by applyScoringModelChange. One thing given twice (two weights for a category, in categoryWeights, segmentWeights or customerWeights; two base points for a type) is refused INVALID, naming both entries.',
  fields: (t) => ({
    categoryWeights: t.field({ type: [CategoryWeightInput], description: 'New workspace weights of categories.' }),
    basePoints: t.field({ type: [BasePointsInput], description: 'New base points of interaction types.' }),
    settings: t.field({ type: ScoringSettingsInput, description: 'New scoring settings.' }),
    segmentWeights: t.field({ type: [SegmentWeightInput], description: 'Segment weight overrides to set or remove.' }),
    customerWeights: t.field({
      type: [CustomerWeightInput],
      description: 'Customer weight overrides to set or remove.',
    }),
    note: t.string({ description: 'Recorded with the new model version.' }),
  }),
});

type ChangeInput = typeof ScoringModelChangeInput.$inferInput;

/**
 * Two entries of one change for the same thing (two weights for `support`): refused, naming both,
 * rather than the last one winning silently, as two names for one new customer in a batch are.
 */
function duplicateProblems(change: ChangeInput): ModelChangeProblem[] {
  const problems: ModelChangeProblem[] = [];
  const check = <T>(list: readonly T[] | null | undefined, field: string, what: (entry: T) => string) => {
    const first = new Map<string, number>();
    for (const [index, entry] of (list ?? []).entries()) {
      const key = what(entry);
      const earlier = first.get(key);
      if (earlier === undefined) first.set(key, index);
      else
        problems.push({
          field: `${field}[${index}]`,
          code: 'INVALID',
          message: `${key} is given twice in this change (${field}[${earlier}] and [${index}]): keep one`,
        });
    }
  };
  check(change.categoryWeights, 'categoryWeights', (w) => `the weight of category ${w.categoryKey}`);
  check(change.basePoints, 'basePoints', (b) => `the base points of ${b.interactionTypeKey}`);
  check(
    change.segmentWeights,
    'segmentWeights',
    (w) => `the weight of category ${w.categoryKey} for segment ${JSON.stringify(w.segment)}`,
  );
  check(
    change.customerWeights,
    'customerWeights',
    (w) => `the weight of category ${w.categoryKey} for customer ${w.externalId ?? w.customerId}`,
  );
  return problems;
}

/** The operations a ScoringModelChangeInput stands for. */
export async function operationsOf(ctx: CallerContext, change: ChangeInput): Promise<ModelOperation[]> {
  const duplicates = duplicateProblems(change);
  if (duplicates.length > 0) throw ModelChangeError.of(duplicates);
  const ops: ModelOperation[] = [];
  for (const { categoryKey, weight } of change.categoryWeights ?? [])
    ops.push({ kind: 'updateCategory', key: categoryKey, weight });
  for (const { interactionTypeKey, basePoints } of change.basePoints ?? [])
    ops.push({ kind: 'updateInteractionType', key: interactionTypeKey, basePoints });
  if (change.settings) ops.push({ kind: 'updateSettings', settings: definedOnly(change.settings) });
  for (const { segment, categoryKey, weight } of change.segmentWeights ?? [])
    ops.push({ kind: 'setSegmentWeight', segment, categoryKey, weight: weight ?? null });
  for (const [index, w] of (change.customerWeights ?? []).entries()) {
    const customerId = await customerIdFor(ctx, w, `customerWeights[${index}]`);
    ops.push({ kind: 'setCustomerWeight', customerId, categoryKey: w.categoryKey, weight: w.weight ?? null });
  }
  return ops;
}

function definedOnly<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], null>;
  };
}

// ---- Mutations ---------------------------------------------------------------------------------

const errors = {
  types: [ModelChangeError],
  directResult: true as const,
  union: {
    description:
      'The applied change (ScoringModelChange), or a ScoringModelError when it was refused and nothing was applied.',
  },
};

builder.mutationFields((t) => ({
  createCategory: t.withAuth({ write: true }).field({
    type: ScoringModelChange,
    errors,
    description:
      'Adds a category to the scoring model (secret keys only) and queues the rescoring of the customers it affects. Refused with ALREADY_EXISTS, OUT_OF_RANGE, INVALID (a blank name)...',
    args: { input: t.arg({ type: CreateCategoryInput, required: true, description: 'The new category.' }) },
    resolve: (_root, { input }, ctx) =>
      changeModel(ctx, [
        {
          kind: 'createCategory',
          key: input.key,
          name: input.name,
          description: input.description,
          weight: input.weight,
          isEngagement: input.isEngagement ?? false,
          measuresActivity: input.measuresActivity ?? false,
        },
      ]),
  }),
  updateCategory: t.withAuth({ write: true }).field({
    type: ScoringModelChange,
    errors,
    description:
      'Changes a category (secret keys only); a new weight or engagement flag queues a rescoring, a new name or description none. Nothing to change (no field, or only the values in force): no new version, no rescoring, the current version answered. Refused with UNKNOWN_KEY, ZERO_WEIGHTS, INVALID (a blank name)...',
    args: {
      key: t.arg.string({ required: true, description: 'Key of the category to change.' }),
      input: t.arg({ type: UpdateCategoryInput, required: true, description: 'The fields to change.' }),
    },
    resolve: (_root, { key, input }, ctx) => changeModel(ctx, [{ kind: 'updateCategory', key, ...definedOnly(input) }]),
  }),
  deleteCategory: t.withAuth({ write: true }).field({
    type: ScoringModelChange,
    errors,
    description:
      'Deletes a category without interaction types (secret keys only); its weight is shared out among the others. Refused with IN_USE or UNKNOWN_KEY.',
    args: { key: t.arg.string({ required: true, description: 'Key of the category to delete.' }) },
    resolve: (_root, { key }, ctx) => changeModel(ctx, [{ kind: 'deleteCategory', key }]),
  }),
  createInteractionType: t.withAuth({ write: true }).field({
    type: ScoringModelChange,
    errors,
    description:
      'Adds an interaction type (secret keys only); no score moves until interactions of it are recorded. Refused with ALREADY_EXISTS, UNKNOWN_KEY...',
    args: {
      input: t.arg({ type: CreateInteractionTypeInput, required: true, description: 'The new interaction type.' }),
    },
    resolve: (_root, { input }, ctx) => changeModel(ctx, [{ kind: 'createInteractionType', ...definedOnly(input) }]),
  }),
  updateInteractionType: t.withAuth({ write: true }).field({
    type: ScoringModelChange,
    errors,
    description:
      'Changes an interaction type (secret keys only) and queues the rescoring of the customers it affects. Refused with UNKNOWN_KEY, OUT_OF_RANGE...',
    args: {
      key: t.arg.string({ required: true, description: 'Key of the interaction type to change.' }),
      input: t.arg({ type: UpdateInteractionTypeInput, required: true, description: 'The fields to change.' }),
    },
    resolve: (_root, { key, input }, ctx) => {
      const { valueScale, ...rest } = input;
      return changeModel(ctx, [
        {
          kind: 'updateInteractionType',
          key,
          ...definedOnly(rest),
          ...(valueScale !== undefined ? { valueScale } : {}),
        },
      ]);
    },
  }),
  deleteInteractionType: t.withAuth({ write: true }).field({
    type: ScoringModelChange,
    errors,
    description:
      'Deletes an interaction type no recorded interaction uses (secret keys only). Refused with IN_USE or UNKNOWN_KEY.',
    args: { key: t.arg.string({ required: true, description: 'Key of the interaction type to delete.' }) },
    resolve: (_root, { key }, ctx) => changeModel(ctx, [{ kind: 'deleteInteractionType', key }]),
  }),
  setSegmentWeight: t.withAuth({ write: true }).field({
    type: ScoringModelChange,
    errors,
    description:
      "A category weight for every customer of a segment (secret keys only); rescores that segment's customers. Refused with a ScoringModelError.",
    args: {
      segment: t.arg.string({ required: true, description: 'The segment, as set on customers.' }),
      categoryKey: t.arg.string({ required: true, description: 'Key of the category.' }),
      weight: t.arg.float({ description: 'Relative weight, 0 to 1,000,000; null or omitted removes the override.' }),
    },
    resolve: (_root, args, ctx) =>
      changeModel(ctx, [
        { kind: 'setSegmentWeight', segment: args.segment, categoryKey: args.categoryKey, weight: args.weight ?? null },
      ]),
  }),
  setCustomerWeight: t.withAuth({ write: true }).field({
    type: ScoringModelChange,
    errors,
    description:
      'A category weight for one customer (secret keys only); rescores that customer. It applies from now on: past instants (healthAsOf, scoresAsOf, the history, evaluations) keep the weights in force then. An unknown customer is refused with NOT_FOUND.',
    args: {
      customerId: t.arg.id({ description: "The customer's global id; or give externalId (exactly one)." }),
      externalId: t.arg.string({ description: "The workspace's own id for the customer; or give customerId." }),
      categoryKey: t.arg.string({ required: true, description: 'Key of the category.' }),
      weight: t.arg.float({ description: 'Relative weight, 0 to 1,000,000; null or omitted removes the override.' }),
    },
    resolve: async (_root, args, ctx) => {
      const customerId = await customerIdFor(ctx, args, 'customer');
      return changeModel(ctx, [
        { kind: 'setCustomerWeight', customerId, categoryKey: args.categoryKey, weight: args.weight ?? null },
      ]);
    },
  }),
  updateScoringSettings: t.withAuth({ write: true }).field({
    type: ScoringModelChange,
    errors,
    description:
      'Changes band thresholds, decay half-life, silence window or upsell engagement level (secret keys only) and queues a rescoring. Refused with a ScoringModelError whose `problems` lists every invalid setting (THRESHOLDS_OUT_OF_ORDER, OUT_OF_RANGE...). Nothing to change (an empty input, or only the values in force): no new version, no rescoring, the current version answered.',
    args: { input: t.arg({ type: ScoringSettingsInput, required: true, description: 'The settings to change.' }) },
    resolve: (_root, { input }, ctx) => changeModel(ctx, [{ kind: 'updateSettings', settings: definedOnly(input) }]),
  }),
  applyScoringModelChange: t.withAuth({ write: true }).field({
    type: ScoringModelChange,
    errors,
    description:
      'Applies several changes as one new model version, all or nothing (secret keys only; preview them first with previewScoringModelChange).',
    args: {
      change: t.arg({
        type: ScoringModelChangeInput,
        required: true,
        description: 'The changes, with an optional note.',
      }),
    },
    resolve: async (_root, { change }, ctx) => changeModel(ctx, await operationsOf(ctx, change), change.note),
  }),
}));

// ---- Versions ----------------------------------------------------------------------------------

builder.prismaObject('ScoringModelVersion', {
  description: 'A frozen copy of the scoring model: every stored score names the version that produced it.',
  fields: (t) => ({
    version: t.exposeInt('version', { description: 'Version number; each applied change creates the next one.' }),
    note: t.exposeString('note', {
      nullable: true,
      description: 'The note given with the change that created it, if any.',
    }),
    definition: t.expose('definition', {
      type: 'JSON',
      description: 'Settings, categories, interaction types and segment weights as they were.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the version was created.' }),
  }),
});

builder.queryField('scoringModelVersions', (t) =>
  t.withAuth({ read: true }).prismaConnection(
    {
      type: 'ScoringModelVersion',
      cursor: 'workspaceId_version',
      description: 'Versions of the scoring model, newest first. Secret and read-only keys.',
      totalCount: (_root, _args, ctx) =>
        ctx.prisma.scoringModelVersion.count({ where: { workspaceId: ctx.caller.workspaceId } }),
      resolve: (query, _root, _args, ctx) =>
        ctx.prisma.scoringModelVersion.findMany({
          ...query,
          where: { workspaceId: ctx.caller.workspaceId },
          orderBy: { version: 'desc' },
        }),
    },
    {
      name: 'ScoringModelVersionConnection',
      description: 'A page of scoring model versions.',
      fields: (c) => ({ totalCount: c.int(totalCountField('versions the scoring model has')) }),
    },
    { name: 'ScoringModelVersionEdge', description: 'A scoring model version in a page, with its cursor.' },
  ),
);
