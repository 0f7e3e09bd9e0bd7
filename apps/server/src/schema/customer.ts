import { GraphQLError } from 'graphql';
import { builder } from '../builder.ts';
import { BandEnum } from './enums.ts';

builder.prismaObject('Customer', {
  description: "A customer of the workspace, known by the workspace's own id for it.",
  fields: (t) => ({
    id: t.exposeID('id'),
    externalId: t.exposeString('externalId', { description: "The workspace's own id for this customer." }),
    name: t.exposeString('name'),
    segment: t.exposeString('segment', { nullable: true }),
    properties: t.expose('properties', { type: 'JSON' }),
    score: t.exposeFloat('score', { nullable: true, description: 'Current health score, 0–100; null until first computed.' }),
    band: t.expose('band', { type: BandEnum, nullable: true }),
    scoreBreakdown: t.expose('scoreBreakdown', { type: 'JSON', nullable: true, description: 'Why the score is what it is.' }),
    scoreComputedAt: t.expose('scoreComputedAt', { type: 'DateTime', nullable: true }),
    lastInteractionAt: t.expose('lastInteractionAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    interactions: t.relatedConnection('interactions', {
      description: 'Interactions, newest first.',
      cursor: 'id',
      totalCount: true,
      query: { orderBy: [{ occurredAt: 'desc' }, { id: 'desc' }] },
    }),
  }),
});

const CustomerBandFilter = builder.inputType('CustomerFilter', {
  fields: (t) => ({
    band: t.field({ type: BandEnum, required: false }),
    segment: t.string({ required: false }),
  }),
});

builder.queryFields((t) => ({
  customers: t.prismaConnection(
    {
      type: 'Customer',
      cursor: 'id',
      description: 'Customers of the workspace, by name.',
      authScopes: { read: true },
      args: { filter: t.arg({ type: CustomerBandFilter, required: false }) },
      totalCount: (_connection, args, ctx) =>
        ctx.prisma.customer.count({
          where: { workspaceId: ctx.caller!.workspaceId, band: args.filter?.band ?? undefined, segment: args.filter?.segment ?? undefined },
        }),
      resolve: (query, _root, args, ctx) =>
        ctx.prisma.customer.findMany({
          ...query,
          where: { workspaceId: ctx.caller!.workspaceId, band: args.filter?.band ?? undefined, segment: args.filter?.segment ?? undefined },
          orderBy: [{ name: 'asc' }, { id: 'asc' }],
        }),
    },
    { description: 'A page of customers.' },
  ),
  customer: t.prismaField({
    type: 'Customer',
    nullable: true,
    description: "One customer, by Pulso's id or by the workspace's own external id.",
    authScopes: { read: true },
    args: { id: t.arg.id({ required: false }), externalId: t.arg.string({ required: false }) },
    resolve: (query, _root, args, ctx) => {
      const workspaceId = ctx.caller!.workspaceId;
      if ((args.id == null) === (args.externalId == null)) {
        throw new GraphQLError('customer needs exactly one of id or externalId', { extensions: { code: 'BAD_USER_INPUT' } });
      }
      if (args.id != null) {
        if (!/^[0-9a-f-]{36}$/i.test(String(args.id))) return null;
        return ctx.prisma.customer.findFirst({ ...query, where: { id: String(args.id), workspaceId } });
      }
      return ctx.prisma.customer.findUnique({ ...query, where: { workspaceId_externalId: { workspaceId, externalId: args.externalId! } } });
    },
  }),
}));
