// The workspace's token signing secret and server-side signing, for backends holding the secret
// key. Most backends sign tokens themselves with @pulso/tokens (no round trip); these fields serve
// those that would rather ask Pulso, and the demo.
import {
  CUSTOMER_TOKEN_MAX_TTL_SECONDS,
  generateTokenSigningSecret,
  signCustomerToken,
  signViewToken,
  VIEW_TOKEN_MAX_TTL_SECONDS,
  type ViewGrant,
} from '@pulso/tokens';
import { builder } from '../../builder.ts';
import type { CallerContext } from '../../context.ts';
import { databaseId } from '../common/global-id.ts';
import { invalid, ValidationError } from '../common/write-errors.ts';

/** A grace period longer than the longest-lived token would keep an old secret for nothing. */
const MAX_GRACE_SECONDS = CUSTOMER_TOKEN_MAX_TTL_SECONDS;
const CUSTOMER_TOKEN_DEFAULT_SECONDS = 24 * 60 * 60;
const VIEW_TOKEN_DEFAULT_SECONDS = 10 * 60;

async function secretOf(ctx: CallerContext): Promise<string> {
  const w = await ctx.prisma.workspace.findUniqueOrThrow({
    where: { id: ctx.caller.workspaceId },
    select: { tokenSigningSecret: true },
  });
  return w.tokenSigningSecret;
}

/** A caller's mistake in a token mutation is a ValidationError naming the argument, like every write's. */
function checkSeconds(field: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max)
    throw invalid(field, 'OUT_OF_RANGE', `a whole number of seconds from ${min} to ${max}, got ${value}`);
  return value;
}

/** The token's expiry as the token says it: whole seconds, counted from the same `now` it is signed at. */
const expiresAt = (now: Date, seconds: number) => new Date((Math.floor(now.getTime() / 1000) + seconds) * 1000);

interface SignedCustomerToken {
  token: string;
  expiresAt: Date;
  externalId: string;
}

const CustomerTokenRef = builder.objectRef<SignedCustomerToken>('CustomerToken').implement({
  description: 'A signed customer token for the rating widget (`<pulso-rating customer-token>`), with what it allows.',
  fields: (t) => ({
    token: t.exposeString('token', { description: 'The JWT to put in the page.' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', description: 'When it stops being accepted.' }),
    externalId: t.exposeString('externalId', { description: 'The customer it rates for (its scope).' }),
  }),
});

const ViewTokenScopeEnum = builder.enumType('ViewTokenScope', {
  description: 'What a view token reads.',
  values: {
    CUSTOMER: { value: 'customer', description: "One customer's score, for `<pulso-gauge>`." },
    AT_RISK: { value: 'at_risk', description: 'The at-risk list, for `<pulso-at-risk>`.' },
  } as const,
});

interface SignedViewToken {
  token: string;
  expiresAt: Date;
  scope: ViewGrant['kind'];
  externalId: string | null;
}

const ViewTokenRef = builder.objectRef<SignedViewToken>('ViewToken').implement({
  description: 'A signed view token for a portal widget, with what it allows.',
  fields: (t) => ({
    token: t.exposeString('token', { description: 'The JWT to hand to the widget (`token` attribute).' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', description: 'When it stops being accepted.' }),
    scope: t.expose('scope', { type: ViewTokenScopeEnum, description: 'What it reads.' }),
    externalId: t.exposeString('externalId', {
      nullable: true,
      description: 'The customer whose score it reads (scope CUSTOMER); null for AT_RISK.',
    }),
  }),
});

interface RotatedSecret {
  secret: string;
  previousSecretAcceptedUntil: Date | null;
}

const TokenSigningSecretRef = builder.objectRef<RotatedSecret>('TokenSigningSecret').implement({
  description: 'The new token signing secret, and how long tokens signed with the old one are still accepted.',
  fields: (t) => ({
    secret: t.exposeString('secret', {
      description: 'The new secret (`pulso_ts_…`): sign tokens with it from now on. Never put it in a page.',
    }),
    previousSecretAcceptedUntil: t.expose('previousSecretAcceptedUntil', {
      type: 'DateTime',
      nullable: true,
      description: 'Until when tokens signed with the old secret are accepted; null when they are refused at once.',
    }),
  }),
});

const tokenErrors = (what: string) => ({
  types: [ValidationError],
  directResult: true as const,
  union: { description: `${what}, or a ValidationError naming the argument (field, code) when nothing was done.` },
});

builder.queryField('tokenSigningSecret', (t) =>
  t.withAuth({ write: true }).string({
    description:
      'The secret your backend signs customer and view tokens with (HMAC-SHA-256). Secret keys only; never put it in a page.',
    resolve: (_root, _args, ctx) => secretOf(ctx),
  }),
);

builder.mutationFields((t) => ({
  rotateTokenSigningSecret: t.withAuth({ write: true }).field({
    type: TokenSigningSecretRef,
    errors: tokenErrors('The new secret'),
    description:
      'Replaces the token signing secret and returns the new one. With `graceSeconds`, tokens signed with the old secret are still accepted that long (pages already holding them keep working while your backend switches); without, they are refused from now on (by other server instances within 5 seconds), and live streams following them end with UNAUTHENTICATED before their next event. A rotation ends the grace period of the one before. Refused with a ValidationError (OUT_OF_RANGE).',
    args: {
      graceSeconds: t.arg.int({
        required: false,
        description: `How long tokens signed with the old secret stay valid, in seconds (default 0: refused at once; at most ${MAX_GRACE_SECONDS}, the longest a customer token may live).`,
      }),
    },
    resolve: async (_root, { graceSeconds }, ctx) => {
      const grace = checkSeconds('graceSeconds', graceSeconds ?? 0, 0, MAX_GRACE_SECONDS);
      const secret = generateTokenSigningSecret();
      const workspaceId = ctx.caller.workspaceId;
      // One statement: the old secret becomes the previous one as the new one takes its place (the
      // right-hand sides read the row as it was), so concurrent rotations cannot lose a secret.
      // Times are UTC without a zone, as Prisma stores them.
      const [row] = await ctx.prisma.$queryRaw<{ until: Date | null }[]>`
        UPDATE "Workspace"
        SET "previousTokenSigningSecret" = CASE WHEN ${grace} > 0 THEN "tokenSigningSecret" END,
            "previousTokenSigningSecretUntil" = CASE WHEN ${grace} > 0 THEN (now() AT TIME ZONE 'UTC') + ${grace} * interval '1 second' END,
            "tokenSigningSecret" = ${secret}
        WHERE id = ${workspaceId}::uuid
        RETURNING "previousTokenSigningSecretUntil" AS until`;
      ctx.signingSecrets.forget(workspaceId);
      return { secret, previousSecretAcceptedUntil: row?.until ?? null };
    },
  }),
  createCustomerToken: t.withAuth({ write: true }).field({
    type: CustomerTokenRef,
    errors: tokenErrors('The signed token'),
    description: `Signs a customer token for the rating widget (default lifetime one day, at most 30 days). The customer need not exist yet: the first rating made with the token creates it (named by its external id). Refused with a ValidationError (OUT_OF_RANGE, MISSING_VALUE).`,
    args: {
      externalId: t.arg.string({
        required: true,
        description: "The workspace's own id for the customer the widget rates for.",
      }),
      expiresInSeconds: t.arg.int({
        required: false,
        description: `Lifetime in seconds (default ${CUSTOMER_TOKEN_DEFAULT_SECONDS}, at most ${CUSTOMER_TOKEN_MAX_TTL_SECONDS}: 30 days).`,
      }),
    },
    resolve: async (_root, args, ctx) => {
      if (args.externalId.length === 0) throw invalid('externalId', 'MISSING_VALUE', 'must not be empty');
      const seconds = checkSeconds(
        'expiresInSeconds',
        args.expiresInSeconds ?? CUSTOMER_TOKEN_DEFAULT_SECONDS,
        1,
        CUSTOMER_TOKEN_MAX_TTL_SECONDS,
      );
      const now = new Date();
      const secret = await secretOf(ctx);
      const token = await signCustomerToken({ secret, externalId: args.externalId, expiresInSeconds: seconds, now });
      return { token, expiresAt: expiresAt(now, seconds), externalId: args.externalId };
    },
  }),
  createViewToken: t.withAuth({ write: true }).field({
    type: ViewTokenRef,
    errors: tokenErrors('The signed token'),
    description:
      "Signs a view token: one customer's score (customerId or externalId) or the at-risk list (atRisk: true). Default 10 minutes, at most one hour. Refused with a ValidationError (MISSING_VALUE, NOT_FOUND, OUT_OF_RANGE).",
    args: {
      customerId: t.arg.id({ required: false, description: "Grant one customer's score: the customer's global id." }),
      externalId: t.arg.string({
        required: false,
        description: "Grant one customer's score: the workspace's own id for the customer.",
      }),
      atRisk: t.arg.boolean({ required: false, description: 'true: grant the at-risk list.' }),
      expiresInSeconds: t.arg.int({
        required: false,
        description: `Lifetime in seconds (default ${VIEW_TOKEN_DEFAULT_SECONDS}, at most ${VIEW_TOKEN_MAX_TTL_SECONDS}).`,
      }),
    },
    resolve: async (_root, args, ctx) => {
      const given = (['customerId', 'externalId', 'atRisk'] as const).filter((name) =>
        name === 'atRisk' ? args.atRisk === true : args[name] != null,
      );
      // None given: the first choice is missing; several: the second one is the one too many.
      if (given.length !== 1)
        throw invalid(
          given[1] ?? 'customerId',
          given.length === 0 ? 'MISSING_VALUE' : 'INVALID',
          'give exactly one of customerId, externalId or atRisk: true',
        );
      const seconds = checkSeconds(
        'expiresInSeconds',
        args.expiresInSeconds ?? VIEW_TOKEN_DEFAULT_SECONDS,
        1,
        VIEW_TOKEN_MAX_TTL_SECONDS,
      );
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
          throw invalid(
            args.customerId != null ? 'customerId' : 'externalId',
            'NOT_FOUND',
            'no such customer in this workspace',
          );
        grant = { kind: 'customer', externalId: customer.externalId };
      }
      const now = new Date();
      const token = await signViewToken({
        secret: await secretOf(ctx),
        workspaceId: ctx.caller.workspaceId,
        grant,
        expiresInSeconds: seconds,
        now,
      });
      return {
        token,
        expiresAt: expiresAt(now, seconds),
        scope: grant.kind,
        externalId: grant.kind === 'customer' ? grant.externalId : null,
      };
    },
  }),
}));
