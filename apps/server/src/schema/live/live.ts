// Live score changes over Server-Sent Events (graphql-yoga's default transport for subscriptions):
// `scoreChanged` for one customer or the whole workspace, `bandChanged` when a customer crosses a
// band threshold. Events come from the pub/sub in ../pubsub.ts after their transaction commits.
import { GraphQLError } from 'graphql';
import { filter, pipe } from 'graphql-yoga';
import type { ScoreChange } from '@pulso/core';
import { builder } from '../../builder.ts';
import type { CallerContext } from '../../context.ts';
import { BandEnum } from '../common/enums.ts';
import { databaseId } from '../common/global-id.ts';
import { liveScopes } from '../keys/view-scopes.ts';
import { workspaceKey } from '@pulso/database';

export const ScoreChangeRef = builder.objectRef<ScoreChange>('ScoreChange').implement({
  description: "A customer's score was recomputed (an interaction, a rating, a segment change...).",
  fields: (t) => ({
    customer: t.prismaField({
      type: 'Customer',
      description: 'The customer as it is now, with its score breakdown.',
      resolve: (query, change, _args, ctx) =>
        ctx.prisma.customer.findUniqueOrThrow({
          ...query,
          where: workspaceKey(change.workspaceId, change.customerId),
        }),
    }),
    externalId: t.exposeString('externalId', { description: "The workspace's own id for the customer." }),
    score: t.exposeFloat('score', { description: 'The new health score, 0–100.' }),
    previousScore: t.exposeFloat('previousScore', {
      nullable: true,
      description: 'Null when the customer had no score yet.',
    }),
    change: t.float({
      nullable: true,
      description: 'score − previousScore, to one decimal.',
      resolve: (c) => (c.previousScore == null ? null : Math.round((c.score - c.previousScore) * 10) / 10),
    }),
    band: t.field({ type: BandEnum, description: 'The band of the new score.', resolve: (c) => c.band }),
    previousBand: t.field({
      type: BandEnum,
      nullable: true,
      description: 'The band before; null when the customer had no score yet.',
      resolve: (c) => c.previousBand,
    }),
    computedAt: t.field({
      type: 'DateTime',
      description: 'When the new score was computed.',
      resolve: (c) => new Date(c.computedAt),
    }),
    modelVersion: t.exposeInt('modelVersion', {
      description: 'The scoring model version that produced the new score.',
    }),
  }),
});

interface Target {
  customerId?: string | null;
  externalId?: string | null;
}

async function events(ctx: CallerContext, args: Target, bandOnly: boolean): Promise<AsyncIterable<ScoreChange>> {
  const customerId = args.customerId != null ? databaseId(String(args.customerId), 'Customer') : null;
  if (args.customerId != null || args.externalId != null) {
    // A stream of a customer the workspace does not have (a typo, another workspace's id) would
    // stay open and silent forever: refused as a read of it would be.
    const found =
      (args.customerId == null || customerId != null) &&
      (await ctx.prisma.customer.findFirst({
        where: {
          workspaceId: ctx.caller.workspaceId,
          ...(customerId != null ? { id: customerId } : {}),
          ...(args.externalId != null ? { externalId: args.externalId } : {}),
        },
        select: { id: true },
      }));
    if (!found) {
      const named =
        args.externalId != null
          ? `externalId ${JSON.stringify(args.externalId)}`
          : `id ${JSON.stringify(args.customerId)}`;
      throw new GraphQLError(`no customer with ${named} in this workspace: nothing to follow`, {
        extensions: { code: 'NOT_FOUND' },
      });
    }
  }
  const atRiskOnly = ctx.caller.view?.kind === 'at_risk';
  // The topic is the caller's workspace: another workspace's events never reach this stream.
  return pipe(
    ctx.live.pubsub.subscribe('scoreChanged', ctx.caller.workspaceId),
    filter((c: ScoreChange) => {
      if (args.customerId != null && c.customerId !== customerId) return false;
      if (args.externalId != null && c.externalId !== args.externalId) return false;
      if (bandOnly && c.band === c.previousBand) return false;
      // An at-risk list sees only what enters or leaves the at-risk band.
      if (atRiskOnly && c.band !== 'AT_RISK' && c.previousBand !== 'AT_RISK') return false;
      return true;
    }),
  );
}

builder.subscriptionType({
  description:
    "Live updates, over Server-Sent Events (Accept: text/event-stream), Apollo's multipart HTTP protocol (Accept: multipart/mixed;subscriptionSpec=1.0) or WebSocket (graphql-ws). A stream's credential is checked for as long as it is open: once its API key is revoked (within 5 seconds) or its signing secret rotated, its next event is replaced by an UNAUTHENTICATED error and the stream ends; at the key's or view token's expiry it ends the same way without waiting for an event. Open it again with a valid credential.",
});

builder.subscriptionFields((t) => ({
  scoreChanged: t
    .withAuth((_root, args, ctx) => liveScopes(args, ctx))
    .field({
      type: ScoreChangeRef,
      description:
        "Every recomputed score of one customer (customerId or externalId), or of the whole workspace (no argument). Secret or read-only keys; a view token for that customer, or an at-risk view token (workspace stream; it sees only customers in or leaving the at-risk band), each reading only what its widget shows. A customer that does not exist in the caller's workspace is refused NOT_FOUND.",
      args: {
        customerId: t.arg.id({
          required: false,
          description: 'Only this customer (global id). Omit both arguments for the whole workspace.',
        }),
        externalId: t.arg.string({ required: false, description: "Only this customer (the workspace's own id)." }),
      },
      subscribe: (_root, args, ctx) => events(ctx, args, false),
      resolve: (change) => change,
    }),
  bandChanged: t
    .withAuth((_root, args, ctx) => liveScopes(args, ctx))
    .field({
      type: ScoreChangeRef,
      description:
        "Scores that moved a customer into another band, for one customer or the whole workspace. Secret or read-only keys (no view token: no widget follows it). A customer that does not exist in the caller's workspace is refused NOT_FOUND.",
      args: {
        customerId: t.arg.id({
          required: false,
          description: 'Only this customer (global id). Omit both arguments for the whole workspace.',
        }),
        externalId: t.arg.string({ required: false, description: "Only this customer (the workspace's own id)." }),
      },
      subscribe: (_root, args, ctx) => events(ctx, args, true),
      resolve: (change) => change,
    }),
}));
