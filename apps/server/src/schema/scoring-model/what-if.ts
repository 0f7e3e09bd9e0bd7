// What-if: the effect of a model change on every customer's band and score, computed with the
// scoring engine over the stored interactions without applying anything.
import { ModelChangeError, previewModelChange, type WhatIfMover, type WhatIfResult } from '@pulso/core';
import { builder } from '../../builder.ts';
import { BandEnum } from '../common/enums.ts';
import { operationsOf, ScoringModelChangeInput } from './scoring-model-mutations.ts';

const BandChange = builder
  .objectRef<{ from: WhatIfMover['bandBefore']; to: WhatIfMover['bandAfter']; count: number }>('BandChange')
  .implement({
    description: 'How many customers would move from one band to another.',
    fields: (t) => ({
      from: t.field({ type: BandEnum, description: 'The band under the model in force.', resolve: (p) => p.from }),
      to: t.field({ type: BandEnum, description: 'The band under the proposed model.', resolve: (p) => p.to }),
      count: t.exposeInt('count', { description: 'Customers making this move.' }),
    }),
  });

const BandCounts = builder
  .objectRef<Record<'AT_RISK' | 'NEEDS_ATTENTION' | 'HEALTHY', number>>('BandCounts')
  .implement({
    description: 'Customers per health band.',
    fields: (t) => ({
      atRisk: t.int({ description: 'Customers in the at-risk band.', resolve: (p) => p.AT_RISK }),
      needsAttention: t.int({
        description: 'Customers in the needs-attention band.',
        resolve: (p) => p.NEEDS_ATTENTION,
      }),
      healthy: t.int({ description: 'Customers in the healthy band.', resolve: (p) => p.HEALTHY }),
    }),
  });

const Mover = builder.objectRef<WhatIfMover>('ScoreMover').implement({
  description: "One customer's score under the model in force and under the proposed one.",
  fields: (t) => ({
    customerId: t.exposeID('customerId', { description: "The customer's database id." }),
    externalId: t.exposeString('externalId', { description: "The workspace's own id for the customer." }),
    name: t.exposeString('name', { description: "The customer's display name." }),
    scoreBefore: t.exposeFloat('scoreBefore', { description: 'Score (0–100) under the model in force.' }),
    scoreAfter: t.exposeFloat('scoreAfter', { description: 'Score (0–100) under the proposed model.' }),
    change: t.float({
      description: 'scoreAfter − scoreBefore, to one decimal.',
      resolve: (p) => Math.round((p.scoreAfter - p.scoreBefore) * 10) / 10,
    }),
    bandBefore: t.field({
      type: BandEnum,
      description: 'Band under the model in force.',
      resolve: (p) => p.bandBefore,
    }),
    bandAfter: t.field({ type: BandEnum, description: 'Band under the proposed model.', resolve: (p) => p.bandAfter }),
  }),
});

export const WhatIf = builder.objectRef<WhatIfResult>('ScoringModelPreview').implement({
  description: 'Every customer scored as of one instant under the model in force and under the proposed one.',
  fields: (t) => ({
    asOf: t.expose('asOf', { type: 'DateTime', description: 'The instant every customer was scored at.' }),
    modelVersion: t.exposeInt('modelVersion', { description: 'The version the change was compared against.' }),
    customers: t.exposeInt('customers', { description: 'Customers compared.' }),
    bandChanged: t.exposeInt('bandChanged', { description: 'Customers who would change band.' }),
    improved: t.exposeInt('improved', { description: 'Of which towards healthy.' }),
    worsened: t.exposeInt('worsened', { description: 'Of which towards at risk.' }),
    bandChanges: t.field({
      type: [BandChange],
      description: 'Customers who would change band, per (from, to) pair, most frequent first.',
      resolve: (p) => p.bandChanges,
    }),
    bandsBefore: t.field({
      type: BandCounts,
      description: 'Customers per band under the model in force.',
      resolve: (p) => p.bandsBefore,
    }),
    bandsAfter: t.field({
      type: BandCounts,
      description: 'Customers per band under the proposed model.',
      resolve: (p) => p.bandsAfter,
    }),
    averageBefore: t.exposeFloat('averageBefore', {
      nullable: true,
      description: 'Average score under the model in force; null with no customers.',
    }),
    averageAfter: t.exposeFloat('averageAfter', {
      nullable: true,
      description: 'Average score under the proposed model; null with no customers.',
    }),
    movers: t.field({
      type: [Mover],
      description: 'The biggest score changes, biggest first.',
      resolve: (p) => p.movers,
    }),
  }),
});

builder.queryField('previewScoringModelChange', (t) =>
  t.withAuth({ write: true }).field({
    type: WhatIf,
    errors: {
      types: [ModelChangeError],
      directResult: true,
      union: {
        description: 'The preview (ScoringModelPreview), or a ScoringModelError when the change would be refused.',
      },
    },
    description:
      'What a model change would do, without applying it: band changes, their direction and the biggest movers. Secret keys only; an invalid change is a ScoringModelError.',
    args: {
      change: t.arg({ type: ScoringModelChangeInput, required: true, description: 'The changes to try.' }),
      movers: t.arg.int({ required: false, defaultValue: 10, description: 'How many movers to list (at most 100).' }),
      asOf: t.arg({ type: 'DateTime', required: false, description: 'The instant to score at; now by default.' }),
    },
    resolve: async (_root, args, ctx) =>
      previewModelChange(ctx.prisma, ctx.caller.workspaceId, await operationsOf(ctx, args.change), {
        movers: Math.min(Math.max(args.movers ?? 10, 0), 100),
        asOf: args.asOf ?? undefined,
      }),
  }),
);
