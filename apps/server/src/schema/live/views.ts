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
import { refusableStream } from '../../auth/refusable-stream.ts';
import { SIGNING_SECRET_TTL_MS } from '../../auth/signing-secrets.ts';
import { type ViewGrant, ViewTokenError, resolveViewToken } from '../../auth/view-token-callers.ts';
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

/** The last value of a stream whose view tokens were refused after it opened: the positions. */
interface RefusedViews {
  refused: number[];
}

/** Why a stream is refused (or ends): positions of `views` Pulso no longer accepts. */
function refusedViewsError(positions: number[]): GraphQLError {
  return new GraphQLError(
    `view tokens refused (expired, badly signed, or of another workspace) at positions ${positions.join(', ')}`,
    { extensions: { code: 'UNAUTHENTICATED', views: positions } },
  );
}

/**
 * The stream's views, each verified again after it opened: a token expiring ends the stream at its
 * expiry, and a rotated signing secret ends it before the next event (re-verified at most as
 * often as the secrets are looked up again: nothing else about a token can change in between).
 */
async function viewEvents(ctx: CallerContext, tokens: string[]): Promise<AsyncIterable<ViewEvent | RefusedViews>> {
  if (tokens.length === 0 || tokens.length > MAX_LIVE_VIEWS)
    throw new GraphQLError(`liveViews takes 1 to ${MAX_LIVE_VIEWS} view tokens, got ${tokens.length}`, {
      extensions: { code: 'BAD_USER_INPUT', argument: 'views' },
    });
  // A view's grant, null when refused; `undefined` when it could not be checked (the database did not answer).
  const verify = (token: string): Promise<{ grant: ViewGrant; expiresAt: number } | null | undefined> =>
    resolveViewToken(ctx.prisma, ctx.signingSecrets, token).then(
      // Another workspace's token is refused like a bad one: the stream is the caller's workspace.
      (view) =>
        view.workspaceId === ctx.caller.workspaceId ? { grant: view.grant, expiresAt: view.expiresAt.getTime() } : null,
      (error: unknown) => (error instanceof ViewTokenError ? null : undefined),
    );
  const views = await Promise.all(tokens.map(verify));
  const refused = views.flatMap((view, index) => (view ? [] : [index]));
  if (refused.length > 0) throw refusedViewsError(refused);
  const grants = views.map((view) => view!.grant);
  const expiries = views.map((view) => view!.expiresAt);
  const expiredAt = (now: number) => expiries.flatMap((expiry, index) => (expiry <= now ? [index] : []));
  let verifiedAt = Date.now();
  const events = pipe(
    ctx.live.pubsub.subscribe('scoreChanged', ctx.caller.workspaceId),
    map((change: ScoreChange) => {
      const seeing = grants.flatMap((grant, index) => (sees(grant, change) ? [index] : []));
      return { views: seeing, change, customerView: seeing.some((index) => grants[index]!.kind === 'customer') };
    }),
    filter((event: ViewEvent) => event.views.length > 0),
  );
  const deadline = Math.min(...expiries);
  return refusableStream<ViewEvent, RefusedViews>(events, {
    deadline,
    // At least the token the deadline is, should the timer run a millisecond before the clock.
    expired: () => ({ refused: expiredAt(Math.max(Date.now(), deadline)) }),
    check: async () => {
      if (Date.now() - verifiedAt < SIGNING_SECRET_TTL_MS) return null;
      const again = await Promise.all(tokens.map(verify));
      if (again.every((view) => view !== undefined)) verifiedAt = Date.now();
      const positions = again.flatMap((view, index) => (view === null ? [index] : []));
      return positions.length > 0 ? { refused: positions } : null;
    },
  });
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
      description: `Score changes for several view tokens over one stream (the widgets of a page share it): each event carries the change once and the positions of the views that see it (a customer view: its customer; an at-risk view: customers entering or leaving the at-risk band). Called with a view token or a key that reads, of the same workspace as every token in views; refused UNAUTHENTICATED with extensions.views (the positions) when any token is expired, badly signed or of another workspace; 1 to ${MAX_LIVE_VIEWS} tokens. The stream ends with that error, naming the positions, when a token expires while it is open, or before the next event once the workspace's signing secret is rotated (tokens are verified again at most every 5 seconds); an UNAUTHENTICATED error without extensions.views is about the bearer credential.`,
      args: {
        views: t.arg.stringList({
          required: true,
          description: 'View tokens, one per widget (the order gives the positions events name).',
        }),
      },
      subscribe: (_root, args, ctx) => viewEvents(ctx, args.views),
      // A token refused after the stream opened: the stream's last result names its position.
      resolve: (event) => {
        if ('refused' in event) throw refusedViewsError(event.refused);
        return event;
      },
    }),
}));
