// Managing a workspace's API keys: what a new key must be (a name, origins only for publishable
// keys, an expiry in the future; every problem of a key refused at once) and the rule that the last active secret key cannot be revoked,
// or nobody could manage the workspace any more. The key itself is shown once; only its SHA-256
// hash is stored (@pulso/api-keys).
import { issueApiKey, type ApiKeyKind } from '@pulso/api-keys';
import type { PrismaClient } from '@pulso/database';
import { ApiKeyError, type ApiKeyProblem } from './api-key-error.ts';
import { normaliseOrigin } from './origins.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const MAX_API_KEY_NAME = 100;

export interface NewApiKey {
  name: string;
  kind: ApiKeyKind;
  /** Publishable keys only; empty or missing: any origin. */
  allowedOrigins?: readonly string[] | null;
  /** Missing: the key never expires. */
  expiresAt?: Date | null;
}

/** Creates a key; the full key is in the answer and nowhere else. */
export async function createApiKey(
  prisma: PrismaClient,
  workspaceId: string,
  input: NewApiKey,
  now = new Date(),
): Promise<{ key: string; id: string }> {
  // Every problem at once, in the order they were answered one at a time before.
  const problems: ApiKeyProblem[] = [];
  const name = input.name.trim();
  if (!name || name.length > MAX_API_KEY_NAME)
    problems.push({
      field: 'name',
      code: 'MISSING_VALUE',
      message: `a name of 1 to ${MAX_API_KEY_NAME} characters tells keys apart`,
    });
  const origins = input.allowedOrigins ?? [];
  const normalised: string[] = [];
  if (origins.length && input.kind !== 'PUBLISHABLE') {
    // The origins themselves do not matter then: the fix is to leave them out.
    problems.push({
      field: 'allowedOrigins',
      code: 'INVALID_ORIGIN',
      message: 'only publishable keys are used from browsers and carry allowed origins',
    });
  } else {
    origins.forEach((origin, index) => {
      try {
        normalised.push(normaliseOrigin(origin, `allowedOrigins[${index}]`));
      } catch (error) {
        if (!(error instanceof ApiKeyError)) throw error;
        problems.push(...error.problems);
      }
    });
  }
  if (input.expiresAt && input.expiresAt.getTime() <= now.getTime())
    problems.push({ field: 'expiresAt', code: 'OUT_OF_RANGE', message: 'the expiry must be in the future' });
  if (problems.length > 0) throw ApiKeyError.of(problems);
  const allowedOrigins = [...new Set(normalised)];
  const issued = issueApiKey(input.kind);
  const row = await prisma.apiKey.create({
    data: {
      workspaceId,
      kind: input.kind,
      name,
      prefix: issued.prefix,
      hash: issued.hash,
      allowedOrigins,
      expiresAt: input.expiresAt ?? null,
    },
    select: { id: true },
  });
  return { key: issued.key, id: row.id };
}

/** Revokes a key of the workspace for good; refuses an unknown, revoked or last secret key. */
export async function revokeApiKey(
  prisma: PrismaClient,
  workspaceId: string,
  id: string,
  now = new Date(),
): Promise<{ id: string }> {
  const key = UUID.test(id) ? await prisma.apiKey.findFirst({ where: { id, workspaceId } }) : null;
  if (!key) throw new ApiKeyError('id', 'NOT_FOUND', `no API key ${id} in this workspace`);
  if (key.revokedAt)
    throw new ApiKeyError(
      'id',
      'ALREADY_REVOKED',
      `the key ${key.prefix}… was revoked on ${key.revokedAt.toISOString()}`,
    );
  if (key.kind === 'SECRET') {
    const others = await prisma.apiKey.count({
      where: {
        workspaceId,
        kind: 'SECRET',
        revokedAt: null,
        id: { not: key.id },
        OR: [{ expiresAt: null }, { expiresAt: { gt: now } }],
      },
    });
    if (others === 0)
      throw new ApiKeyError(
        'id',
        'LAST_SECRET_KEY',
        'this is the last active secret key: create another one first, or nobody could manage the workspace',
      );
  }
  await prisma.apiKey.update({ where: { id: key.id }, data: { revokedAt: now }, select: { id: true } });
  return { id: key.id };
}

export interface ApiKeySummary {
  id: string;
  name: string;
  kind: ApiKeyKind;
  prefix: string;
  allowedOrigins: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

/** The keys of a workspace, newest first: revoked ones only when asked. */
export function listApiKeys(
  prisma: PrismaClient,
  workspaceId: string,
  options: { includeRevoked?: boolean } = {},
): Promise<ApiKeySummary[]> {
  return prisma.apiKey.findMany({
    where: { workspaceId, ...(options.includeRevoked ? {} : { revokedAt: null }) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    select: {
      id: true,
      name: true,
      kind: true,
      prefix: true,
      allowedOrigins: true,
      createdAt: true,
      lastUsedAt: true,
      expiresAt: true,
      revokedAt: true,
    },
  });
}
