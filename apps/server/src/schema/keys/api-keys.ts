// API key management (secret keys only): list, create (the key is shown once; only its SHA-256
// hash is stored, by @pulso/api-keys) and revoke. Publishable keys carry the origins a browser
// may use them from. A revoked key is refused by the server within its auth cache's 5 seconds.
import { issueApiKey } from '@pulso/api-keys';
import { builder } from '../../builder.ts';
import { ApiKeyKindEnum } from '../common/enums.ts';
import { UserErrorInterface } from '../common/user-errors.ts';

export class ApiKeyError extends Error {
  override readonly name = 'ApiKeyError';
  constructor(
    readonly field: string,
    readonly code:
      | 'INVALID_ORIGIN'
      | 'NOT_FOUND'
      | 'ALREADY_REVOKED'
      | 'LAST_SECRET_KEY'
      | 'OUT_OF_RANGE'
      | 'MISSING_VALUE',
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

builder.objectType(ApiKeyError, {
  name: 'ApiKeyError',
  description: 'An API key operation that was refused: nothing was changed.',
  interfaces: [UserErrorInterface],
  isTypeOf: (value) => value instanceof ApiKeyError,
  fields: () => ({}),
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

const CreatedApiKey = builder.objectRef<CreatedKey>('CreatedApiKey').implement({
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

/** `https://app.example.com` or `http://localhost:3000`: a scheme, a host, maybe a port; no path. */
function normaliseOrigin(value: string, field: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new ApiKeyError(field, 'INVALID_ORIGIN', `"${value}" is not an origin such as https://app.example.com`);
  }
  if (
    (url.protocol !== 'https:' && url.protocol !== 'http:') ||
    url.origin === 'null' ||
    value.trim().replace(/\/$/, '') !== url.origin
  ) {
    throw new ApiKeyError(
      field,
      'INVALID_ORIGIN',
      `"${value}" is not an origin (scheme, host and optional port only), e.g. ${url.origin}`,
    );
  }
  return url.origin;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

builder.queryField('apiKeys', (t) =>
  t.withAuth({ write: true }).prismaField({
    type: ['ApiKey'],
    description: 'The API keys of the workspace, newest first. Secret keys only.',
    args: {
      includeRevoked: t.arg.boolean({
        required: false,
        defaultValue: false,
        description: 'Also list revoked keys (default false).',
      }),
    },
    resolve: (query, _root, args, ctx) =>
      ctx.prisma.apiKey.findMany({
        ...query,
        where: { workspaceId: ctx.caller.workspaceId, ...(args.includeRevoked ? {} : { revokedAt: null }) },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      }),
  }),
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
      name: t.arg.string({ required: true, description: 'A name telling keys apart, 1–100 characters.' }),
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
    resolve: async (_root, args, ctx) => {
      const name = args.name.trim();
      if (!name || name.length > 100)
        throw new ApiKeyError('name', 'MISSING_VALUE', 'a name of 1 to 100 characters tells keys apart');
      const origins = args.allowedOrigins ?? [];
      if (origins.length && args.kind !== 'PUBLISHABLE') {
        throw new ApiKeyError(
          'allowedOrigins',
          'INVALID_ORIGIN',
          'only publishable keys are used from browsers and carry allowed origins',
        );
      }
      const allowedOrigins = [
        ...new Set(origins.map((origin, index) => normaliseOrigin(origin, `allowedOrigins[${index}]`))),
      ];
      if (args.expiresAt && args.expiresAt.getTime() <= Date.now())
        throw new ApiKeyError('expiresAt', 'OUT_OF_RANGE', 'the expiry must be in the future');
      const issued = issueApiKey(args.kind);
      const row = await ctx.prisma.apiKey.create({
        data: {
          workspaceId: ctx.caller.workspaceId,
          kind: args.kind,
          name,
          prefix: issued.prefix,
          hash: issued.hash,
          allowedOrigins,
          expiresAt: args.expiresAt ?? null,
        },
        select: { id: true },
      });
      return { key: issued.key, id: row.id };
    },
  }),
  revokeApiKey: t.withAuth({ write: true }).prismaField({
    type: 'ApiKey',
    errors: {
      types: [ApiKeyError],
      directResult: true,
      union: { description: 'The revoked key, or an ApiKeyError (NOT_FOUND, ALREADY_REVOKED, LAST_SECRET_KEY).' },
    },
    description:
      'Revokes a key for good (secret keys only); requests with it are refused within 5 seconds. The last active secret key cannot be revoked (LAST_SECRET_KEY).',
    args: { id: t.arg.id({ required: true, description: 'Id of the key (ApiKey.id).' }) },
    resolve: async (query, _root, args, ctx) => {
      const workspaceId = ctx.caller.workspaceId;
      const key = UUID.test(args.id)
        ? await ctx.prisma.apiKey.findFirst({ where: { id: args.id, workspaceId } })
        : null;
      if (!key) throw new ApiKeyError('id', 'NOT_FOUND', `no API key ${args.id} in this workspace`);
      if (key.revokedAt)
        throw new ApiKeyError(
          'id',
          'ALREADY_REVOKED',
          `the key ${key.prefix}… was revoked on ${key.revokedAt.toISOString()}`,
        );
      if (key.kind === 'SECRET') {
        const others = await ctx.prisma.apiKey.count({
          where: {
            workspaceId,
            kind: 'SECRET',
            revokedAt: null,
            id: { not: key.id },
            OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }],
          },
        });
        if (others === 0)
          throw new ApiKeyError(
            'id',
            'LAST_SECRET_KEY',
            'this is the last active secret key: create another one first, or nobody could manage the workspace',
          );
      }
      return ctx.prisma.apiKey.update({ ...query, where: { id: key.id }, data: { revokedAt: new Date() } });
    },
  }),
}));
