import { builder } from '../builder.ts';

builder.prismaObject('Workspace', {
  description: 'A company using Pulso, with its scoring settings.',
  fields: (t) => ({
    id: t.exposeID('id'),
    slug: t.exposeString('slug'),
    name: t.exposeString('name'),
    bandAtRiskMax: t.exposeInt('bandAtRiskMax', { description: 'Highest score in the at-risk band.' }),
    bandNeedsAttentionMax: t.exposeInt('bandNeedsAttentionMax', { description: 'Highest score in the needs-attention band.' }),
    decayHalfLifeDays: t.exposeFloat('decayHalfLifeDays', { description: 'Age in days at which an interaction counts half.' }),
    silenceWindowDays: t.exposeInt('silenceWindowDays', { description: 'Days without interactions after which silence costs points.' }),
    upsellEngagementMin: t.exposeFloat('upsellEngagementMin', { description: 'Engagement sub-score at which commercial interactions count in full.' }),
    scoringModelVersion: t.exposeInt('scoringModelVersion'),
    customerCount: t.relationCount('customers'),
    categories: t.relation('categories', { query: { orderBy: { key: 'asc' } } }),
    interactionTypes: t.relation('interactionTypes', { query: { orderBy: { key: 'asc' } } }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.queryField('workspace', (t) =>
  t.prismaField({
    type: 'Workspace',
    description: 'The workspace of the API key in use.',
    authScopes: { read: true },
    resolve: (query, _root, _args, ctx) => ctx.prisma.workspace.findUniqueOrThrow({ ...query, where: { id: ctx.caller!.workspaceId } }),
  }),
);
