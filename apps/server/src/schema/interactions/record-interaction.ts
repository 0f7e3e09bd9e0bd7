// recordInteraction and recordInteractions: a backend reports touchpoints. Each write carries an
// idempotency key (a retry never counts twice), and the customer's score, band, 30-day change and
// history are updated in the same transaction (packages/workspaces/src/record-interactions.ts).
// Score changes are published to live subscribers once the transaction has committed.
import { recordInteractions, type InteractionWrite, type RecordedInteraction } from '@pulso/core';
import { builder } from '../../builder.ts';
import { callerOf, type CallerContext } from '../../context.ts';
import { JourneyStageEnum, SentimentEnum } from '../common/enums.ts';
import { databaseId } from '../common/global-id.ts';
import { writeErrors } from '../common/write-errors.ts';
import { workspaceKey } from '@pulso/database';

export const CustomerRefInput = builder.inputType('CustomerRefInput', {
  description:
    'Names a customer by id or by external id (exactly one). With `name`, a customer missing by external id is created (an external id with whitespace around it is then refused, INVALID).',
  fields: (t) => ({
    id: t.id({ required: false, description: "The customer's global id." }),
    externalId: t.string({ required: false, description: "The workspace's own id for the customer." }),
    name: t.string({
      required: false,
      description: 'Creates the customer with this name if no customer has the external id.',
    }),
  }),
});

export const RecordInteractionInput = builder.inputType('RecordInteractionInput', {
  description: 'One interaction to record: who, what kind, when, and how it went.',
  fields: (t) => ({
    customer: t.field({ type: CustomerRefInput, required: true, description: 'The customer it concerns.' }),
    type: t.string({ required: true, description: 'The interaction type key, e.g. `meeting`, `nps`, `micro_rating`.' }),
    occurredAt: t.field({
      type: 'DateTime',
      required: false,
      description: 'When it happened (default now); never in the future.',
    }),
    intensity: t.float({ required: false, description: 'How much, 0–100 (default 1, a plain touch).' }),
    sentiment: t.field({ type: SentimentEnum, required: false, description: 'How the customer felt, if known.' }),
    value: t.float({
      required: false,
      description:
        "The answer on the type's scale: NPS 0–10, CSAT 1–5, CES 1–7 (whole numbers). Only survey answers take one: on another type it is refused (VALUE_NOT_TAKEN).",
    }),
    comment: t.string({ required: false, description: "The customer's own words, if any." }),
    journeyStage: t.field({
      type: JourneyStageEnum,
      required: false,
      description: 'Where in the journey it happened, if known.',
    }),
    source: t.string({ required: false, description: 'Where it came from (default `api`).' }),
    idempotencyKey: t.string({
      required: true,
      description:
        'Your key for this write (1–200 characters). A retry with the same key and content returns the original; other content is refused.',
    }),
  }),
});

type Input = typeof RecordInteractionInput.$inferInput;

export function toWrite(input: Input, defaultSource: string): InteractionWrite {
  const rawId = input.customer.id == null ? null : String(input.customer.id);
  return {
    customer: {
      // An id that cannot name a customer stays as given, to be reported as not found.
      id: rawId == null ? null : (databaseId(rawId, 'Customer') ?? rawId),
      externalId: input.customer.externalId ?? null,
      name: input.customer.name ?? null,
    },
    typeKey: input.type,
    occurredAt: input.occurredAt ?? null,
    intensity: input.intensity ?? null,
    sentiment: input.sentiment ?? null,
    value: input.value ?? null,
    comment: input.comment ?? null,
    journeyStage: input.journeyStage ?? null,
    source: input.source ?? defaultSource,
    idempotencyKey: input.idempotencyKey,
  };
}

/** Records, then publishes the score changes of the committed transaction. */
export async function record(
  ctx: CallerContext,
  writes: InteractionWrite[],
  field?: (i: number) => string,
): Promise<RecordedInteraction[]> {
  const { results, changes, backfillRunId } = await recordInteractions(
    ctx.prisma,
    ctx.caller.workspaceId,
    writes,
    field ? { field } : {},
  );
  ctx.metrics.interactionsRecorded(results.filter((r) => !r.replayed).length);
  ctx.metrics.scoresComputed('write', changes.length);
  ctx.live.publishScoreChanges(changes);
  // Interactions recorded in the past queued their history backfill: start on it.
  if (backfillRunId) ctx.rescoreRunner.kick();
  return results;
}

export const RecordedInteractionRef = builder.objectRef<RecordedInteraction>('RecordedInteraction').implement({
  description: 'An interaction as recorded, with the customer whose score it updated.',
  fields: (t) => ({
    replayed: t.exposeBoolean('replayed', {
      description: 'True when this was a retry of a write already recorded: nothing new was stored.',
    }),
    interaction: t.prismaField({
      type: 'Interaction',
      description: 'The stored interaction (the original one for a retry).',
      resolve: (query, parent, _args, ctx) =>
        ctx.prisma.interaction.findUniqueOrThrow({
          ...query,
          where: workspaceKey(callerOf(ctx).workspaceId, parent.interactionId),
        }),
    }),
    customer: t.prismaField({
      type: 'Customer',
      description: 'The customer, with its score as updated by this write.',
      resolve: (query, parent, _args, ctx) =>
        ctx.prisma.customer.findUniqueOrThrow({
          ...query,
          where: workspaceKey(callerOf(ctx).workspaceId, parent.customerId),
        }),
    }),
  }),
});

const RecordedInteractions = builder.objectRef<{ results: RecordedInteraction[] }>('RecordedInteractions').implement({
  description: 'The outcome of a batch: one result per input.',
  fields: (t) => ({
    results: t.field({
      type: [RecordedInteractionRef],
      description: 'One result per input, in input order.',
      resolve: (p) => p.results,
    }),
    recordedCount: t.int({
      description: 'Interactions newly stored.',
      resolve: (p) => p.results.filter((r) => !r.replayed).length,
    }),
    replayedCount: t.int({
      description: 'Retries of interactions already stored.',
      resolve: (p) => p.results.filter((r) => r.replayed).length,
    }),
  }),
});

builder.mutationFields((t) => ({
  recordInteraction: t.withAuth({ write: true }).field({
    type: RecordedInteractionRef,
    description:
      "Records one interaction and updates the customer's score in the same transaction (secret keys only). Refused with a ValidationError or IdempotencyConflictError.",
    errors: writeErrors,
    args: { input: t.arg({ type: RecordInteractionInput, required: true, description: 'The interaction.' }) },
    resolve: async (_root, { input }, ctx) => (await record(ctx, [toWrite(input, 'api')], () => 'input'))[0]!,
  }),
  recordInteractions: t.withAuth({ write: true }).field({
    type: RecordedInteractions,
    description:
      'Records up to 1,000 interactions in one transaction (secret keys only): all of them, or none on any error (ValidationError, IdempotencyConflictError).',
    errors: writeErrors,
    args: {
      interactions: t.arg({
        type: [RecordInteractionInput],
        required: true,
        description: 'The interactions, at most 1,000.',
      }),
    },
    resolve: async (_root, { interactions }, ctx) => ({
      results: await record(
        ctx,
        interactions.map((i) => toWrite(i, 'api')),
      ),
    }),
  }),
}));
