// The workspace's token signing secret and server-side signing, for backends holding the secret
// key. Most backends sign tokens themselves with @pulso/tokens (no round trip); these fields serve
// those that would rather ask Pulso, and the demo.
import { GraphQLError } from 'graphql';
import {
  CUSTOMER_TOKEN_MAX_TTL_SECONDS,
  generateTokenSigningSecret,
  signCustomerToken,
  signViewToken,
  type ViewGrant,
} from '@pulso/tokens';
import { builder } from '../../builder.ts';
import type { CallerContext } from '../../context.ts';
import { databaseId } from '../common/global-id.ts';

/** A grace period longer than the longest-lived token would keep an old secret for nothing. */
const MAX_GRACE_SECONDS = CUSTOMER_TOKEN_MAX_TTL_SECONDS;

async function secretOf(ctx: CallerContext): Promise<string> {
  const w = await ctx.prisma.workspace.findUniqueOrThrow({
    where: { id: ctx.caller.workspaceId },
    select: { tokenSigningSecret: true },
  });
  return w.tokenSigningSecret;
}

function badInput(error: unknown): never {
  if (error instanceof RangeError || error instanceof TypeError)
    throw new GraphQLError(error.message, { extensions: { code: 'BAD_USER_INPUT' } });
  throw error;
}

builder.queryField('tokenSigningSecret', (t) =>
  t.withAuth({ write: true }).string({
    description:
      'The secret your backend signs customer and view tokens with (HMAC-SHA-256). Secret keys only; never put it in a page.',
    resolve: (_root, _args, ctx) => secretOf(ctx),
  }),
);

builder.mutationFields((t) => ({
  rotateTokenSigningSecret: t.withAuth({ write: true }).string({
    description:
      'Replaces the token signing secret and returns the new one. With `graceSeconds`, tokens signed with the old secret are still accepted that long (pages already holding them keep working while your backend switches); without, they are refused from now on (by other server instances within 5 seconds). A rotation ends the grace period of the one before.',
    args: {
      graceSeconds: t.arg.int({
        required: false,
        description: `How long tokens signed with the old secret stay valid, in seconds (default 0: refused at once; at most ${MAX_GRACE_SECONDS}, the longest a customer token may live).`,
      }),
    },
    resolve: async (_root, { graceSeconds }, ctx) => {
      const grace = graceSeconds ?? 0;
      if (!Number.isInteger(grace) || grace < 0 || grace > MAX_GRACE_SECONDS) {
        throw new GraphQLError(`graceSeconds must be between 0 and ${MAX_GRACE_SECONDS}, got ${grace}`, {
          extensions: { code: 'BAD_USER_INPUT' },
        });
      }
      const secret = generateTokenSigningSecret();
      const workspaceId = ctx.caller.workspaceId;
      // One statement: the old secret becomes the previous one as the new one takes its place (the
      // right-hand sides read the row as it was), so concurrent rotations cannot lose a secret.
      // Times are UTC without a zone, as Prisma stores them.
      await ctx.prisma.$executeRaw`
        UPDATE "Workspace"
        SET "previousTokenSigningSecret" = CASE WHEN ${grace} > 0 THEN "tokenSigningSecret" END,
            "previousTokenSigningSecretUntil" = CASE WHEN ${grace} > 0 THEN (now() AT TIME ZONE 'UTC') + ${grace} * interval '1 second' END,
            "tokenSigningSecret" = ${secret}
        WHERE id = ${workspaceId}::uuid`;
      ctx.signingSecrets.forget(workspaceId);
      return secret;
    },
  }),
  createCustomerToken: t.withAuth({ write: true }).string({
    description: 'Signs a customer token for the rating widget (default lifetime one day, at most 30 days).',
    args: {
      externalId: t.arg.string({
        required: true,
        description: "The workspace's own id for the customer the widget rates for.",
      }),
      expiresInSeconds: t.arg.int({
        required: false,
        description: 'Lifetime in seconds (default 86,400, at most 30 days).',
      }),
    },
    resolve: async (_root, args, ctx) =>
      signCustomerToken({
        secret: await secretOf(ctx),
        externalId: args.externalId,
        expiresInSeconds: args.expiresInSeconds ?? undefined,
      }).catch(badInput),
  }),
  createViewToken: t.withAuth({ write: true }).string({
    description:
      "Signs a view token: one customer's score (customerId or externalId) or the at-risk list (atRisk: true). Default 10 minutes, at most one hour.",
    args: {
      customerId: t.arg.id({ required: false, description: "Grant one customer's score: the customer's global id." }),
      externalId: t.arg.string({
        required: false,
        description: "Grant one customer's score: the workspace's own id for the customer.",
      }),
      atRisk: t.arg.boolean({ required: false, description: 'true: grant the at-risk list.' }),
      expiresInSeconds: t.arg.int({
        required: false,
        description: 'Lifetime in seconds (default 600, at most 3,600).',
      }),
    },
    resolve: async (_root, args, ctx) => {
      const named = [args.customerId != null, args.externalId != null, args.atRisk === true].filter(Boolean).length;
      if (named !== 1)
        throw new GraphQLError('createViewToken needs exactly one of customerId, externalId or atRisk: true', {
          extensions: { code: 'BAD_USER_INPUT' },
        });
      let grant: ViewGrant = { kind: 'at_risk' };
      if (args.customerId != null || args.externalId != null) {
        const id = args.customerId != null ? databaseId(String(args.customerId), 'Customer') : null;
        const customer = await ctx.prisma.customer.findFirst({
          where: {
            workspaceId: ctx.caller.workspaceId,
            ...(args.customerId != null
              ? { id: id ?? '00000000-0000-0000-0000-000000000000' }
              : { externalId: args.externalId! }),
          },
          select: { externalId: true },
        });
        if (!customer)
          throw new GraphQLError('no such customer in this workspace', { extensions: { code: 'NOT_FOUND' } });
        grant = { kind: 'customer', externalId: customer.externalId };
      }
      return signViewToken({
        secret: await secretOf(ctx),
        workspaceId: ctx.caller.workspaceId,
        grant,
        expiresInSeconds: args.expiresInSeconds ?? undefined,
      }).catch(badInput);
    },
  }),
}));
