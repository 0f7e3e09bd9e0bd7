// Webhooks (secret keys only): endpoints that hear of band changes and score drops, their signing
// secrets, and the outbox of events with each one's delivery status, attempts and last error.
// Delivery itself runs in the background (@pulso/webhooks' worker, started by main.ts).
import { isUuid, type WebhookEndpoint, workspaceKey } from '@pulso/database';
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  redeliverWebhookEvent,
  rotateWebhookSecret,
  updateWebhookEndpoint,
  WebhookEndpointError,
  WebhookEventNotFoundError,
} from '@pulso/webhooks';
import { builder } from '../../builder.ts';
import { totalCountField } from '../common/connection-options.ts';
import { BandEnum } from '../common/enums.ts';
import { FieldProblemRef, UserErrorInterface } from '../common/user-errors.ts';

const NO_ROW = '00000000-0000-0000-0000-000000000000';

builder.objectType(WebhookEndpointError, {
  name: 'WebhookEndpointError',
  description:
    'A webhook endpoint operation that was refused (INVALID_URL, ADDRESS_NOT_ALLOWED, NO_EVENT_TYPES, OUT_OF_RANGE, TOO_LONG, NOT_FOUND): nothing was changed. `problems` lists every problem found (the URL, the description, the event types, the threshold, then the address); `field` and `code` are the first.',
  interfaces: [UserErrorInterface],
  isTypeOf: (value) => value instanceof WebhookEndpointError,
  fields: (t) => ({
    problems: t.field({
      type: [FieldProblemRef],
      description: 'Every problem found, each with its field, code and message.',
      resolve: (error) => [...error.problems],
    }),
  }),
});

builder.objectType(WebhookEventNotFoundError, {
  name: 'WebhookEventNotFoundError',
  description: 'No webhook event of the workspace has this id (code NOT_FOUND): nothing was queued.',
  interfaces: [UserErrorInterface],
  isTypeOf: (value) => value instanceof WebhookEventNotFoundError,
  fields: () => ({}),
});

export const WebhookEventStatusEnum = builder.enumType('WebhookEventStatus', {
  description: 'Where the delivery of a webhook event stands.',
  values: {
    PENDING: { description: 'Waiting for its first attempt or a retry (at `nextAttemptAt`), or being sent now.' },
    DELIVERED: { description: 'The endpoint acknowledged it with a 2xx answer.' },
    FAILED: { description: 'Not acknowledged within the retry period: no more attempts unless redelivered.' },
  } as const,
});

interface BandFilter {
  from: WebhookEndpoint['bandChangedFrom'];
  to: WebhookEndpoint['bandChangedTo'];
}

const BandChangedSubscription = builder.objectRef<BandFilter>('BandChangedSubscription').implement({
  description: 'The endpoint hears `band.changed` events, maybe only from or to some bands.',
  fields: (t) => ({
    from: t.field({
      type: [BandEnum],
      description: 'Only changes from these bands; empty: from any band.',
      resolve: (f) => f.from,
    }),
    to: t.field({
      type: [BandEnum],
      description: 'Only changes to these bands; empty: to any band.',
      resolve: (f) => f.to,
    }),
  }),
});

const ScoreDroppedSubscription = builder.objectRef<{ threshold: number }>('ScoreDroppedSubscription').implement({
  description:
    'The endpoint hears `score.dropped` events: a score that fell by at least `threshold` points in one change.',
  fields: (t) => ({
    threshold: t.exposeFloat('threshold', { description: 'Points (more than 0, at most 100).' }),
  }),
});

const WebhookEndpointRef = builder.prismaObject('WebhookEndpoint', {
  description: 'A URL of yours that Pulso POSTs events to, signed the Standard Webhooks way with its secret.',
  fields: (t) => ({
    id: t.exposeID('id', {
      description:
        'Id of the endpoint: pass it to updateWebhookEndpoint, rotateWebhookSecret, deleteWebhookEndpoint or webhookEvents.',
    }),
    url: t.exposeString('url', { description: 'Where events are POSTed (http or https).' }),
    description: t.exposeString('description', { nullable: true, description: 'Your note about the endpoint.' }),
    enabled: t.exposeBoolean('enabled', {
      description:
        'False: nothing is sent; new events are not recorded and queued ones wait until it is enabled again.',
    }),
    secret: t.exposeString('secret', {
      description:
        'The signing secret (`whsec_` + base64), for a Standard Webhooks library to verify `webhook-signature`. Secret keys only, like every webhook field.',
    }),
    bandChanged: t.field({
      type: BandChangedSubscription,
      nullable: true,
      description: 'The `band.changed` subscription; null when the endpoint does not hear it.',
      select: { bandChanged: true, bandChangedFrom: true, bandChangedTo: true },
      resolve: (e) => (e.bandChanged ? { from: e.bandChangedFrom, to: e.bandChangedTo } : null),
    }),
    scoreDropped: t.field({
      type: ScoreDroppedSubscription,
      nullable: true,
      description: 'The `score.dropped` subscription; null when the endpoint does not hear it.',
      select: { scoreDropPoints: true },
      resolve: (e) => (e.scoreDropPoints === null ? null : { threshold: e.scoreDropPoints }),
    }),
    customerChurned: t.exposeBoolean('customerChurned', {
      description: 'Whether the endpoint hears `customer.churned` events (a recorded churn).',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the endpoint was registered.' }),
    updatedAt: t.expose('updatedAt', {
      type: 'DateTime',
      description: 'When it was last changed (a secret rotation included).',
    }),
  }),
});

builder.prismaObject('WebhookEvent', {
  description:
    'One event for one endpoint, from the outbox written with the score change: its body, and where its delivery stands. Every attempt and redelivery sends the same `webhookId`.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Id of the event: pass it (or `webhookId`) to redeliverWebhookEvent.' }),
    webhookId: t.exposeString('messageId', {
      description: 'The `webhook-id` header of every attempt (`evt_...`): receivers de-duplicate by it.',
    }),
    type: t.exposeString('type', { description: '`band.changed` or `score.dropped`.' }),
    endpoint: t.relation('endpoint', { description: 'The endpoint it is for.' }),
    customer: t.relation('customer', { description: 'The customer whose score changed.' }),
    payload: t.expose('payload', {
      type: 'JSON',
      description: 'The body sent: `{ type, timestamp, data: { customer, score, band, ... } }`.',
    }),
    status: t.expose('status', {
      type: WebhookEventStatusEnum,
      description: 'Pending, delivered or failed (given up).',
    }),
    attempts: t.exposeInt('attempts', { description: 'Attempts so far (redeliveries included).' }),
    nextAttemptAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the next attempt is due; null unless PENDING.',
      select: { status: true, nextAttemptAt: true },
      resolve: (e) => (e.status === 'PENDING' ? e.nextAttemptAt : null),
    }),
    lastAttemptAt: t.expose('lastAttemptAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the last attempt started; null before the first.',
    }),
    lastStatusCode: t.exposeInt('lastStatusCode', {
      nullable: true,
      description:
        'HTTP status of the last answer; null when none came (timeout, refused connection) or before the first attempt.',
    }),
    lastError: t.exposeString('lastError', {
      nullable: true,
      description:
        'Why the last attempt failed (`HTTP 500 Internal Server Error`, `no answer within 10000 ms`...); null after a success.',
    }),
    deliveredAt: t.expose('deliveredAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When a 2xx answer acknowledged it; null until then.',
    }),
    giveUpAt: t.expose('giveUpAt', {
      type: 'DateTime',
      nullable: true,
      description: 'After a failed attempt past this instant the event is FAILED; set at its first attempt.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the change that produced it was stored.' }),
  }),
});

const BandChangedInput = builder.inputType('BandChangedFilterInput', {
  description: 'Subscribes to `band.changed`, maybe only from or to some bands.',
  fields: (t) => ({
    from: t.field({
      type: [BandEnum],
      required: false,
      description: 'Only changes from these bands; omitted or empty: any.',
    }),
    to: t.field({
      type: [BandEnum],
      required: false,
      description: 'Only changes to these bands (e.g. [AT_RISK]); omitted or empty: any.',
    }),
  }),
});

const ScoreDroppedInput = builder.inputType('ScoreDroppedFilterInput', {
  description: 'Subscribes to `score.dropped`: a score that fell by at least `threshold` points in one change.',
  fields: (t) => ({
    threshold: t.float({ required: true, description: 'Points, more than 0 and at most 100.' }),
  }),
});

const CreateWebhookEndpointInput = builder.inputType('CreateWebhookEndpointInput', {
  description: 'A new endpoint: its URL and at least one event type.',
  fields: (t) => ({
    url: t.string({
      required: true,
      description:
        'An http or https URL, at most 2,000 characters, without credentials (`user:password@`: they cannot be sent; receivers verify the signature instead) or a #fragment.',
    }),
    description: t.string({ required: false, description: 'A note telling endpoints apart, at most 500 characters.' }),
    enabled: t.boolean({ required: false, description: 'Default true.' }),
    bandChanged: t.field({ type: BandChangedInput, required: false, description: 'Hear `band.changed` events.' }),
    scoreDropped: t.field({ type: ScoreDroppedInput, required: false, description: 'Hear `score.dropped` events.' }),
    customerChurned: t.boolean({ required: false, description: 'Hear `customer.churned` events (default false).' }),
  }),
});

const UpdateWebhookEndpointInput = builder.inputType('UpdateWebhookEndpointInput', {
  description:
    'Changes to an endpoint: omitted fields stay; `bandChanged: null` or `scoreDropped: null` unsubscribes (one event type must remain).',
  fields: (t) => ({
    url: t.string({ required: false, description: 'A new http or https URL, under the same rules as at creation.' }),
    description: t.string({ required: false, description: 'A new note; null removes it.' }),
    enabled: t.boolean({
      required: false,
      description: 'False stops deliveries to it (and recording new events for it).',
    }),
    bandChanged: t.field({
      type: BandChangedInput,
      required: false,
      description: 'The new `band.changed` filter; null unsubscribes.',
    }),
    scoreDropped: t.field({
      type: ScoreDroppedInput,
      required: false,
      description: 'The new `score.dropped` threshold; null unsubscribes.',
    }),
    customerChurned: t.boolean({
      required: false,
      description: 'Whether to hear `customer.churned` events; omitted or null leaves it as it is.',
    }),
  }),
});

const DeletedWebhookEndpoint = builder.objectRef<{ id: string }>('DeletedWebhookEndpoint').implement({
  description: 'An endpoint that was deleted, with its events.',
  fields: (t) => ({ id: t.exposeID('id', { description: 'Id the endpoint had.' }) }),
});

const endpointErrors = (description: string) => ({
  types: [WebhookEndpointError],
  directResult: true as const,
  union: { description },
});

function eventsWhere(
  workspaceId: string,
  args: {
    endpointId?: string | number | null | undefined;
    status?: 'PENDING' | 'DELIVERED' | 'FAILED' | null | undefined;
  },
) {
  return {
    workspaceId,
    ...(args.endpointId != null
      ? { endpointId: isUuid(String(args.endpointId)) ? String(args.endpointId) : NO_ROW }
      : {}),
    ...(args.status ? { status: args.status } : {}),
  };
}

builder.queryFields((t) => ({
  webhookEndpoints: t.withAuth({ write: true }).prismaConnection(
    {
      type: 'WebhookEndpoint',
      cursor: 'workspaceId_id',
      description: "The workspace's webhook endpoints, oldest first. Secret keys only.",
      totalCount: (_root, _args, ctx) =>
        ctx.prisma.webhookEndpoint.count({ where: { workspaceId: ctx.caller.workspaceId } }),
      resolve: (query, _root, _args, ctx) =>
        ctx.prisma.webhookEndpoint.findMany({
          ...query,
          where: { workspaceId: ctx.caller.workspaceId },
          orderBy: { id: 'asc' },
        }),
    },
    {
      name: 'WebhookEndpointConnection',
      description: 'A page of webhook endpoints.',
      fields: (c) => ({ totalCount: c.int(totalCountField('endpoints the workspace has')) }),
    },
    { name: 'WebhookEndpointEdge', description: 'A webhook endpoint in a page, with its cursor.' },
  ),
  webhookEvents: t.withAuth({ write: true }).prismaConnection(
    {
      type: 'WebhookEvent',
      cursor: 'workspaceId_messageId',
      description: 'Webhook events of the workspace with their delivery status, newest first. Secret keys only.',
      args: {
        endpointId: t.arg.id({ required: false, description: 'Only the events of this endpoint.' }),
        status: t.arg({
          type: WebhookEventStatusEnum,
          required: false,
          description: 'Only events in this status (e.g. FAILED).',
        }),
      },
      totalCount: (_root, args, ctx) =>
        ctx.prisma.webhookEvent.count({ where: eventsWhere(ctx.caller.workspaceId, args) }),
      resolve: (query, _root, args, ctx) =>
        ctx.prisma.webhookEvent.findMany({
          ...query,
          where: eventsWhere(ctx.caller.workspaceId, args),
          orderBy: { sequence: 'desc' },
        }),
    },
    {
      name: 'WebhookEventConnection',
      description: 'A page of webhook events.',
      fields: (c) => ({ totalCount: c.int(totalCountField('events match the filters')) }),
    },
    { name: 'WebhookEventEdge', description: 'A webhook event in a page, with its cursor.' },
  ),
}));

builder.mutationFields((t) => ({
  createWebhookEndpoint: t.withAuth({ write: true }).prismaField({
    type: 'WebhookEndpoint',
    description:
      'Registers an endpoint (secret keys only). Its signing secret is in `secret`. Refused with a WebhookEndpointError: INVALID_URL (not http or https, or with credentials or a #fragment), ADDRESS_NOT_ALLOWED (a loopback, private or link-local address, unless the server allows them), NO_EVENT_TYPES, OUT_OF_RANGE, TOO_LONG.',
    errors: endpointErrors('The new endpoint, or a WebhookEndpointError when it was refused.'),
    args: {
      input: t.arg({ type: CreateWebhookEndpointInput, required: true, description: 'URL, note and event types.' }),
    },
    resolve: async (query, _root, { input }, ctx) => {
      const created = await createWebhookEndpoint(ctx.prisma, ctx.caller.workspaceId, input, ctx.webhookAddresses);
      return ctx.prisma.webhookEndpoint.findUniqueOrThrow({
        ...query,
        where: workspaceKey(ctx.caller.workspaceId, created.id),
      });
    },
  }),
  updateWebhookEndpoint: t.withAuth({ write: true }).prismaField({
    type: 'WebhookEndpoint',
    description:
      'Changes an endpoint (secret keys only): URL, note, enabled, event types. Refused with a WebhookEndpointError (NOT_FOUND, INVALID_URL, ADDRESS_NOT_ALLOWED, NO_EVENT_TYPES...).',
    errors: endpointErrors('The changed endpoint, or a WebhookEndpointError when nothing was changed.'),
    args: {
      id: t.arg.id({ required: true, description: 'Id of the endpoint.' }),
      input: t.arg({ type: UpdateWebhookEndpointInput, required: true, description: 'What to change.' }),
    },
    resolve: async (query, _root, { id, input }, ctx) => {
      const updated = await updateWebhookEndpoint(
        ctx.prisma,
        ctx.caller.workspaceId,
        String(id),
        {
          url: input.url ?? undefined,
          description: input.description,
          enabled: input.enabled ?? undefined,
          bandChanged: input.bandChanged,
          scoreDropped: input.scoreDropped,
          customerChurned: input.customerChurned,
        },
        ctx.webhookAddresses,
      );
      return ctx.prisma.webhookEndpoint.findUniqueOrThrow({
        ...query,
        where: workspaceKey(ctx.caller.workspaceId, updated.id),
      });
    },
  }),
  deleteWebhookEndpoint: t.withAuth({ write: true }).field({
    type: DeletedWebhookEndpoint,
    description:
      'Deletes an endpoint and its events, delivered or not (secret keys only). Refused with a WebhookEndpointError (NOT_FOUND).',
    errors: endpointErrors('The deleted endpoint, or a WebhookEndpointError.'),
    args: { id: t.arg.id({ required: true, description: 'Id of the endpoint.' }) },
    resolve: async (_root, { id }, ctx) => ({
      id: (await deleteWebhookEndpoint(ctx.prisma, ctx.caller.workspaceId, String(id))).id,
    }),
  }),
  rotateWebhookSecret: t.withAuth({ write: true }).prismaField({
    type: 'WebhookEndpoint',
    description:
      'Gives an endpoint a new signing secret, used from the next attempt on (secret keys only). Refused with a WebhookEndpointError (NOT_FOUND).',
    errors: endpointErrors('The endpoint with its new `secret`, or a WebhookEndpointError.'),
    args: { id: t.arg.id({ required: true, description: 'Id of the endpoint.' }) },
    resolve: async (query, _root, { id }, ctx) => {
      const rotated = await rotateWebhookSecret(ctx.prisma, ctx.caller.workspaceId, String(id));
      return ctx.prisma.webhookEndpoint.findUniqueOrThrow({
        ...query,
        where: workspaceKey(ctx.caller.workspaceId, rotated.id),
      });
    },
  }),
  redeliverWebhookEvent: t.withAuth({ write: true }).prismaField({
    type: 'WebhookEvent',
    description:
      "Sends an event again at once, with the same webhookId (secret keys only), whatever its status; the customer's later events for that endpoint wait for it. Refused with a WebhookEventNotFoundError.",
    errors: {
      types: [WebhookEventNotFoundError],
      directResult: true,
      union: { description: 'The event, queued again, or a WebhookEventNotFoundError.' },
    },
    args: { id: t.arg.id({ required: true, description: 'The event id or its webhookId (`evt_...`).' }) },
    resolve: async (query, _root, { id }, ctx) => {
      const event = await redeliverWebhookEvent(ctx.prisma, ctx.caller.workspaceId, String(id));
      return ctx.prisma.webhookEvent.findUniqueOrThrow({
        ...query,
        where: workspaceKey(ctx.caller.workspaceId, event.id),
      });
    },
  }),
}));

export { WebhookEndpointRef };
