import { builder } from '../builder.ts';
import { SentimentHandlingEnum, ValueScaleEnum } from './enums.ts';

builder.prismaObject('Category', {
  description: 'A group of interaction types with a weight in the overall score.',
  fields: (t) => ({
    id: t.exposeID('id'),
    key: t.exposeString('key'),
    name: t.exposeString('name'),
    description: t.exposeString('description', { nullable: true }),
    weight: t.exposeFloat('weight', { description: 'Workspace-wide weight; only proportions matter.' }),
    isEngagement: t.exposeBoolean('isEngagement'),
  }),
});

builder.prismaObject('InteractionType', {
  description: 'A kind of interaction, in a category, with its base points.',
  fields: (t) => ({
    id: t.exposeID('id'),
    key: t.exposeString('key'),
    name: t.exposeString('name'),
    basePoints: t.exposeFloat('basePoints'),
    sentimentHandling: t.expose('sentimentHandling', { type: SentimentHandlingEnum }),
    valueScale: t.expose('valueScale', { type: ValueScaleEnum, nullable: true }),
    requiresEngagement: t.exposeBoolean('requiresEngagement'),
    category: t.relation('category'),
  }),
});
