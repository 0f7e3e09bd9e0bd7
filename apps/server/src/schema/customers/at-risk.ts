// The customers most in need of action, worst first, each with why: the main reason in a word and
// a sentence, drawn from the stored explanation of its score by the engine's at-risk rules.
import type { Customer } from '@pulso/database';
import { queryFromInfo } from '@pothos/plugin-prisma';
import { resolveOffsetConnection } from '@pothos/plugin-relay';
import { atRiskReasons, DAY_MS, STEEP_DROP, type AtRiskReason, type ScoreResult } from '@pulso/scoring';
import { GraphQLError } from 'graphql';
import { builder } from '../../builder.ts';
import { parseOffsetCursor, withoutCursorsWhenEmpty } from '../common/cursors.ts';
import { messageParamList, MessageParamRef } from '../common/message-params.ts';
import { CustomerRef, withoutScoringState } from './customer.ts';
import { atRiskReadScopes } from '../keys/view-scopes.ts';
import { CategoryNameRef, namesOfCategory } from '../scoring-model/category-names.ts';

/** The longest page: a dashboard's whole at-risk list at once. */
const AT_RISK_MAX = 200;

interface AtRisk {
  customer: Customer;
  reasons: AtRiskReason[];
}

const AtRiskReasonCodeEnum = builder.enumType('AtRiskReasonCode', {
  description: 'Why a customer needs action, in order of precedence for the main reason.',
  values: {
    NO_DATA: { description: 'Nothing on record: nobody knows how this customer is doing.' },
    WASTED_TIME: { description: 'The customer said an interaction wasted their time.' },
    SILENCE: { description: 'The customer has gone quiet past the silence window.' },
    SCORE_DROP: { description: `The score fell by ${STEEP_DROP} points or more in 30 days.` },
    NEGATIVE_INTERACTION: { description: 'A recent interaction took points away (a complaint, a bad survey answer).' },
    WEAK_CATEGORY: { description: 'A category scores below neutral (50).' },
    LOW_SCORE: { description: 'The score is low without a single outstanding cause.' },
  } as const,
});

const AtRiskReasonRef = builder.objectRef<AtRiskReason>('AtRiskReason').implement({
  description: 'One reason a customer needs action.',
  fields: (t) => ({
    code: t.field({ type: AtRiskReasonCodeEnum, description: 'The kind of reason.', resolve: (r) => r.code }),
    message: t.exposeString('message', { description: 'The reason in plain words, in English.' }),
    params: t.field({
      type: [MessageParamRef],
      description:
        'The figures the message is worded from, to word it in another language: WASTED_TIME `count`; SILENCE `days`, or `noContact` 1 when there never was a positive contact, `onlyComplaints` (formula 1: 1 when complaints came since) or `laterRecords` (formula 2: 1 when records came since that do not end silence) and `points` it costs (positive; the message words it as a loss, "-4.5 points"); SCORE_DROP `points`; NEGATIVE_INTERACTION `interactionType` (key), `date`, `points`; WEAK_CATEGORY `category` (key), `categoryName`, `subScore`; LOW_SCORE `score`. Empty for a score stored before params existed: use the message.',
      resolve: (r) => messageParamList(r.params),
    }),
    categoryNames: t.field({
      type: [CategoryNameRef],
      description:
        "WEAK_CATEGORY: the category's names in other languages, as the model has them now (empty for other reasons).",
      resolve: (r, _args, ctx) =>
        typeof r.params.category === 'string' ? namesOfCategory(ctx, r.params.category) : [],
    }),
  }),
});

const AtRiskCustomerRef = builder.objectRef<AtRisk>('AtRiskCustomer').implement({
  description: 'A customer in the at-risk band, with why it needs action.',
  fields: (t) => ({
    customer: t.field({ type: CustomerRef, description: 'The customer.', resolve: (a) => a.customer }),
    score: t.float({ description: 'Its current score.', resolve: (a) => a.customer.score ?? 0 }),
    mainReason: t.field({
      type: AtRiskReasonRef,
      description: 'The most pressing reason.',
      resolve: (a) => a.reasons[0]!,
    }),
    reasons: t.field({
      type: [AtRiskReasonRef],
      description: 'Every reason, most pressing first.',
      resolve: (a) => a.reasons,
    }),
    daysSinceLastInteraction: t.int({
      nullable: true,
      description: 'Whole days since the latest interaction, as of now; null when there never was one.',
      resolve: (a) =>
        a.customer.lastInteractionAt
          ? Math.floor((Date.now() - a.customer.lastInteractionAt.getTime()) / DAY_MS)
          : null,
    }),
    scoreChange30d: t.float({
      nullable: true,
      description: 'Score change over 30 days; null without that history.',
      resolve: (a) => a.customer.scoreChange30d,
    }),
  }),
});

const AT_RISK_ORDER = [{ score: 'asc' }, { scoreChange30d: { sort: 'asc', nulls: 'last' } }, { id: 'asc' }] as const;

function atRiskWhere(workspaceId: string) {
  // Churned customers left: nothing is to be done for them any more.
  return { workspaceId, band: 'AT_RISK' as const, churnedAt: null };
}

function withReasons(customer: Customer): AtRisk {
  return {
    customer,
    reasons: atRiskReasons({
      result: customer.scoreBreakdown as ScoreResult | null,
      score: customer.score,
      scoreChange30d: customer.scoreChange30d,
    }),
  };
}

builder.queryField('customersAtRisk', (t) =>
  t.withAuth(atRiskReadScopes).connection(
    {
      type: AtRiskCustomerRef,
      description:
        'The at-risk customers most in need of action: lowest score first, then the steepest 30-day fall, each with why. Pages by offset cursors, both ways as Relay has it: `first`/`after` forwards, `last`/`before` backwards, and `last` alone reads the end of the ranking. Offsets, because the ranking moves as scores change.',
      extensions: { maxPageSize: AT_RISK_MAX },
      resolve: async (_root, args, ctx, info) => {
        // The plugin's own cursor parsing lets `OffsetConnection:-5` or `:abc` through to `skip`.
        if (args.after != null) parseOffsetCursor(args.after, 'after');
        if (args.before != null) parseOffsetCursor(args.before, 'before');
        const where = atRiskWhere(ctx.caller.workspaceId);
        const count = () => ctx.prisma.customer.count({ where });
        // `last` without `before` asks for the end of the ranking, as Relay has it: where the ranking
        // ends takes the count (the plugin refuses `last` alone without it).
        const total = args.last != null && args.before == null ? await count() : undefined;
        const query = queryFromInfo({
          context: ctx,
          info,
          typeName: 'Customer',
          paths: [
            ['nodes', 'customer'],
            ['edges', 'node', 'customer'],
          ],
        });
        const connection = await resolveOffsetConnection(
          { args, defaultSize: 20, maxSize: AT_RISK_MAX, totalCount: total },
          async ({ offset, limit }) =>
            (
              (await ctx.prisma.customer.findMany({
                ...withoutScoringState(query),
                where,
                orderBy: [...AT_RISK_ORDER],
                skip: offset,
                take: limit,
              })) as Customer[]
            ).map(withReasons),
        );
        // Counted only when asked for, or once for `last` alone.
        return { ...withoutCursorsWhenEmpty(connection), totalCount: async () => total ?? count() };
      },
    },
    {
      name: 'AtRiskCustomerConnection',
      description: 'A page of at-risk customers.',
      fields: (c) => ({
        totalCount: c.int({
          description: 'How many customers are at risk, in all pages.',
          resolve: (connection) => (connection as unknown as { totalCount: () => Promise<number> }).totalCount(),
        }),
      }),
    },
    { name: 'AtRiskCustomerEdge', description: 'An at-risk customer in a page, with its cursor.' },
  ),
);

builder.queryField('atRiskCustomers', (t) =>
  t.withAuth(atRiskReadScopes).field({
    type: [AtRiskCustomerRef],
    // Kept: <pulso-at-risk> (packages/widgets) reads this list, and its view tokens may read only it.
    deprecationReason:
      'Use `customersAtRisk`: a connection with `nodes`, `totalCount` and cursors. Kept for <pulso-at-risk>.',
    extensions: { maxPageSize: AT_RISK_MAX },
    description:
      'The at-risk customers most in need of action: lowest score first, then the steepest 30-day fall, each with why.',
    args: {
      first: t.arg.int({
        required: false,
        defaultValue: 10,
        description: `How many (1–${AT_RISK_MAX}, default 10). Related data (interactions, trends...) loads for the whole page at once, so a long page costs no more statements than a short one.`,
      }),
    },
    resolve: async (_root, args, ctx, info) => {
      const first = args.first ?? 10;
      if (first < 1 || first > AT_RISK_MAX)
        throw new GraphQLError(`first must be between 1 and ${AT_RISK_MAX}`, {
          extensions: { code: 'BAD_USER_INPUT' },
        });
      const customers = (await ctx.prisma.customer.findMany({
        ...withoutScoringState(queryFromInfo({ context: ctx, info, typeName: 'Customer', path: ['customer'] })),
        where: atRiskWhere(ctx.caller.workspaceId),
        orderBy: [...AT_RISK_ORDER],
        take: first,
      })) as Customer[];
      return customers.map(withReasons);
    },
  }),
);
