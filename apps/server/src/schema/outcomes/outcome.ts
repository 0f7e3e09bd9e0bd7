// Customer outcomes — churned, renewed, downgraded, expanded, reactivated — recorded by a backend
// or the importer, shown on the customer, and the labels that model evaluation measures scores
// against. Writes follow recordInteraction's contract (idempotency keys, batches all or nothing,
// typed errors); the rules live in @pulso/core (outcomes/record-outcomes.ts).
import { type OutcomeWrite, type RecordedOutcome, recordOutcomes } from '@pulso/core';
import { builder } from '../../builder.ts';
import { callerOf, type CallerContext } from '../../context.ts';
import { databaseId } from '../common/global-id.ts';
import { checkLookupSize, inAskedOrder, MAX_LOOKUP } from '../common/lookup-list.ts';
import { writeErrors } from '../common/write-errors.ts';
import { CustomerRefInput } from '../interactions/record-interaction.ts';
import { workspaceKey } from '@pulso/database';

export const OutcomeKindEnum = builder.enumType('OutcomeKind', {
  description: "What happened to a customer's contract.",
  values: {
    CHURNED: { description: 'The customer left (give `voluntary` and a `reason` when known).' },
    RENEWED: { description: 'The contract was renewed.' },
    DOWNGRADED: { description: 'The customer moved to a smaller plan, fewer seats or dropped an add-on.' },
    EXPANDED: { description: 'The customer moved to a larger plan, more seats or added a product.' },
    REACTIVATED: {
      description:
        'A churned customer came back: its churn no longer applies. Refused (ValidationError, NOT_CHURNED on `kind`) for a customer with no churn recorded at or before it.',
    },
  } as const,
});

builder.prismaObject('CustomerOutcome', {
  description:
    'A lifecycle event of a customer. Outcomes never change a score: they are what scores are judged against.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Pulso id of the outcome.' }),
    kind: t.expose('kind', { type: OutcomeKindEnum, description: 'What happened.' }),
    occurredAt: t.expose('occurredAt', { type: 'DateTime', description: 'When it happened.' }),
    reason: t.exposeString('reason', { nullable: true, description: 'Why, in your own words.' }),
    voluntary: t.exposeBoolean('voluntary', {
      nullable: true,
      description: 'Churns only: whether the customer chose to leave; null when not known.',
    }),
    source: t.exposeString('source', { nullable: true, description: 'Where it came from (`api`, `import`...).' }),
    customer: t.relation('customer', { description: 'The customer it happened to.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When Pulso recorded it.' }),
  }),
});

builder.prismaObjectFields('Customer', (t) => ({
  churnedAt: t.expose('churnedAt', {
    type: 'DateTime',
    nullable: true,
    authScopes: { read: true },
    description:
      'When the customer churned, while its latest churn or reactivation is a churn; null for an active customer. Churned customers leave the at-risk list, the scheduled rescoring and live events, and keep their history.',
  }),
  outcomes: t.relatedConnection(
    'outcomes',
    {
      cursor: 'workspaceId_id',
      totalCount: true,
      authScopes: { read: true },
      description: 'Lifecycle events of the customer, latest first.',
      query: () => ({ orderBy: [{ occurredAt: 'desc' }, { id: 'desc' }] }),
    },
    {
      name: 'CustomerOutcomeConnection',
      description: 'A page of customer outcomes.',
      // The plugin's own totalCount field, given a description (it would otherwise have none).
      fields: (c) => ({
        totalCount: c.int({
          description: 'How many outcomes the customer has in all.',
          extensions: { pothosPrismaTotalCount: true },
          resolve: (parent) => (parent as unknown as { totalCount: number }).totalCount,
        }),
      }),
    },
    { name: 'CustomerOutcomeEdge', description: 'A customer outcome in a page, with its cursor.' },
  ),
}));

const RecordOutcomeInput = builder.inputType('RecordOutcomeInput', {
  description: 'One lifecycle event to record: who, what, when and why.',
  fields: (t) => ({
    customer: t.field({ type: CustomerRefInput, required: true, description: 'The customer it concerns.' }),
    kind: t.field({ type: OutcomeKindEnum, required: true, description: 'What happened.' }),
    occurredAt: t.field({
      type: 'DateTime',
      required: false,
      description: 'When it happened (default now); never in the future.',
    }),
    reason: t.string({ required: false, description: 'Why, in your own words (1–2,000 characters).' }),
    voluntary: t.boolean({ required: false, description: 'Churns only: whether the customer chose to leave.' }),
    source: t.string({ required: false, description: 'Where it came from (default `api`).' }),
    idempotencyKey: t.string({
      required: true,
      description:
        'Your key for this write (1–200 characters). A retry with the same key and content returns the original; other content is refused.',
    }),
  }),
});

function toWrite(input: typeof RecordOutcomeInput.$inferInput): OutcomeWrite {
  const rawId = input.customer.id == null ? null : String(input.customer.id);
  return {
    customer: {
      id: rawId == null ? null : (databaseId(rawId, 'Customer') ?? rawId),
      externalId: input.customer.externalId ?? null,
      name: input.customer.name ?? null,
    },
    kind: input.kind,
    occurredAt: input.occurredAt ?? null,
    reason: input.reason ?? null,
    voluntary: input.voluntary ?? null,
    source: input.source ?? 'api',
    idempotencyKey: input.idempotencyKey,
  };
}

async function record(ctx: CallerContext, writes: OutcomeWrite[], field?: (i: number) => string) {
  const { results } = await recordOutcomes(ctx.prisma, ctx.caller.workspaceId, writes, field ? { field } : {});
  return results;
}

const RecordedOutcomeRef = builder.objectRef<RecordedOutcome>('RecordedOutcome').implement({
  description: 'An outcome as recorded, with its customer.',
  fields: (t) => ({
    replayed: t.exposeBoolean('replayed', {
      description: 'True when this was a retry of a write already recorded: nothing new was stored.',
    }),
    outcome: t.prismaField({
      type: 'CustomerOutcome',
      description: 'The stored outcome (the original one for a retry).',
      resolve: (query, parent, _args, ctx) =>
        ctx.prisma.customerOutcome.findUniqueOrThrow({
          ...query,
          where: workspaceKey(callerOf(ctx).workspaceId, parent.outcomeId),
        }),
    }),
    customer: t.prismaField({
      type: 'Customer',
      description: 'The customer, with its churn state as updated by this write.',
      resolve: (query, parent, _args, ctx) =>
        ctx.prisma.customer.findUniqueOrThrow({
          ...query,
          where: workspaceKey(callerOf(ctx).workspaceId, parent.customerId),
        }),
    }),
  }),
});

const RecordedOutcomes = builder.objectRef<{ results: RecordedOutcome[] }>('RecordedOutcomes').implement({
  description: 'The result of a batch of outcomes: one result per input.',
  fields: (t) => ({
    results: t.field({
      type: [RecordedOutcomeRef],
      description: 'One result per input, in input order.',
      resolve: (p) => p.results,
    }),
    recordedCount: t.int({
      description: 'Outcomes newly stored.',
      resolve: (p) => p.results.filter((r) => !r.replayed).length,
    }),
    replayedCount: t.int({
      description: 'Retries of outcomes already stored.',
      resolve: (p) => p.results.filter((r) => r.replayed).length,
    }),
  }),
});

builder.mutationFields((t) => ({
  recordOutcome: t.withAuth({ write: true }).field({
    type: RecordedOutcomeRef,
    description:
      'Records one lifecycle event of a customer (secret keys only). A churn takes the customer out of the at-risk list and live events; a reactivation brings it back. Refused with a ValidationError or IdempotencyConflictError.',
    errors: writeErrors,
    args: { input: t.arg({ type: RecordOutcomeInput, required: true, description: 'The outcome.' }) },
    resolve: async (_root, { input }, ctx) => (await record(ctx, [toWrite(input)], () => 'input'))[0]!,
  }),
  recordOutcomes: t.withAuth({ write: true }).field({
    type: RecordedOutcomes,
    description:
      'Records up to 1,000 lifecycle events in one transaction (secret keys only): all of them, or none on any error.',
    errors: writeErrors,
    args: {
      outcomes: t.arg({ type: [RecordOutcomeInput], required: true, description: 'The outcomes, at most 1,000.' }),
    },
    resolve: async (_root, { outcomes }, ctx) => ({ results: await record(ctx, outcomes.map(toWrite)) }),
  }),
}));

builder.queryFields((t) => ({
  outcomesByIdempotencyKey: t.withAuth({ read: true }).prismaField({
    type: ['CustomerOutcome'],
    nullable: { list: false, items: true },
    description: `Outcomes by the idempotency keys they were recorded with (at most ${MAX_LOOKUP}), in the order asked, null for each key not stored. Secret and read-only keys.`,
    args: { keys: t.arg.stringList({ required: true, description: `Idempotency keys, ${MAX_LOOKUP} at most.` }) },
    resolve: async (query, _root, { keys }, ctx) => {
      checkLookupSize('outcomesByIdempotencyKey', 'keys', keys);
      const rows = await ctx.prisma.customerOutcome.findMany({
        ...query,
        where: { workspaceId: ctx.caller.workspaceId, idempotencyKey: { in: keys } },
      });
      return inAskedOrder(keys, rows, (o) => o.idempotencyKey);
    },
  }),
}));
