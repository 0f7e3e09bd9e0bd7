import { builder } from '../../builder.ts';

builder.prismaObject('Workspace', {
  description: 'A company using Pulso, with its scoring settings.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Pulso id of the workspace.' }),
    slug: t.exposeString('slug', { description: 'Short unique name, used in URLs.' }),
    name: t.exposeString('name', { description: 'Name for display.' }),
    bandAtRiskMax: t.exposeInt('bandAtRiskMax', { description: 'Highest score in the at-risk band.' }),
    bandNeedsAttentionMax: t.exposeInt('bandNeedsAttentionMax', {
      description: 'Highest score in the needs-attention band.',
    }),
    decayHalfLifeDays: t.exposeFloat('decayHalfLifeDays', {
      description: 'Age in days at which an interaction counts half.',
    }),
    silenceWindowDays: t.exposeInt('silenceWindowDays', {
      description: 'Days without interactions after which silence costs points.',
    }),
    upsellEngagementMin: t.exposeFloat('upsellEngagementMin', {
      description: 'Engagement sub-score at which commercial interactions count in full.',
    }),
    scoringModelVersion: t.exposeInt('scoringModelVersion', {
      description: 'The scoring model version in force (see `scoringModel`).',
    }),
    customerCount: t.relationCount('customers', {
      description:
        'How many customers the workspace has, churned ones included (`statistics.customerCount` counts the active ones).',
    }),
    categories: t.relation('categories', { description: 'Categories, by key.', query: { orderBy: { key: 'asc' } } }),
    interactionTypes: t.relation('interactionTypes', {
      description: 'Interaction types, by key.',
      query: { orderBy: { key: 'asc' } },
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the workspace was created.' }),
  }),
});

builder.queryField('workspace', (t) =>
  t.withAuth({ read: true }).prismaField({
    type: 'Workspace',
    description: 'The workspace of the API key in use.',
    resolve: (query, _root, _args, ctx) =>
      ctx.prisma.workspace.findUniqueOrThrow({ ...query, where: { id: ctx.caller.workspaceId } }),
  }),
);
