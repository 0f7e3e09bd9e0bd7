// The scoring model as the API shows it: categories and their weights, interaction types, segment
// and customer weight overrides, band thresholds, decay and silence settings, and its version.
import type { Band as BandKey, Category } from '@pulso/database';
import { categoryNamesList } from '@pulso/core';
import { CategoryNameRef } from './category-names.ts';
import { categoryLoader } from './model-loaders.ts';
import { builder } from '../../builder.ts';
import { BandEnum, SentimentHandlingEnum, ValueScaleEnum } from '../common/enums.ts';
import { workspaceWeightsLoader } from '../customers/loaders.ts';
import { BAND_INFO } from '../customers/score.ts';

export const CategoryRef = builder.prismaObject('Category', {
  description: 'A group of interaction types with a weight in the overall score.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Pulso id of the category.' }),
    key: t.exposeString('key', { description: 'Stable key (engagement, support...), used in filters and weights.' }),
    name: t.exposeString('name', { description: 'Name for display.' }),
    names: t.field({
      type: [CategoryNameRef],
      description: 'Its names in other languages, by tag; widgets shown in any other language show `name`.',
      resolve: (category) => categoryNamesList(category.names),
    }),
    description: t.exposeString('description', { nullable: true, description: 'What the category measures.' }),
    weight: t.exposeFloat('weight', { description: 'Workspace-wide weight; only proportions matter.' }),
    share: t.float({
      description: "The workspace weight as a share (0–1) of all categories' workspace weights.",
      resolve: async (category, _args, ctx) => {
        const { categories } = await workspaceWeightsLoader(ctx).load(category.workspaceId);
        const total = categories.reduce((sum, c) => sum + c.weight, 0);
        return total > 0 ? Math.round((category.weight / total) * 10_000) / 10_000 : 0;
      },
    }),
    isEngagement: t.exposeBoolean('isEngagement', {
      description: 'Whether its sub-score backs commercial interactions (upsells, renewals).',
    }),
    measuresActivity: t.exposeBoolean('measuresActivity', {
      description:
        "Formula 2: whether its plain touches are activity, read against the customer's own level and peers.",
    }),
  }),
});

export const InteractionTypeRef = builder.prismaObject('InteractionType', {
  description: 'A kind of interaction, in a category, with its base points.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Pulso id of the interaction type.' }),
    key: t.exposeString('key', {
      description: 'Stable key (email, meeting, nps...), used when recording interactions.',
    }),
    name: t.exposeString('name', { description: 'Name for display.' }),
    basePoints: t.exposeFloat('basePoints', {
      description: 'Points of a plain touch before sentiment, intensity and decay.',
    }),
    sentimentHandling: t.expose('sentimentHandling', {
      type: SentimentHandlingEnum,
      description: 'How sentiment or the answer signs the points.',
    }),
    valueScale: t.expose('valueScale', {
      type: ValueScaleEnum,
      nullable: true,
      description: 'The survey scale, for types whose answer decides.',
    }),
    requiresEngagement: t.exposeBoolean('requiresEngagement', {
      description: 'Counts only as far as engagement backs it (purchases, renewals, upsells).',
    }),
    category: t.field({
      type: CategoryRef,
      description: 'The category it counts in.',
      // Loaded with the type by an interaction page, else batched by id (model-loaders.ts).
      resolve: (type, _args, ctx) =>
        (type as { category?: Category }).category ?? categoryLoader(ctx).load(type.categoryId),
    }),
  }),
});

builder.prismaObject('SegmentWeight', {
  description: "A category weight for every customer of one segment, overriding the workspace's.",
  fields: (t) => ({
    segment: t.exposeString('segment', { description: 'The segment it applies to.' }),
    category: t.relation('category', { description: 'The category it weighs.' }),
    weight: t.exposeFloat('weight', { description: 'The weight (relative: only proportions matter).' }),
  }),
});

builder.prismaObject('CustomerWeight', {
  description: "A category weight for one customer, overriding its segment's and the workspace's.",
  fields: (t) => ({
    customer: t.relation('customer', { description: 'The customer it applies to.' }),
    category: t.relation('category', { description: 'The category it weighs.' }),
    weight: t.exposeFloat('weight', { description: 'The weight (relative: only proportions matter).' }),
  }),
});

interface BandDefinition {
  band: BandKey;
  above: number | null;
  upTo: number;
}

const BandDefinitionRef = builder.objectRef<BandDefinition>('BandDefinition').implement({
  description: 'A band with its score range (inclusive) and how dashboards show it.',
  fields: (t) => ({
    band: t.field({ type: BandEnum, description: 'The band.', resolve: (b) => b.band }),
    label: t.string({ description: 'The band in words.', resolve: (b) => BAND_INFO[b.band].label }),
    colour: t.string({ description: 'Its colour, as #rrggbb.', resolve: (b) => BAND_INFO[b.band].color }),
    above: t.exposeFloat('above', {
      nullable: true,
      description: 'The band holds scores above this (exclusive); null for the lowest band, which starts at 0.',
    }),
    upTo: t.exposeFloat('upTo', { description: 'The band holds scores up to this (inclusive).' }),
  }),
});

export const ScoringModelRef = builder.prismaObject('Workspace', {
  variant: 'ScoringModel',
  description: "The workspace's scoring model in force: what turns interactions into scores.",
  fields: (t) => ({
    version: t.exposeInt('scoringModelVersion', {
      description: 'The version in force; every applied change creates a new one.',
    }),
    bandAtRiskMax: t.exposeInt('bandAtRiskMax', { description: 'Highest score in the at-risk band.' }),
    bandNeedsAttentionMax: t.exposeInt('bandNeedsAttentionMax', {
      description: 'Highest score in the needs-attention band; above is healthy.',
    }),
    bands: t.field({
      type: [BandDefinitionRef],
      description: 'The three bands with their ranges, worst first.',
      resolve: (w): BandDefinition[] => [
        { band: 'AT_RISK', above: null, upTo: w.bandAtRiskMax },
        { band: 'NEEDS_ATTENTION', above: w.bandAtRiskMax, upTo: w.bandNeedsAttentionMax },
        { band: 'HEALTHY', above: w.bandNeedsAttentionMax, upTo: 100 },
      ],
    }),
    decayHalfLifeDays: t.exposeFloat('decayHalfLifeDays', {
      description: 'Age in days at which an interaction counts half.',
    }),
    silenceWindowDays: t.exposeInt('silenceWindowDays', {
      description: 'Days without a positive interaction after which silence costs points.',
    }),
    upsellEngagementMin: t.exposeFloat('upsellEngagementMin', {
      description: 'Engagement sub-score at which commercial interactions count in full.',
    }),
    formula: t.exposeInt('scoringFormula', {
      description:
        'Which formula scores the model: 1 (net points per category) or 2 (activity against peers and own level).',
    }),
    categories: t.relation('categories', {
      description: 'Categories with their workspace weights, by key.',
      query: { orderBy: { key: 'asc' } },
    }),
    interactionTypes: t.relation('interactionTypes', {
      description: 'Interaction types, by key.',
      query: { orderBy: { key: 'asc' } },
    }),
    segmentWeights: t.relation('segmentWeights', {
      description: 'Weights overridden for whole segments.',
      query: { orderBy: [{ segment: 'asc' }, { categoryId: 'asc' }] },
    }),
    customerWeights: t.prismaField({
      type: ['CustomerWeight'],
      description: 'Weights overridden for single customers.',
      resolve: (query, workspace, _args, ctx) =>
        ctx.prisma.customerWeight.findMany({
          ...query,
          where: { customer: { workspaceId: workspace.id } },
          orderBy: [{ customerId: 'asc' }, { categoryId: 'asc' }],
        }),
    }),
  }),
});

builder.queryField('scoringModel', (t) =>
  t.withAuth({ read: true }).prismaField({
    type: ScoringModelRef,
    description: "The scoring model of the API key's workspace.",
    resolve: (query, _root, _args, ctx) =>
      ctx.prisma.workspace.findUniqueOrThrow({ ...query, where: { id: ctx.caller.workspaceId } }),
  }),
);
