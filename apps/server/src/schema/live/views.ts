// Several views over one stream: a portal page with many live widgets (a gauge per customer, an
// at-risk list) would otherwise hold one Server-Sent Events connection each, and browsers allow
// six per host over HTTP/1.1, across all tabs. `liveViews` takes the widgets' view tokens and
// sends each score change once, with the views it concerns. It keeps no state between requests
// (the token list is the request), so any instance behind a load balancer can serve it.
//
// A view token reads what its widget shows (auth/view-token-fields.ts): an event only at-risk
// views see carries its change only when what the stream selects of it is what an at-risk list
// may read (which customer changed), so a gauge's selection on a page with an at-risk list does not
// show the list the details of every customer entering or leaving the at-risk band.
import type { ScoreChange } from '@pulso/core';
import { GraphQLError } from 'graphql';
import { filter, map, pipe } from 'graphql-yoga';
import { type ViewGrant, resolveViewToken } from '../../auth/view-token-callers.ts';
import { VIEW_TOKEN_FIELDS } from '../../auth/view-token-fields.ts';
import { fieldsBelow } from '../../plugins/view-token-fields.ts';
import { builder } from '../../builder.ts';
import type { CallerContext } from '../../context.ts';
import { ScoreChangeRef } from './live.ts';

/** Views one stream may carry: a page of widgets, with room. */
export const MAX_LIVE_VIEWS = 50;

interface ViewEvent {
  views: number[];
  change: ScoreChange;
  /** A customer view sees it (the page holds a token that reads this customer's details). */
  customerView: boolean;
}

const ViewEventRef = builder.objectRef<ViewEvent>('LiveViewEvent').implement({
  description: 'A score change and the views (of those the stream was opened with) that may see it.',
  fields: (t) => ({
    views: t.exposeIntList('views', {
      description: 'Positions in `liveViews(views:)` of the tokens that see this change (never empty).',
    }),
    change: t.field({
      type: ScoreChangeRef,
      nullable: true,
      description:
        'The change. Null, for a stream opened with a view token, when only at-risk views see it and the selection reads more of it than an at-risk list shows (`externalId`): an at-risk view learns which customer changed, not its details.',
      resolve: (event, _args, ctx, info) => {
        if (event.customerView || !ctx.caller?.view) return event.change;
        const atRisk = VIEW_TOKEN_FIELDS.at_risk;
        return [...fieldsBelow(info)].every((f) => atRisk.has(f)) ? event.change : null;
      },
    }),
  }),
});

/** Whether a view sees a change: its customer's, or (at-risk list) one entering or leaving the at-risk band. */
function sees(grant: ViewGrant, change: ScoreChange): boolean {
  return grant.kind === 'customer'
    ? change.customerId === grant.customerId
    : change.band === 'AT_RISK' || change.previousBand === 'AT_RISK';
}

async function viewEvents(ctx: CallerContext, tokens: string[]): Promise<AsyncIterable<ViewEvent>> {
  if (tokens.length === 0 || tokens.length > MAX_LIVE_VIEWS)
    throw new GraphQLError(`liveViews takes 1 to ${MAX_LIVE_VIEWS} view tokens, got ${tokens.length}`, {
      extensions: { code: 'BAD_USER_INPUT', argument: 'views' },
    });
  const grants = await Promise.all(
    tokens.map((token) =>
      resolveViewToken(ctx.prisma, ctx.signingSecrets, token).then(
        // Another workspace's token is refused like a bad one: the stream is the caller's workspace.
        (view) => (view.workspaceId === ctx.caller.workspaceId ? view.grant : null),
        () => null,
      ),
    ),
  );
  const refused = grants.flatMap((grant, index) => (grant ? [] : [index]));
  if (refused.length > 0)
    throw new GraphQLError(
      `view tokens refused (expired, badly signed, or of another workspace) at positions ${refused.join(', ')}`,
      { extensions: { code: 'UNAUTHENTICATED', views: refused } },
    );
  return pipe(
    ctx.live.pubsub.subscribe('scoreChanged', ctx.caller.workspaceId),
    map((change: ScoreChange) => {
      const views = grants.flatMap((grant, index) => (sees(grant!, change) ? [index] : []));
      return { views, change, customerView: views.some((index) => grants[index]!.kind === 'customer') };
    }),
    filter((event: ViewEvent) => event.views.length > 0),
  );
}

builder.subscriptionFields((t) => ({
  liveViews: t
    .withAuth((_root, _args, ctx) => ({
      read: true,
      viewAtRisk: true,
      viewCustomer: ctx.caller?.view?.kind === 'customer' ? ctx.caller.view.customerId : '',
    }))
    .field({
      type: ViewEventRef,
      description: `Score changes for several view tokens over one stream (the widgets of a page share it): each event carries the change once and the positions of the views that see it (a customer view: its customer; an at-risk view: customers entering or leaving the at-risk band). Called with a view token or a key that reads, of the same workspace as every token in views; refused UNAUTHENTICATED with extensions.views (the positions) when any token is expired, badly signed or of another workspace; 1 to ${MAX_LIVE_VIEWS} tokens.`,
      args: {
        views: t.arg.stringList({
          required: true,
          description: 'View tokens, one per widget (the order gives the positions events name).',
        }),
      },
      subscribe: (_root, args, ctx) => viewEvents(ctx, args.views),
      resolve: (event) => event,
    }),
}));
