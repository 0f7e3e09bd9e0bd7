// Writes on customers: create, update, delete, and upsert by external id. The upsert is one
// INSERT ... ON CONFLICT DO UPDATE, so concurrent first-time upserts of a customer store one row
// and none fails. A segment change rescores the customer in the same transaction (segment
// weights may differ) and is published to live subscribers after commit.
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { Prisma } from '@pulso/database';
import {
  checkCustomerFields,
  rescoreCustomersInTransaction,
  upsertCustomer,
  type ScoreChange,
  type Tx,
} from '@pulso/core';
import { builder } from '../../builder.ts';
import type { CallerContext } from '../../context.ts';
import { databaseId } from '../common/global-id.ts';
import { invalid, ValidationError } from '../common/write-errors.ts';

const errors = {
  types: [ValidationError],
  directResult: true as const,
  union: { description: 'The result, or a ValidationError listing every invalid field when nothing was changed.' },
};

const CustomerInput = builder.inputType('CustomerInput', {
  description: 'A customer as your systems know it.',
  fields: (t) => ({
    externalId: t.string({ required: true, description: 'Your own id for the customer (unique in the workspace).' }),
    name: t.string({ required: true, description: 'Display name, 1–200 characters.' }),
    segment: t.string({
      required: false,
      description: 'Segment (plan, tier...): segment weights apply. Omit to keep, null to clear.',
    }),
    properties: t.field({
      type: 'JSON',
      required: false,
      description: 'Free-form attributes from your CRM (a JSON object). Omit to keep.',
    }),
  }),
});

const CustomerPatch = builder.inputType('CustomerPatch', {
  description: 'Fields to change; omitted fields keep their value.',
  fields: (t) => ({
    externalId: t.string({ required: false, description: 'A new external id (unique in the workspace).' }),
    name: t.string({ required: false, description: 'A new display name, 1–200 characters.' }),
    segment: t.string({ required: false, description: 'null clears the segment.' }),
    properties: t.field({
      type: 'JSON',
      required: false,
      description: 'Replaces the free-form attributes (a JSON object).',
    }),
  }),
});

/** The database id of the customer an (id | externalId) pair names in the caller's workspace. */
async function findCustomer(
  ctx: CallerContext,
  args: { id?: string | null; externalId?: string | null },
): Promise<{ id: string; externalId: string }> {
  const workspaceId = ctx.caller.workspaceId;
  if ((args.id == null) === (args.externalId == null))
    throw invalid('id', 'INVALID', 'give exactly one of id or externalId');
  const where =
    args.id != null
      ? { id: databaseId(args.id, 'Customer') ?? '00000000-0000-0000-0000-000000000000', workspaceId }
      : { externalId: args.externalId!, workspaceId };
  const found = await ctx.prisma.customer.findFirst({ where, select: { id: true, externalId: true } });
  if (!found) {
    const [field, value] = args.id != null ? ['id', args.id] : ['externalId', args.externalId];
    throw invalid(field, 'NOT_FOUND', `no customer has ${field} "${value}"`);
  }
  return found;
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === 'P2002';
}

async function withRescore<T>(
  ctx: CallerContext,
  work: (tx: Tx) => Promise<{ value: T; rescore: string[] }>,
): Promise<T> {
  let changes: ScoreChange[] = [];
  const value = await ctx.prisma.$transaction(
    async (tx: Tx) => {
      const { value, rescore } = await work(tx);
      changes = await rescoreCustomersInTransaction(tx, ctx.caller.workspaceId, rescore, new Date());
      return value;
    },
    { maxWait: 60_000, timeout: 60_000 },
  );
  ctx.live.publishScoreChanges(changes);
  return value;
}

const UpsertCustomerPayload = builder.objectRef<{ id: string; created: boolean }>('UpsertCustomerPayload').implement({
  description: 'The customer as stored by upsertCustomer.',
  fields: (t) => ({
    customer: t.prismaField({
      type: 'Customer',
      description: 'The customer as it is now.',
      resolve: (query, parent, _args, ctx) =>
        ctx.prisma.customer.findUniqueOrThrow({ ...query, where: { id: parent.id } }),
    }),
    created: t.exposeBoolean('created', { description: 'True when the customer did not exist before.' }),
  }),
});

const DeleteCustomerPayload = builder.objectRef<{ id: string; externalId: string }>('DeleteCustomerPayload').implement({
  description: 'The customer that was deleted.',
  fields: (t) => ({
    deletedId: t.id({
      description: 'The global id the customer had.',
      resolve: (parent) => encodeGlobalID('Customer', parent.id),
    }),
    externalId: t.exposeString('externalId', { description: 'The external id the customer had.' }),
  }),
});

builder.mutationFields((t) => ({
  createCustomer: t.withAuth({ write: true }).prismaField({
    type: 'Customer',
    description:
      'Creates a customer (secret keys only). An external id already in use is a ValidationError (ALREADY_EXISTS); see upsertCustomer.',
    errors,
    args: { input: t.arg({ type: CustomerInput, required: true, description: 'The new customer.' }) },
    resolve: async (query, _root, { input }, ctx) => {
      checkCustomerFields(input, { path: 'input', partial: false });
      try {
        const created = await ctx.prisma.customer.create({
          data: {
            workspaceId: ctx.caller.workspaceId,
            externalId: input.externalId,
            name: input.name.trim(),
            segment: input.segment ?? null,
            properties: (input.properties ?? {}) as Prisma.InputJsonValue,
          },
          select: { id: true },
        });
        return ctx.prisma.customer.findUniqueOrThrow({ ...query, where: { id: created.id } });
      } catch (error) {
        if (isUniqueViolation(error))
          throw invalid(
            'input.externalId',
            'ALREADY_EXISTS',
            `a customer with external id "${input.externalId}" already exists`,
          );
        throw error;
      }
    },
  }),

  upsertCustomer: t.withAuth({ write: true }).field({
    type: UpsertCustomerPayload,
    description:
      'Creates the customer with this external id, or updates it (secret keys only). Safe to call concurrently and to retry; invalid fields are a ValidationError.',
    errors,
    args: {
      input: t.arg({ type: CustomerInput, required: true, description: 'The customer, found by its externalId.' }),
    },
    resolve: (_root, { input }, ctx) => {
      checkCustomerFields(input, { path: 'input', partial: false });
      return withRescore(ctx, async (tx) => {
        const row = await upsertCustomer(
          tx,
          ctx.caller.workspaceId,
          {
            externalId: input.externalId,
            name: input.name.trim(),
            segment: input.segment,
            properties: input.properties ?? undefined,
          },
          new Date(),
        );
        // A segment given for an existing customer may change its weights: rescore it if scored.
        const rescore = !row.created && input.segment !== undefined ? await scoredOnly(tx, [row.id]) : [];
        return { value: row, rescore };
      });
    },
  }),

  updateCustomer: t.withAuth({ write: true }).prismaField({
    type: 'Customer',
    description:
      'Changes some fields of a customer named by id or external id (secret keys only). A ValidationError reports NOT_FOUND, ALREADY_EXISTS or invalid fields.',
    errors,
    args: {
      id: t.arg.id({ required: false, description: "The customer's global id; or give externalId (exactly one)." }),
      externalId: t.arg.string({ required: false, description: "The customer's current external id; or give id." }),
      patch: t.arg({ type: CustomerPatch, required: true, description: 'The fields to change.' }),
    },
    resolve: async (query, _root, { id, externalId, patch }, ctx) => {
      checkCustomerFields(patch, { path: 'patch', partial: true });
      const { id: customerId } = await findCustomer(ctx, { id, externalId });
      await withRescore(ctx, async (tx) => {
        try {
          const before = await tx.customer.update({
            where: { id: customerId },
            data: {
              ...(patch.externalId != null ? { externalId: patch.externalId } : {}),
              ...(patch.name != null ? { name: patch.name.trim() } : {}),
              ...(patch.segment !== undefined ? { segment: patch.segment } : {}),
              ...(patch.properties != null ? { properties: patch.properties as Prisma.InputJsonValue } : {}),
            },
            select: { id: true },
          });
          return { value: before, rescore: patch.segment !== undefined ? await scoredOnly(tx, [customerId]) : [] };
        } catch (error) {
          if (isUniqueViolation(error))
            throw invalid(
              'patch.externalId',
              'ALREADY_EXISTS',
              `a customer with external id "${patch.externalId}" already exists`,
            );
          throw error;
        }
      });
      return ctx.prisma.customer.findUniqueOrThrow({ ...query, where: { id: customerId } });
    },
  }),

  deleteCustomer: t.withAuth({ write: true }).field({
    type: DeleteCustomerPayload,
    description:
      'Deletes a customer with its interactions, history and weights (secret keys only). An unknown customer is a ValidationError (NOT_FOUND).',
    errors,
    args: {
      id: t.arg.id({ required: false, description: "The customer's global id; or give externalId (exactly one)." }),
      externalId: t.arg.string({
        required: false,
        description: "The workspace's own id for the customer; or give id.",
      }),
    },
    resolve: async (_root, args, ctx) => {
      const customer = await findCustomer(ctx, args);
      const deleted = await ctx.prisma.customer.deleteMany({
        where: { id: customer.id, workspaceId: ctx.caller.workspaceId },
      });
      if (deleted.count === 0)
        throw invalid(args.id != null ? 'id' : 'externalId', 'NOT_FOUND', 'the customer was deleted meanwhile');
      return customer;
    },
  }),
}));

/** Of these customers, those that already have a score (the others have nothing to rescore yet). */
async function scoredOnly(tx: Tx, ids: string[]): Promise<string[]> {
  const rows = await tx.customer.findMany({ where: { id: { in: ids }, score: { not: null } }, select: { id: true } });
  return rows.map((r) => r.id);
}
