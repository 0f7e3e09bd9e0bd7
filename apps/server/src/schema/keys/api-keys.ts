// API key management (secret keys only): list, create (the key is shown once; only its SHA-256
// hash is stored) and revoke, by @pulso/core's keys rules. Publishable keys carry the origins a
// browser may use them from. A revoked key is refused by the server within its auth cache's 5 seconds.
import { ApiKeyError, createApiKey, MAX_API_KEY_NAME, revokeApiKey } from '@pulso/core';
import { builder } from '../../builder.ts';
import { totalCountField } from '../common/connection-options.ts';
import { ApiKeyKindEnum } from '../common/enums.ts';
import { FieldProblemRef, UserErrorInterface } from '../common/user-errors.ts';

builder.objectType(ApiKeyError, {
  name: 'ApiKeyError',
  description:
    'An API key operation that was refused: nothing was changed. `problems` lists every problem found (each bad origin, the name, the expiry); `field` and `code` are the first.',
  interfaces: [UserErrorInterface],
  isTypeOf: (value) => value instanceof ApiKeyError,
  fields: (t) => ({
    problems: t.field({
      type: [FieldProblemRef],
      description: 'Every problem found, each with its field, code and message.',
      resolve: (error) => [...error.problems],
    }),
  }),
});

builder.prismaObject('ApiKey', {
  description: 'An API key of the workspace. The key itself is shown only when created; listings show its prefix.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Id of the key: pass it to revokeApiKey.' }),
    name: t.exposeString('name', { description: 'A name telling keys apart, e.g. `CRM sync`.' }),
    kind: t.expose('kind', { type: ApiKeyKindEnum, description: 'What the key may do.' }),
    prefix: t.exposeString('prefix', { description: 'The first characters of the key, e.g. `pulso_sk_3f9a`.' }),
    allowedOrigins: t.exposeStringList('allowedOrigins', {
      description: 'Publishable keys: origins a browser may send it from (empty: any).',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the key was created.' }),
    lastUsedAt: t.expose('lastUsedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When a request last used it; null if never.',
    }),
    expiresAt: t.expose('expiresAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When it stops working; null if it never expires.',
    }),
    revokedAt: t.expose('revokedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When it was revoked; null while active.',
    }),
  }),
});

interface CreatedKey {
  key: string;
  id: string;
}

export const CreatedApiKey = builder.objectRef<CreatedKey>('CreatedApiKey').implement({
  description: 'A new key: `key` is shown this once and cannot be read again.',
  fields: (t) => ({
    key: t.exposeString('key', {
      description: 'The full key, to send as `Authorization: Bearer <key>`. Store it now: it is never shown again.',
    }),
    apiKey: t.prismaField({
      type: 'ApiKey',
      description: 'The stored key: name, kind, prefix, expiry.',
      resolve: (query, parent, _args, ctx) =>
        ctx.prisma.apiKey.findUniqueOrThrow({ ...query, where: { id: parent.id } }),
    }),
  }),
});

const apiKeysWhere = (workspaceId: string, includeRevoked: boolean | null | undefined) => ({
  workspaceId,
  ...(includeRevoked ? {} : { revokedAt: null }),
});

builder.queryField('apiKeys', (t) =>
  t.withAuth({ write: true }).prismaConnection(
    {
      type: 'ApiKey',
      cursor: 'id',
      description: 'The API keys of the workspace, newest first. Secret keys only.',
      args: {
        includeRevoked: t.arg.boolean({
          required: false,
          defaultValue: false,
          description: 'Also list revoked keys (default false).',
        }),
      },
      totalCount: (_root, args, ctx) =>
        ctx.prisma.apiKey.count({ where: apiKeysWhere(ctx.caller.workspaceId, args.includeRevoked) }),
      resolve: (query, _root, args, ctx) =>
        ctx.prisma.apiKey.findMany({
          ...query,
          where: apiKeysWhere(ctx.caller.workspaceId, args.includeRevoked),
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        }),
    },
    {
      name: 'ApiKeyConnection',
      description: 'A page of API keys.',
      fields: (c) => ({ totalCount: c.int(totalCountField('keys match (revoked ones only when asked)')) }),
    },
    { name: 'ApiKeyEdge', description: 'An API key in a page, with its cursor.' },
  ),
);

builder.mutationFields((t) => ({
  createApiKey: t.withAuth({ write: true }).field({
    type: CreatedApiKey,
    errors: {
      types: [ApiKeyError],
      directResult: true,
      union: { description: 'The new key (CreatedApiKey), or an ApiKeyError when it was refused.' },
    },
    description:
      'Creates a key (secret keys only). Publishable keys (pulso_pk_) may list the origins allowed to use them. Refused with an ApiKeyError: MISSING_VALUE, INVALID_ORIGIN, OUT_OF_RANGE.',
    args: {
      name: t.arg.string({
        required: true,
        description: `A name telling keys apart, 1–${MAX_API_KEY_NAME} characters.`,
      }),
      kind: t.arg({ type: ApiKeyKindEnum, required: true, description: 'What the key may do.' }),
      allowedOrigins: t.arg.stringList({
        required: false,
        description:
          'Publishable keys only: origins such as `https://app.example.com` (scheme, host, port; no path). Empty or omitted: any origin.',
      }),
      expiresAt: t.arg({
        type: 'DateTime',
        required: false,
        description: 'When it stops working (in the future); omitted: never.',
      }),
    },
    resolve: (_root, args, ctx) =>
      createApiKey(ctx.prisma, ctx.caller.workspaceId, {
        name: args.name,
        kind: args.kind,
        allowedOrigins: args.allowedOrigins,
        expiresAt: args.expiresAt,
      }),
  }),
  revokeApiKey: t.withAuth({ write: true }).prismaField({
    type: 'ApiKey',
    errors: {
      types: [ApiKeyError],
      directResult: true,
      union: { description: 'The revoked key, or an ApiKeyError (NOT_FOUND, ALREADY_REVOKED, LAST_SECRET_KEY).' },
    },
    description:
      'Revokes a key for good (secret keys only); requests with it are refused within 5 seconds, and its open live streams end with UNAUTHENTICATED at their next event after that. The last active secret key cannot be revoked (LAST_SECRET_KEY).',
    args: { id: t.arg.id({ required: true, description: 'Id of the key (ApiKey.id).' }) },
    resolve: async (query, _root, args, ctx) => {
      const { id } = await revokeApiKey(ctx.prisma, ctx.caller.workspaceId, args.id);
      return ctx.prisma.apiKey.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
}));
