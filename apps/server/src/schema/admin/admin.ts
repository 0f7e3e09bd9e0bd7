// The instance administrator's fields (the `admin` scope: PULSO_ADMIN_KEY, or the per-start key the
// `pulso` command uses on a PGlite folder): create, list, rename and delete workspaces and issue
// their keys, for whoever hosts one Pulso for several companies. They translate to the same
// @pulso/core functions the `pulso` command calls on a database it opens itself. Every call that
// changes something is audited in the log (who, what, which workspace, the outcome), refusals too;
// they are rate-limited like every operation, under the administrator key's own budget.
import {
  addWorkspace,
  ApiKeyError,
  createApiKey,
  deleteWorkspace,
  type DeletedWorkspace,
  describeWorkspace,
  findWorkspace,
  listWorkspaces,
  MAX_API_KEY_NAME,
  MAX_WORKSPACE_NAME,
  MAX_WORKSPACE_SLUG,
  renameWorkspace,
  revokeApiKey,
  WorkspaceError,
  type WorkspaceSummary,
} from '@pulso/core';
import { GraphQLError } from 'graphql';
import { builder } from '../../builder.ts';
import type { CallerContext } from '../../context.ts';
import { ApiKeyKindEnum } from '../common/enums.ts';
import { UserErrorInterface } from '../common/user-errors.ts';
import { CreatedApiKey } from '../keys/api-keys.ts';

builder.objectType(WorkspaceError, {
  name: 'WorkspaceError',
  description: 'A workspace operation that was refused: nothing was changed.',
  interfaces: [UserErrorInterface],
  isTypeOf: (value) => value instanceof WorkspaceError,
  fields: () => ({}),
});

const AdminWorkspace = builder.objectRef<WorkspaceSummary>('AdminWorkspace').implement({
  description: 'A workspace as the instance administrator sees it: what it is and what it holds.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Pulso id of the workspace.' }),
    slug: t.exposeString('slug', {
      description: 'Short unique name: how admin fields and the `pulso` command name it.',
    }),
    name: t.exposeString('name', { description: 'Name for display.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the workspace was created.' }),
    customerCount: t.exposeInt('customers', { description: 'How many customers it has, churned ones included.' }),
    interactionCount: t.exposeInt('interactions', { description: 'How many interactions it has recorded.' }),
    activeApiKeyCount: t.exposeInt('activeApiKeys', { description: 'Its API keys neither revoked nor expired.' }),
  }),
});

interface Created {
  slug: string;
  secretKey: string;
  publishableKey: string;
}

const CreatedWorkspace = builder.objectRef<Created>('CreatedWorkspace').implement({
  description: 'A new workspace and its first two keys, shown this once: only their hashes are stored.',
  fields: (t) => ({
    workspace: t.field({
      type: AdminWorkspace,
      description: 'The workspace, with the default scoring model.',
      resolve: (parent, _args, ctx) => describeWorkspace(ctx.prisma, parent.slug),
    }),
    secretKey: t.exposeString('secretKey', {
      description: "The secret key (pulso_sk_), for the company's backend. Store it now: it is never shown again.",
    }),
    publishableKey: t.exposeString('publishableKey', {
      description: 'The publishable key (pulso_pk_), safe in public pages (micro-ratings only).',
    }),
  }),
});

const Deleted = builder.objectRef<DeletedWorkspace>('DeletedWorkspace').implement({
  description: 'What deleting a workspace removed, for good.',
  fields: (t) => ({
    slug: t.exposeString('slug', { description: 'The slug it had.' }),
    name: t.exposeString('name', { description: 'The name it had.' }),
    customerCount: t.exposeInt('customers', { description: 'Customers removed.' }),
    interactionCount: t.exposeInt('interactions', { description: 'Interactions removed.' }),
    apiKeyCount: t.exposeInt('apiKeys', { description: 'API keys removed, revoked ones included.' }),
  }),
});

/** Runs an admin change and writes its audit line, whether it succeeded or was refused. */
async function audited<T>(ctx: CallerContext, action: string, details: Record<string, unknown>, run: () => Promise<T>) {
  const entry = { audit: 'admin', credential: ctx.caller.apiKeyId, action, ...details };
  try {
    const result = await run();
    ctx.logger.info({ ...entry, outcome: 'done' }, `admin: ${action}`);
    return result;
  } catch (error) {
    const refused = error instanceof WorkspaceError || error instanceof ApiKeyError;
    ctx.logger[refused ? 'info' : 'error'](
      {
        ...entry,
        outcome: refused ? 'refused' : 'failed',
        code: refused ? error.code : undefined,
        err: refused ? undefined : error,
      },
      `admin: ${action} ${refused ? 'refused' : 'failed'}`,
    );
    throw error;
  }
}

const WORKSPACE_ARG = { required: true, description: 'The slug of the workspace.' } as const;

builder.queryFields((t) => ({
  adminWorkspaces: t.withAuth({ admin: true }).field({
    type: [AdminWorkspace],
    description: 'Every workspace of this instance, oldest first, with what it holds. The administrator key only.',
    resolve: (_root, _args, ctx) => listWorkspaces(ctx.prisma),
  }),
  adminApiKeys: t.withAuth({ admin: true }).prismaField({
    type: ['ApiKey'],
    description:
      "A workspace's API keys, newest first (an unknown slug is a NOT_FOUND error). The administrator key only.",
    args: {
      workspace: t.arg.string(WORKSPACE_ARG),
      includeRevoked: t.arg.boolean({ required: false, defaultValue: false, description: 'Also list revoked keys.' }),
    },
    resolve: async (query, _root, args, ctx) => {
      const workspace = await findWorkspace(ctx.prisma, args.workspace).catch((error: unknown) => {
        if (error instanceof WorkspaceError)
          throw new GraphQLError(error.message, { extensions: { code: 'NOT_FOUND', argument: 'workspace' } });
        throw error;
      });
      return ctx.prisma.apiKey.findMany({
        ...query,
        where: { workspaceId: workspace.id, ...(args.includeRevoked ? {} : { revokedAt: null }) },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      });
    },
  }),
}));

builder.mutationFields((t) => ({
  adminCreateWorkspace: t.withAuth({ admin: true }).field({
    type: CreatedWorkspace,
    errors: {
      types: [WorkspaceError],
      directResult: true,
      union: { description: 'The new workspace and its keys, or a WorkspaceError when it was refused.' },
    },
    description:
      'Creates a workspace for a company with the default scoring model, a secret and a publishable key (shown once). Refused with a WorkspaceError: MISSING_VALUE, INVALID_SLUG, SLUG_TAKEN. The administrator key only.',
    args: {
      name: t.arg.string({ required: true, description: `The company's name, 1–${MAX_WORKSPACE_NAME} characters.` }),
      slug: t.arg.string({
        required: false,
        description: `Short unique name (lowercase letters, digits, dashes; at most ${MAX_WORKSPACE_SLUG}); made from the name when omitted.`,
      }),
    },
    resolve: (_root, args, ctx) =>
      audited(ctx, 'create workspace', { name: args.name, slug: args.slug ?? undefined }, async () => {
        const created = await addWorkspace(ctx.prisma, { name: args.name, slug: args.slug });
        return { slug: created.slug, secretKey: created.secretKey.key, publishableKey: created.publishableKey.key };
      }),
  }),
  adminRenameWorkspace: t.withAuth({ admin: true }).field({
    type: AdminWorkspace,
    errors: {
      types: [WorkspaceError],
      directResult: true,
      union: {
        description: 'The renamed workspace, or a WorkspaceError (NOT_FOUND, MISSING_VALUE, INVALID_SLUG, SLUG_TAKEN).',
      },
    },
    description:
      'Gives a workspace a new name, a new slug, or both; its keys and data stay. The administrator key only.',
    args: {
      workspace: t.arg.string(WORKSPACE_ARG),
      name: t.arg.string({ required: false, description: 'The new name.' }),
      slug: t.arg.string({ required: false, description: 'The new slug.' }),
    },
    resolve: (_root, args, ctx) =>
      audited(
        ctx,
        'rename workspace',
        { workspace: args.workspace, name: args.name ?? undefined, slug: args.slug ?? undefined },
        () => renameWorkspace(ctx.prisma, args.workspace, { name: args.name, slug: args.slug }),
      ),
  }),
  adminDeleteWorkspace: t.withAuth({ admin: true }).field({
    type: Deleted,
    errors: {
      types: [WorkspaceError],
      directResult: true,
      union: { description: 'What was removed, or a WorkspaceError (NOT_FOUND).' },
    },
    description:
      'Deletes a workspace and everything in it (customers, interactions, scores, keys, webhooks) in one transaction, for good; answers what it removed. Read `adminWorkspaces` first to show what will go. The administrator key only.',
    args: { workspace: t.arg.string(WORKSPACE_ARG) },
    resolve: (_root, args, ctx) =>
      audited(ctx, 'delete workspace', { workspace: args.workspace }, () =>
        deleteWorkspace(ctx.prisma, args.workspace),
      ),
  }),
  adminCreateApiKey: t.withAuth({ admin: true }).field({
    type: CreatedApiKey,
    errors: {
      types: [ApiKeyError, WorkspaceError],
      directResult: true,
      union: { description: 'The new key, or an ApiKeyError / WorkspaceError when it was refused.' },
    },
    description:
      'Issues a key for a workspace (e.g. when its keys were lost): shown once. Refused with an ApiKeyError (MISSING_VALUE, INVALID_ORIGIN, OUT_OF_RANGE) or a WorkspaceError (NOT_FOUND). The administrator key only.',
    args: {
      workspace: t.arg.string(WORKSPACE_ARG),
      name: t.arg.string({
        required: true,
        description: `A name telling keys apart, 1–${MAX_API_KEY_NAME} characters.`,
      }),
      kind: t.arg({ type: ApiKeyKindEnum, required: true, description: 'What the key may do.' }),
      allowedOrigins: t.arg.stringList({
        required: false,
        description: 'Publishable keys only: origins allowed to use it. Empty or omitted: any origin.',
      }),
      expiresAt: t.arg({ type: 'DateTime', required: false, description: 'When it stops working; omitted: never.' }),
    },
    resolve: (_root, args, ctx) =>
      audited(ctx, 'create API key', { workspace: args.workspace, kind: args.kind, name: args.name }, async () => {
        const workspace = await findWorkspace(ctx.prisma, args.workspace);
        return createApiKey(ctx.prisma, workspace.id, {
          name: args.name,
          kind: args.kind,
          allowedOrigins: args.allowedOrigins,
          expiresAt: args.expiresAt,
        });
      }),
  }),
  adminRevokeApiKey: t.withAuth({ admin: true }).prismaField({
    type: 'ApiKey',
    errors: {
      types: [ApiKeyError, WorkspaceError],
      directResult: true,
      union: {
        description:
          'The revoked key, or an ApiKeyError (NOT_FOUND, ALREADY_REVOKED, LAST_SECRET_KEY) / WorkspaceError (NOT_FOUND).',
      },
    },
    description:
      "Revokes a workspace's key for good; requests with it are refused within 5 seconds. The last active secret key stays (create another first). The administrator key only.",
    args: {
      workspace: t.arg.string(WORKSPACE_ARG),
      id: t.arg.id({ required: true, description: 'Id of the key (ApiKey.id).' }),
    },
    resolve: (query, _root, args, ctx) =>
      audited(ctx, 'revoke API key', { workspace: args.workspace, key: args.id }, async () => {
        const workspace = await findWorkspace(ctx.prisma, args.workspace);
        const { id } = await revokeApiKey(ctx.prisma, workspace.id, args.id);
        return ctx.prisma.apiKey.findUniqueOrThrow({ ...query, where: { id } });
      }),
  }),
}));
