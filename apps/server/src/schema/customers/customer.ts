import type { Customer, Interaction, Prisma } from '@pulso/database';
import { queryFromInfo } from '@pothos/plugin-prisma';
import { resolveCursorConnection, type ResolveCursorConnectionArgs } from '@pothos/plugin-relay';
import { GraphQLError, Kind } from 'graphql';
import { weightsInForce, type WeightInForce } from '@pulso/scoring';
import { createContextCache } from '@pothos/core';
import { builder } from '../../builder.ts';
import type { Context } from '../../context.ts';
import {
  customerCursor,
  customerKeyset,
  customerOrderBy,
  type CustomerOrderField,
  type Direction,
} from './customer-order.ts';
import { BandEnum, OrderDirectionEnum, WeightSourceEnum } from '../common/enums.ts';
import { databaseId, workspaceScopedWhere } from '../common/global-id.ts';
import { checkLookupSize, inAskedOrder, MAX_LOOKUP } from '../common/lookup-list.ts';
import { customerReadScopes } from '../keys/view-scopes.ts';
import { InteractionFilter, InteractionRef } from '../interactions/interaction.ts';
import { interactionCountLoader, interactionCursor, interactionPageLoader } from '../interactions/interaction-page.ts';
import { workspaceWeightsLoader } from './loaders.ts';
import { HealthScoreRef, healthScoreOf, ScoreCategoryRef } from './score.ts';
import { DAY_MS, type CategoryScore } from '@pulso/scoring';
import { withoutCursorsWhenEmpty } from '../common/cursors.ts';

const HISTORY_MAX_POINTS = 1_000;

const WeightInForceRef = builder.objectRef<WeightInForce>('WeightInForce').implement({
  description: 'A category weight as it applies to one customer now, and which level set it.',
  fields: (t) => ({
    categoryKey: t.exposeString('categoryKey', { description: 'The category key.' }),
    categoryName: t.exposeString('categoryName', { description: 'The category name, for display.' }),
    weight: t.exposeFloat('weight', { description: 'The weight in force (relative: only proportions matter).' }),
    source: t.field({
      type: WeightSourceEnum,
      description: 'The level that set it: the customer, its segment, or the workspace.',
      resolve: (w) => w.source,
    }),
    share: t.exposeFloat('share', {
      description: "The weight as a share (0–1) of all the customer's weights, before redistribution.",
    }),
  }),
});

const ScoreSnapshotRef = builder.prismaObject('ScoreSnapshot', {
  description: "A customer's score as computed at one instant: a point of its history.",
  // Only the columns asked for: a snapshot's stored breakdown is large and never shown here.
  select: { id: true },
  fields: (t) => ({
    computedAt: t.expose('computedAt', { type: 'DateTime', description: 'The instant the score was computed for.' }),
    score: t.exposeFloat('score', { description: 'The score then, 0–100.' }),
    band: t.expose('band', { type: BandEnum, description: 'The band then.' }),
    coverage: t.exposeFloat('coverage', { description: "Share (0–1) of the model's weight that had data." }),
    modelVersion: t.exposeInt('modelVersion', { description: 'The scoring model version that produced it.' }),
    categories: t.field({
      type: [ScoreCategoryRef],
      description: 'Per-category breakdown then (sub-scores, weights, contributions), in the model order.',
      select: { breakdown: true },
      resolve: (s) => (s.breakdown as { categories?: CategoryScore[] } | null)?.categories ?? [],
    }),
  }),
});

/**
 * Per request: the Prisma selection of `Customer.interactions` nodes as planned with the page of
 * customers, by the field's arguments. Two selections of the field with the same arguments but
 * different nodes (aliases) are ambiguous: `null`, and each resolver plans its own.
 */
const nodeSelections = createContextCache((_ctx: Context) => new Map<string, object | null>());

function rememberNodeSelection(ctx: Context, args: object, query: object) {
  const key = JSON.stringify(args);
  const known = nodeSelections(ctx);
  const previous = known.get(key);
  known.set(
    key,
    previous === undefined || (previous !== null && JSON.stringify(previous) === JSON.stringify(query)) ? query : null,
  );
}

/**
 * A planned query for customers without their scoring state (the tally writes keep, about 1 KB of
 * JSON a customer), which no field shows: a page of them then decodes only what it can answer.
 */
export function withoutScoringState<Q extends object>(query: Q): Q {
  return 'select' in query ? query : { ...query, omit: { scoringState: true } };
}

export const CustomerRef = builder.prismaNode('Customer', {
  description: "A customer of the workspace, known by the workspace's own id for it.",
  // The global id holds the row's id alone (the key is (workspaceId, id)): lookups add the caller's
  // workspace (findUnique below), so ids issued before the keys changed keep working.
  id: { resolve: (row) => row.id, description: 'Global id (Relay): usable with `node`, `nodes` and `customer(id:)`.' },
  // A missing id, or one of another workspace, answers null: the two are indistinguishable.
  nullable: true,
  findUnique: (id, ctx) => workspaceScopedWhere(id, ctx),
  fields: (t) => ({
    externalId: t.exposeString('externalId', { description: "The workspace's own id for this customer." }),
    name: t.exposeString('name', { description: 'Display name.' }),
    segment: t.exposeString('segment', {
      nullable: true,
      description: 'Segment (e.g. enterprise, smb): segment weights apply to it.',
    }),
    properties: t.expose('properties', {
      type: 'JSON',
      description: "Free-form attributes from the company's CRM (plan, country, owner...).",
    }),
    score: t.exposeFloat('score', {
      nullable: true,
      description: 'Current health score, 0–100; null until first computed. `health` explains it.',
    }),
    band: t.expose('band', {
      type: BandEnum,
      nullable: true,
      description: 'Current health band; null until first computed.',
    }),
    health: t.field({
      type: HealthScoreRef,
      nullable: true,
      description:
        'The current score with band, colour, coverage, trend, per-category breakdown, drivers and flags; null until first computed.',
      resolve: (customer) => healthScoreOf(customer),
    }),
    scoreBreakdown: t.expose('scoreBreakdown', {
      type: 'JSON',
      nullable: true,
      description: 'The raw explanation of the current score (a @pulso/scoring ScoreResult). Prefer `health`.',
    }),
    scoreComputedAt: t.expose('scoreComputedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the current score was computed.',
    }),
    scoreChange30d: t.exposeFloat('scoreChange30d', {
      nullable: true,
      description: 'Score now minus the score 30 days before it was computed; null without that history.',
    }),
    lastInteractionAt: t.expose('lastInteractionAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the latest interaction happened.',
    }),
    daysSinceLastInteraction: t.int({
      nullable: true,
      description: 'Whole days since the latest interaction, as of now; null when there never was one.',
      resolve: (customer) =>
        customer.lastInteractionAt ? Math.floor((Date.now() - customer.lastInteractionAt.getTime()) / DAY_MS) : null,
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When Pulso first knew the customer.' }),
    interactions: t.connection(
      {
        type: InteractionRef,
        description: 'Interactions, newest first, optionally filtered.',
        args: {
          filter: t.arg({
            type: InteractionFilter,
            required: false,
            description: 'Only the interactions matching this.',
          }),
        },
        // Planned with the page of customers, once for the whole page: the customer row needs only its
        // id, and the nodes' selection (type, category...) is kept for the resolver, whose relations
        // Pothos then maps from this plan instead of planning again for every customer.
        select: (args, ctx, nestedSelection) => {
          rememberNodeSelection(ctx, args, nestedSelection(true, ['edges', 'node']));
          return { id: true };
        },
        resolve: async (customer, args, ctx, info) => {
          const filter = args.filter ?? null;
          // The plan made with the page covers `edges { node }`; a selection of `nodes` is planned
          // here, for this customer (still one statement per page of interactions).
          const selectsNodes = info.fieldNodes.some((node) =>
            node.selectionSet?.selections.some((s) => s.kind === Kind.FIELD && s.name.value === 'nodes'),
          );
          const planned = selectsNodes ? null : nodeSelections(ctx).get(JSON.stringify(args));
          const query =
            planned ??
            queryFromInfo({
              context: ctx,
              info,
              typeName: 'Interaction',
              paths: [['nodes'], ['edges', 'node']],
            });
          const connection = await resolveCursorConnection<Promise<Interaction[]>>(
            {
              args,
              defaultSize: 20,
              maxSize: 100,
              toCursor: (interaction: Interaction) => interactionCursor(interaction),
            },
            (page) => interactionPageLoader(ctx).load({ customerId: customer.id, filter, page, query }),
          );
          // Counted only when asked for, for the whole page of customers at once.
          return {
            ...withoutCursorsWhenEmpty(connection),
            totalCount: () => interactionCountLoader(ctx).load({ customerId: customer.id, filter }),
          };
        },
      },
      {
        name: 'InteractionConnection',
        description: "A page of a customer's interactions.",
        fields: (c) => ({
          totalCount: c.int({
            description: 'How many interactions match the filter, in all pages.',
            resolve: (connection) => (connection as unknown as { totalCount: () => Promise<number> }).totalCount(),
          }),
        }),
      },
      { name: 'InteractionEdge', description: 'An interaction in a page, with its cursor.' },
    ),
    scoreHistory: t.field({
      type: [ScoreSnapshotRef],
      description: `Scores computed over a period, oldest first (at most ${HISTORY_MAX_POINTS} points: the latest ones).`,
      args: {
        from: t.arg({
          type: 'DateTime',
          required: false,
          description: 'From this instant (inclusive); default: 90 days before `to`.',
        }),
        to: t.arg({ type: 'DateTime', required: false, description: 'Until this instant (inclusive); default: now.' }),
      },
      // Loaded with the customer (one statement for a whole page); newest first, so that a long
      // period keeps its recent end, then turned around.
      select: (args, _ctx, nestedSelection) => {
        const to = args.to ?? new Date();
        const from = args.from ?? new Date(to.getTime() - 90 * DAY_MS);
        return {
          scoreSnapshots: nestedSelection({
            where: { computedAt: { gte: from, lte: to } },
            orderBy: { computedAt: 'desc' },
            take: HISTORY_MAX_POINTS,
          }),
        };
      },
      resolve: (customer) => customer.scoreSnapshots.slice().reverse(),
    }),
    weights: t.field({
      type: [WeightInForceRef],
      description:
        'The weight of each category in force for this customer now, and where it comes from (workspace, segment or customer).',
      select: { weights: { select: { categoryId: true, weight: true } } },
      resolve: async (customer, _args, ctx) => {
        const model = await workspaceWeightsLoader(ctx).load(customer.workspaceId);
        const own = new Map(customer.weights.map((w) => [w.categoryId, w.weight]));
        const segment = customer.segment ? model.segments.get(customer.segment) : undefined;
        return weightsInForce(
          model.categories,
          (category) => own.get(category.id),
          (category) => segment?.get(category.id),
        );
      },
    }),
  }),
});

export const CustomerOrderFieldEnum = builder.enumType('CustomerOrderField', {
  description: 'What to sort customers by. Every ordering ends with the id, so pages are stable.',
  values: {
    SCORE: { description: 'Current score (customers not scored yet come last).' },
    NAME: { description: 'Name.' },
    LAST_INTERACTION: { description: 'Latest interaction (customers who never interacted come last).' },
    SCORE_CHANGE_30D: { description: 'Score change over 30 days (customers without that history come last).' },
    CREATED: { description: 'When Pulso first knew the customer.' },
  } as const,
});

export const CustomerOrder = builder.inputType('CustomerOrder', {
  description: 'An ordering of customers.',
  fields: (t) => ({
    field: t.field({ type: CustomerOrderFieldEnum, required: true, description: 'What to sort by.' }),
    direction: t.field({
      type: OrderDirectionEnum,
      required: false,
      defaultValue: 'ASC',
      description: 'Ascending (default) or descending.',
    }),
  }),
});

export const CustomerFilter = builder.inputType('CustomerFilter', {
  description: 'Narrows the customers listed. Every criterion given must hold.',
  fields: (t) => ({
    band: t.field({ type: BandEnum, required: false, description: 'Only customers in this band.' }),
    bands: t.field({ type: [BandEnum], required: false, description: 'Only customers in one of these bands.' }),
    segment: t.string({ required: false, description: 'Only customers of this segment.' }),
    minScore: t.float({ required: false, description: 'Only customers scoring at least this (0–100).' }),
    maxScore: t.float({ required: false, description: 'Only customers scoring at most this (0–100).' }),
    search: t.string({ required: false, description: 'Text found in the name or the external id, ignoring case.' }),
    churned: t.boolean({
      required: false,
      description:
        'true: only churned customers (`churnedAt` set); false: only active ones, as the at-risk list and `statistics` count them. Unset: both.',
    }),
    silentForMoreThanDays: t.int({
      required: false,
      description: 'Only customers whose latest interaction is more than this many days old, or who never interacted.',
    }),
  }),
});

export function customerWhere(
  workspaceId: string,
  filter: typeof CustomerFilter.$inferInput | null | undefined,
): Prisma.CustomerWhereInput {
  const and: Prisma.CustomerWhereInput[] = [{ workspaceId }];
  if (!filter) return and[0]!;
  if (filter.band) and.push({ band: filter.band });
  if (filter.bands) and.push({ band: { in: filter.bands } });
  if (filter.segment != null) and.push({ segment: filter.segment });
  if (filter.minScore != null) and.push({ score: { gte: filter.minScore } });
  if (filter.maxScore != null) and.push({ score: { lte: filter.maxScore } });
  if (filter.churned != null) and.push({ churnedAt: filter.churned ? { not: null } : null });
  const search = filter.search?.trim();
  if (search) {
    and.push({
      OR: [
        { name: { contains: search, mode: 'insensitive' } },
        { externalId: { contains: search, mode: 'insensitive' } },
      ],
    });
  }
  if (filter.silentForMoreThanDays != null) {
    if (filter.silentForMoreThanDays < 0) {
      throw new GraphQLError('silentForMoreThanDays must be 0 or more', { extensions: { code: 'BAD_USER_INPUT' } });
    }
    const before = new Date(Date.now() - filter.silentForMoreThanDays * DAY_MS);
    and.push({ OR: [{ lastInteractionAt: null }, { lastInteractionAt: { lt: before } }] });
  }
  return { AND: and };
}

function pageOfCustomers(
  ctx: Context,
  query: object,
  where: Prisma.CustomerWhereInput,
  field: CustomerOrderField,
  direction: Direction,
  { before, after, limit, inverted }: ResolveCursorConnectionArgs,
): Promise<Customer[]> {
  const bounds: Prisma.CustomerWhereInput[] = [where];
  if (after) bounds.push(customerKeyset(field, direction, after, 'after'));
  if (before) bounds.push(customerKeyset(field, direction, before, 'before'));
  return ctx.prisma.customer.findMany({
    ...withoutScoringState(query),
    where: { AND: bounds },
    orderBy: customerOrderBy(field, direction, inverted),
    take: limit,
  }) as Promise<Customer[]>;
}

builder.queryFields((t) => ({
  customers: t.withAuth({ read: true }).connection(
    {
      type: CustomerRef,
      description: 'Customers of the workspace, filtered and ordered (by name unless told otherwise).',
      args: {
        filter: t.arg({ type: CustomerFilter, required: false, description: 'Only the customers matching this.' }),
        orderBy: t.arg({
          type: CustomerOrder,
          required: false,
          description: 'The ordering; default by name, ascending.',
        }),
      },
      resolve: async (_root, args, ctx, info) => {
        const where = customerWhere(ctx.caller.workspaceId, args.filter);
        const field = (args.orderBy?.field ?? 'NAME') as CustomerOrderField;
        const direction = (args.orderBy?.direction ?? 'ASC') as Direction;
        const query = queryFromInfo({
          context: ctx,
          info,
          typeName: 'Customer',
          paths: [['nodes'], ['edges', 'node']],
        });
        const connection = await resolveCursorConnection<Promise<Customer[]>>(
          { args, defaultSize: 20, maxSize: 100, toCursor: (customer: Customer) => customerCursor(field, customer) },
          (page) => pageOfCustomers(ctx, query, where, field, direction, page),
        );
        // Counted only when asked for.
        return { ...withoutCursorsWhenEmpty(connection), totalCount: () => ctx.prisma.customer.count({ where }) };
      },
    },
    {
      name: 'CustomerConnection',
      description: 'A page of customers.',
      fields: (c) => ({
        totalCount: c.int({
          description: 'How many customers match the filter, in all pages.',
          resolve: (connection) => (connection as unknown as { totalCount: () => Promise<number> }).totalCount(),
        }),
      }),
    },
    { name: 'CustomerEdge', description: 'A customer in a page, with its cursor.' },
  ),
  customer: t
    .withAuth((_root, args, ctx) => customerReadScopes(args, ctx))
    .prismaField({
      type: 'Customer',
      nullable: true,
      description: "One customer, by its id (global, or Pulso's bare uuid) or by the workspace's own external id.",
      args: {
        id: t.arg.id({ required: false, description: 'The customer id, as returned by `Customer.id`.' }),
        externalId: t.arg.string({ required: false, description: "The workspace's own id for the customer." }),
      },
      resolve: (query, _root, args, ctx) => {
        const workspaceId = ctx.caller.workspaceId;
        if ((args.id == null) === (args.externalId == null)) {
          throw new GraphQLError('customer needs exactly one of id or externalId', {
            extensions: { code: 'BAD_USER_INPUT' },
          });
        }
        if (args.id != null) {
          const id = databaseId(String(args.id), 'Customer');
          if (!id) return null;
          return ctx.prisma.customer.findFirst({ ...query, where: { id, workspaceId } });
        }
        return ctx.prisma.customer.findUnique({
          ...query,
          where: { workspaceId_externalId: { workspaceId, externalId: args.externalId! } },
        });
      },
    }),
  customersByExternalId: t.withAuth({ read: true }).prismaField({
    type: ['Customer'],
    nullable: { list: false, items: true },
    description: `Several customers by the workspace's own external ids (at most ${MAX_LOOKUP}), in the order asked, null for each unknown one: what of a batch about to be written exists already. Secret and read-only keys.`,
    args: {
      externalIds: t.arg.stringList({ required: true, description: `External ids, ${MAX_LOOKUP} at most.` }),
    },
    resolve: async (query, _root, { externalIds }, ctx) => {
      checkLookupSize('customersByExternalId', 'externalIds', externalIds);
      const rows = await ctx.prisma.customer.findMany({
        ...query,
        where: { workspaceId: ctx.caller.workspaceId, externalId: { in: externalIds } },
      });
      return inAskedOrder(externalIds, rows, (c) => c.externalId);
    },
  }),
}));
