// Scores as of a past instant: one customer's explained score (`Customer.healthAsOf`) and a paged
// workspace-wide read with category sub-scores (`scoresAsOf`), under the model in force then or a
// chosen version. Computed on demand by @pulso/core (scores/scores-as-of.ts); nothing is stored.
import {
  countCustomersActiveAt,
  MAX_AS_OF_PAGE,
  ModelVersionNotFoundError,
  type ScoreAsOf,
  scoresAsOf,
} from '@pulso/core';
import { GraphQLError } from 'graphql';
import { builder } from '../../builder.ts';
import { parseUuidCursor } from '../common/cursors.ts';
import { HealthScoreRef, type HealthScoreShape } from '../customers/score.ts';
import { workspaceKey } from '@pulso/database';
import { callerOf } from '../../context.ts';

const AT_DESCRIPTION = 'The instant: only what had happened by then counts.';
const VERSION_DESCRIPTION = 'A scoring model version to score with; by default the one in force at the instant.';

function notFound(error: unknown): never {
  if (error instanceof ModelVersionNotFoundError)
    throw new GraphQLError(error.message, { extensions: { code: 'NOT_FOUND', field: 'modelVersion' } });
  throw error;
}

const shapeOf = (score: ScoreAsOf, at: Date): HealthScoreShape => ({
  customerId: score.customerId,
  result: score.result,
  computedAt: at,
  modelVersion: score.modelVersion,
});

builder.prismaObjectFields('Customer', (t) => ({
  healthAsOf: t.withAuth({ read: true }).field({
    type: HealthScoreRef,
    nullable: true,
    description:
      'The explained score as of a past instant, computed from what had happened by then. Null when the customer was not active then (not yet known, or churned). Secret and read-only keys only.',
    args: {
      at: t.arg({ type: 'DateTime', required: true, description: AT_DESCRIPTION }),
      modelVersion: t.arg.int({ required: false, description: VERSION_DESCRIPTION }),
    },
    select: { id: true, workspaceId: true },
    resolve: async (customer, { at, modelVersion }, ctx) => {
      const [score] = await scoresAsOf(ctx.prisma, customer.workspaceId, {
        at,
        modelVersion,
        customerIds: [customer.id],
        limit: 1,
      }).catch(notFound);
      return score ? shapeOf(score, at) : null;
    },
  }),
}));

interface ScoreAsOfRow {
  score: ScoreAsOf;
  at: Date;
}

const ScoreAsOfRef = builder.objectRef<ScoreAsOfRow>('ScoreAsOf').implement({
  description: "A customer's score as of an instant.",
  fields: (t) => ({
    customer: t.prismaField({
      type: 'Customer',
      description: 'The customer (as it is now).',
      resolve: (query, row, _args, ctx) =>
        ctx.prisma.customer.findUniqueOrThrow({
          ...query,
          where: workspaceKey(callerOf(ctx).workspaceId, row.score.customerId),
        }),
    }),
    externalId: t.string({
      description: "The workspace's own id for the customer.",
      resolve: (row) => row.score.externalId,
    }),
    health: t.field({
      type: HealthScoreRef,
      description: 'The score then, with its band, category sub-scores, drivers and flags.',
      resolve: (row) => shapeOf(row.score, row.at),
    }),
  }),
});

builder.queryFields((t) => ({
  scoresAsOf: t.withAuth({ read: true }).connection(
    {
      type: ScoreAsOfRef,
      extensions: { maxPageSize: MAX_AS_OF_PAGE },
      description: `Every customer active at an instant (known by then, not churned by then), scored from what had happened by then, in id order; for evaluation and tools. Pages forward only: \`first\` 1–${MAX_AS_OF_PAGE} (default 100) and \`after\`. Secret and read-only keys only.`,
      args: {
        at: t.arg({ type: 'DateTime', required: true, description: AT_DESCRIPTION }),
        modelVersion: t.arg.int({ required: false, description: VERSION_DESCRIPTION }),
      },
      resolve: async (_root, args, ctx) => {
        if (args.last != null || args.before != null)
          throw new GraphQLError('scoresAsOf pages forward only: use first and after', {
            extensions: { code: 'BAD_USER_INPUT' },
          });
        const first = args.first ?? 100;
        if (first < 1 || first > MAX_AS_OF_PAGE)
          throw new GraphQLError(`first must be between 1 and ${MAX_AS_OF_PAGE}`, {
            extensions: { code: 'BAD_USER_INPUT' },
          });
        const scores = await scoresAsOf(ctx.prisma, ctx.caller.workspaceId, {
          at: args.at,
          modelVersion: args.modelVersion,
          // The cursor is a customer id, cast to uuid in SQL: anything else is refused here.
          after: args.after == null ? null : parseUuidCursor(args.after, 'after'),
          limit: first + 1,
        }).catch(notFound);
        const page = scores.slice(0, first);
        const edges = page.map((score) => ({ cursor: score.customerId, node: { score, at: args.at } }));
        return {
          edges,
          // Counted only when asked for.
          totalCount: () => countCustomersActiveAt(ctx.prisma, ctx.caller.workspaceId, args.at),
          pageInfo: {
            hasNextPage: scores.length > first,
            hasPreviousPage: args.after != null,
            startCursor: edges[0]?.cursor ?? null,
            endCursor: edges.at(-1)?.cursor ?? null,
          },
        };
      },
    },
    {
      name: 'ScoreAsOfConnection',
      description: 'A page of scores as of an instant.',
      fields: (c) => ({
        totalCount: c.int({
          description: 'How many customers were active at the instant, in all pages.',
          resolve: (connection) => (connection as unknown as { totalCount: () => Promise<number> }).totalCount(),
        }),
      }),
    },
    { name: 'ScoreAsOfEdge', description: 'A score as of an instant in a page, with its cursor.' },
  ),
}));
