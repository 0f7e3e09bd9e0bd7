// Writes on customers: create, update, delete, and upsert by external id, through @pulso/core's
// customer writes (field rules, the upsert's atomicity, the rescoring a new segment calls for).
// Score changes are published to live subscribers once the write has committed.
import { encodeGlobalID } from '@pothos/plugin-relay';
import {
  createCustomer,
  customerFieldProblems,
  externalIdTakenProblem,
  saveCustomer,
  saveCustomers,
  type SavedCustomer,
  updateCustomer,
} from '@pulso/core';
import { builder } from '../../builder.ts';
import { callerOf, type CallerContext } from '../../context.ts';
import { NO_ROW } from '../../global-ids.ts';
import { databaseId } from '../common/global-id.ts';
import { invalid, ValidationError } from '../common/write-errors.ts';
import { workspaceKey } from '@pulso/database';

const errors = {
  types: [ValidationError],
  directResult: true as const,
  union: { description: 'The result, or a ValidationError listing every invalid field when nothing was changed.' },
};

const CustomerInput = builder.inputType('CustomerInput', {
  description: 'A customer as your systems know it.',
  fields: (t) => ({
    externalId: t.string({
      required: true,
      description:
        'Your own id for the customer (unique in the workspace), 1–200 characters. Matched exactly: whitespace around it is refused (INVALID), never trimmed.',
    }),
    name: t.string({ required: true, description: 'Display name, 1–200 characters.' }),
    segment: t.string({
      required: false,
      description: 'Segment (plan, tier...): segment weights apply. Omit to keep, null to clear.',
    }),
    properties: t.field({
      type: 'JSON',
      required: false,
      description:
        'Free-form attributes from your CRM (a JSON object): replaces the stored ones (the CSV importer adds to them instead). Omit to keep.',
    }),
  }),
});

const CustomerPatch = builder.inputType('CustomerPatch', {
  description: 'Fields to change; omitted fields keep their value.',
  fields: (t) => ({
    externalId: t.string({
      required: false,
      description: 'A new external id (unique in the workspace), without whitespace around it.',
    }),
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
      ? { id: databaseId(args.id, 'Customer') ?? NO_ROW, workspaceId }
      : { externalId: args.externalId!, workspaceId };
  const found = await ctx.prisma.customer.findFirst({ where, select: { id: true, externalId: true } });
  if (!found) {
    const [field, value] = args.id != null ? ['id', args.id] : ['externalId', args.externalId];
    throw invalid(field, 'NOT_FOUND', `no customer has ${field} "${value}"`);
  }
  return found;
}

const UpsertedCustomer = builder.objectRef<{ id: string; created: boolean }>('UpsertedCustomer').implement({
  description: 'The customer as stored by upsertCustomer.',
  fields: (t) => ({
    customer: t.prismaField({
      type: 'Customer',
      description: 'The customer as it is now.',
      resolve: (query, parent, _args, ctx) =>
        ctx.prisma.customer.findUniqueOrThrow({ ...query, where: workspaceKey(callerOf(ctx).workspaceId, parent.id) }),
    }),
    created: t.exposeBoolean('created', { description: 'True when the customer did not exist before.' }),
  }),
});

const UpsertedCustomers = builder.objectRef<{ results: SavedCustomer[] }>('UpsertedCustomers').implement({
  description: 'The customers as stored by upsertCustomers: one result per input, and how many of each kind.',
  fields: (t) => ({
    results: t.field({
      type: [UpsertedCustomer],
      description: 'One result per input, in input order.',
      resolve: (p) => p.results,
    }),
    createdCount: t.int({
      description: 'Customers created.',
      resolve: (p) => p.results.filter((r) => r.created).length,
    }),
    updatedCount: t.int({
      description: 'Customers that existed and had a field changed.',
      resolve: (p) => p.results.filter((r) => r.updated).length,
    }),
    unchangedCount: t.int({
      description: 'Customers that existed with every field given already stored: left untouched.',
      resolve: (p) => p.results.filter((r) => !r.created && !r.updated).length,
    }),
  }),
});

const DeletedCustomer = builder.objectRef<{ id: string; externalId: string }>('DeletedCustomer').implement({
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
      const { id } = await createCustomer(ctx.prisma, ctx.caller.workspaceId, input, { path: 'input' });
      return ctx.prisma.customer.findUniqueOrThrow({ ...query, where: workspaceKey(ctx.caller.workspaceId, id) });
    },
  }),

  upsertCustomer: t.withAuth({ write: true }).field({
    type: UpsertedCustomer,
    description:
      'Creates the customer with this external id, or updates it (secret keys only). Safe to call concurrently and to retry; invalid fields are a ValidationError.',
    errors,
    args: {
      input: t.arg({ type: CustomerInput, required: true, description: 'The customer, found by its externalId.' }),
    },
    resolve: async (_root, { input }, ctx) => {
      const { changes, ...saved } = await saveCustomer(ctx.prisma, ctx.caller.workspaceId, input, { path: 'input' });
      ctx.live.publishScoreChanges(changes);
      return saved;
    },
  }),

  upsertCustomers: t.withAuth({ write: true }).field({
    type: UpsertedCustomers,
    description:
      'Creates or updates up to 1,000 customers by external id in one transaction (secret keys only): all of them, or none on a ValidationError listing every invalid field. A customer whose fields are all as given is left untouched; one whose segment changes is rescored. Safe to retry and to run concurrently.',
    errors,
    args: {
      customers: t.arg({
        type: [CustomerInput],
        required: true,
        description: 'The customers, each found by its externalId (each at most once), at most 1,000.',
      }),
      scoreNew: t.arg.boolean({
        required: false,
        defaultValue: false,
        description:
          'Score the customers created, in the same transaction (on silence alone until they have interactions). Otherwise they are scored with their first interaction or by the scheduled rescoring.',
      }),
    },
    resolve: async (_root, { customers, scoreNew }, ctx) => {
      const { results, changes } = await saveCustomers(ctx.prisma, ctx.caller.workspaceId, customers, {
        scoreNew: scoreNew ?? false,
      });
      ctx.live.publishScoreChanges(changes);
      return { results };
    },
  }),

  updateCustomer: t.withAuth({ write: true }).prismaField({
    type: 'Customer',
    description:
      'Changes some fields of a customer named by id or external id (secret keys only). A ValidationError lists every problem at once: invalid fields, the customer named (NOT_FOUND), an external id another customer has (ALREADY_EXISTS).',
    errors,
    args: {
      id: t.arg.id({ required: false, description: "The customer's global id; or give externalId (exactly one)." }),
      externalId: t.arg.string({ required: false, description: "The customer's current external id; or give id." }),
      patch: t.arg({ type: CustomerPatch, required: true, description: 'The fields to change.' }),
    },
    resolve: async (query, _root, { id, externalId, patch }, ctx) => {
      // Every problem in one answer: the invalid fields first (answered alone before), then the
      // customer named, then an external id another customer has (updateCustomer checks again).
      const problems = customerFieldProblems(patch, { path: 'patch', partial: true });
      const found = await findCustomer(ctx, { id, externalId }).catch((error: unknown) => {
        if (!(error instanceof ValidationError)) throw error;
        problems.push(...error.problems);
        return null;
      });
      if (patch.externalId != null && !problems.some((p) => p.field === 'patch.externalId')) {
        const taken = await externalIdTakenProblem(ctx.prisma, ctx.caller.workspaceId, patch.externalId, {
          path: 'patch',
          except: found?.id,
        });
        if (taken) problems.push(taken);
      }
      if (problems.length > 0 || !found) throw new ValidationError(problems);
      const customerId = found.id;
      const { changes } = await updateCustomer(ctx.prisma, ctx.caller.workspaceId, customerId, patch, {
        path: 'patch',
      });
      ctx.live.publishScoreChanges(changes);
      return ctx.prisma.customer.findUniqueOrThrow({
        ...query,
        where: workspaceKey(callerOf(ctx).workspaceId, customerId),
      });
    },
  }),

  deleteCustomer: t.withAuth({ write: true }).field({
    type: DeletedCustomer,
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
