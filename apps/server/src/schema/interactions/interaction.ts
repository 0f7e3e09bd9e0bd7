import type { InteractionType } from '@pulso/database';
import { builder } from '../../builder.ts';
import { interactionTypeLoader } from '../scoring-model/model-loaders.ts';
import { InteractionTypeRef } from '../scoring-model/scoring-model.ts';
import { JourneyStageEnum, SentimentEnum } from '../common/enums.ts';
import { workspaceScopedWhere } from '../common/global-id.ts';
import { checkLookupSize, inAskedOrder, MAX_LOOKUP } from '../common/lookup-list.ts';

export const InteractionRef = builder.prismaNode('Interaction', {
  description: 'One touchpoint with a customer.',
  // The global id holds the row's id alone (the key is (workspaceId, id)): lookups add the caller's
  // workspace (findUnique below), so ids issued before the keys changed keep working.
  id: { resolve: (row) => row.id, description: 'Global id (Relay): usable with `node` and `nodes`.' },
  // A missing id, or one of another workspace, answers null: the two are indistinguishable.
  nullable: true,
  findUnique: (id, ctx) => workspaceScopedWhere(id, ctx),
  fields: (t) => ({
    type: t.field({
      type: InteractionTypeRef,
      description: 'What kind of interaction it was.',
      // Loaded with the interaction by its page (interaction-page.ts), else batched by id.
      resolve: (i, _args, ctx) => (i as { type?: InteractionType }).type ?? interactionTypeLoader(ctx).load(i.typeId),
    }),
    customer: t.relation('customer', { description: 'The customer it concerns.' }),
    occurredAt: t.expose('occurredAt', { type: 'DateTime', description: 'When it happened.' }),
    intensity: t.exposeFloat('intensity', { description: '1 for a plain touch; more for a richer one.' }),
    sentiment: t.expose('sentiment', {
      type: SentimentEnum,
      nullable: true,
      description: 'How the customer felt, if said.',
    }),
    value: t.exposeFloat('value', { nullable: true, description: 'The survey answer: NPS 0–10, CSAT 1–5, CES 1–7.' }),
    comment: t.exposeString('comment', { nullable: true, description: "The customer's own words, if any." }),
    journeyStage: t.expose('journeyStage', {
      type: JourneyStageEnum,
      nullable: true,
      description: 'Where in the journey it happened.',
    }),
    source: t.exposeString('source', {
      nullable: true,
      description: 'Where it came from: `api`, `widget`, `import:hubspot.csv`...',
    }),
    idempotencyKey: t.exposeString('idempotencyKey', {
      nullable: true,
      description: "The client's key for the write that recorded it.",
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When Pulso recorded it.' }),
  }),
});

export const InteractionFilter = builder.inputType('InteractionFilter', {
  description: 'Narrows a list of interactions. Every criterion given must hold; a list matches any of its values.',
  fields: (t) => ({
    typeKeys: t.stringList({ required: false, description: 'Only these interaction types (by key: meeting, nps...).' }),
    categoryKeys: t.stringList({
      required: false,
      description: 'Only types of these categories (by key: engagement, support...).',
    }),
    sentiments: t.field({ type: [SentimentEnum], required: false, description: 'Only these sentiments.' }),
    journeyStages: t.field({ type: [JourneyStageEnum], required: false, description: 'Only these journey stages.' }),
    occurredAfter: t.field({
      type: 'DateTime',
      required: false,
      description: 'Only interactions at or after this instant.',
    }),
    occurredBefore: t.field({
      type: 'DateTime',
      required: false,
      description: 'Only interactions before this instant.',
    }),
  }),
});

builder.queryFields((t) => ({
  interactionsByIdempotencyKey: t.withAuth({ read: true }).prismaField({
    type: ['Interaction'],
    nullable: { list: false, items: true },
    description: `Interactions by the idempotency keys they were recorded with (at most ${MAX_LOOKUP}), in the order asked, null for each key not stored: what of a batch is stored already (an importer resuming, a client unsure a write landed). Secret and read-only keys.`,
    args: { keys: t.arg.stringList({ required: true, description: `Idempotency keys, ${MAX_LOOKUP} at most.` }) },
    resolve: async (query, _root, { keys }, ctx) => {
      checkLookupSize('interactionsByIdempotencyKey', 'keys', keys);
      const rows = await ctx.prisma.interaction.findMany({
        ...query,
        where: { workspaceId: ctx.caller.workspaceId, idempotencyKey: { in: keys } },
      });
      return inAskedOrder(keys, rows, (i) => i.idempotencyKey);
    },
  }),
}));
