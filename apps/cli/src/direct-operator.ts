// The operator on a database this process opened: @pulso/core's functions, their refusals turned
// into one-line command errors.
import {
  addWorkspace,
  ApiKeyError,
  createApiKey,
  deleteWorkspace,
  findWorkspace,
  listApiKeys,
  listWorkspaces,
  renameWorkspace,
  revokeApiKey,
  WorkspaceError,
} from '@pulso/core';
import { type Database, describeTarget } from '@pulso/database';
import { CommandError } from './command-error.ts';
import type { Operator } from './operator.ts';

async function refusalsAsErrors<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof WorkspaceError || error instanceof ApiKeyError) throw new CommandError(error.message);
    throw error;
  }
}

export function directOperator(database: Database): Operator {
  const prisma = database.prisma;
  return {
    where: describeTarget(database.target),
    serverUrl: undefined,
    createWorkspace: (input) =>
      refusalsAsErrors(async () => {
        const created = await addWorkspace(prisma, input);
        return {
          slug: created.slug,
          name: created.name,
          secretKey: created.secretKey.key,
          publishableKey: created.publishableKey.key,
        };
      }),
    listWorkspaces: () => listWorkspaces(prisma),
    renameWorkspace: (slug, change) => refusalsAsErrors(() => renameWorkspace(prisma, slug, change)),
    deleteWorkspace: (slug) => refusalsAsErrors(() => deleteWorkspace(prisma, slug)),
    createKey: (slug, input) =>
      refusalsAsErrors(async () => createApiKey(prisma, (await findWorkspace(prisma, slug)).id, input)),
    listKeys: (slug, includeRevoked) =>
      refusalsAsErrors(async () => listApiKeys(prisma, (await findWorkspace(prisma, slug)).id, { includeRevoked })),
    revokeKey: (slug, id) =>
      refusalsAsErrors(async () => {
        const workspace = await findWorkspace(prisma, slug);
        await revokeApiKey(prisma, workspace.id, id);
        const keys = await listApiKeys(prisma, workspace.id, { includeRevoked: true });
        return keys.find((key) => key.id === id)!;
      }),
    close: () => database.close(),
  };
}
