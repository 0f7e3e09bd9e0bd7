// What-if: the effect of a model change on every customer's band and score, computed with the
// scoring engine over the stored interactions without applying anything.
import { ModelChangeError, previewModelChange, type WhatIfMover, type WhatIfResult } from '@pulso/workspaces';
import { builder } from '../builder.ts';
import { BandEnum } from './enums.ts';
import { operationsOf, ScoringModelChangeInput } from './scoring-model-mutations.ts';

const BandChange = builder.objectRef<{ from: WhatIfMover['bandBefore']; to: WhatIfMover['bandAfter']; count: number }>('BandChange').implement({
  fields: (t) => ({
    from: t.field({ type: BandEnum, resolve: (p) => p.from }),
    to: t.field({ type: BandEnum, resolve: (p) => p.to }),
    count: t.exposeInt('count'),
  }),
});

const BandCounts = builder.objectRef<Record<'AT_RISK' | 'NEEDS_ATTENTION' | 'HEALTHY', number>>('BandCounts').implement({
  fields: (t) => ({
    atRisk: t.int({ resolve: (p) => p.AT_RISK }),
    needsAttention: t.int({ resolve: (p) => p.NEEDS_ATTENTION }),
    healthy: t.int({ resolve: (p) => p.HEALTHY }),
  }),
});

const Mover = builder.objectRef<WhatIfMover>('ScoreMover').implement({
  fields: (t) => ({
    customerId: t.exposeID('customerId'),
    externalId: t.exposeString('externalId'),
    name: t.exposeString('name'),
    scoreBefore: t.exposeFloat('scoreBefore'),
    scoreAfter: t.exposeFloat('scoreAfter'),
    change: t.float({ resolve: (p) => Math.round((p.scoreAfter - p.scoreBefore) * 10) / 10 }),
    bandBefore: t.field({ type: BandEnum, resolve: (p) => p.bandBefore }),
    bandAfter: t.field({ type: BandEnum, resolve: (p) => p.bandAfter }),
  }),
});

const WhatIf = builder.objectRef<WhatIfResult>('ScoringModelPreview').implement({
  description: 'Every customer scored as of one instant under the model in force and under the proposed one.',
  fields: (t) => ({
    asOf: t.expose('asOf', { type: 'DateTime' }),
    modelVersion: t.exposeInt('modelVersion', { description: 'The version the change was compared against.' }),
    customers: t.exposeInt('customers'),
    bandChanged: t.exposeInt('bandChanged', { description: 'Customers who would change band.' }),
    improved: t.exposeInt('improved', { description: 'Of which towards healthy.' }),
    worsened: t.exposeInt('worsened', { description: 'Of which towards at risk.' }),
    bandChanges: t.field({ type: [BandChange], resolve: (p) => p.bandChanges }),
    bandsBefore: t.field({ type: BandCounts, resolve: (p) => p.bandsBefore }),
    bandsAfter: t.field({ type: BandCounts, resolve: (p) => p.bandsAfter }),
    averageBefore: t.exposeFloat('averageBefore', { nullable: true }),
    averageAfter: t.exposeFloat('averageAfter', { nullable: true }),
    movers: t.field({ type: [Mover], description: 'The biggest score changes, biggest first.', resolve: (p) => p.movers }),
  }),
});

builder.queryField('previewScoringModelChange', (t) =>
  t.field({
    type: WhatIf,
    errors: { types: [ModelChangeError], directResult: true },
    description: 'What a model change would do, without applying it: band changes, their direction and the biggest movers.',
    authScopes: { write: true },
    args: {
      change: t.arg({ type: ScoringModelChangeInput, required: true }),
      movers: t.arg.int({ required: false, defaultValue: 10, description: 'How many movers to list (at most 100).' }),
      asOf: t.arg({ type: 'DateTime', required: false, description: 'The instant to score at; now by default.' }),
    },
    resolve: async (_root, args, ctx) =>
      previewModelChange(ctx.prisma, ctx.caller!.workspaceId, await operationsOf(ctx, args.change), {
        movers: Math.min(Math.max(args.movers ?? 10, 0), 100),
        asOf: args.asOf ?? undefined,
      }),
  }),
);
