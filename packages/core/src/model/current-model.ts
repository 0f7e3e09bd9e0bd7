// The compiled scoring model of a workspace, kept in memory while its version stands.
//
// Every write scores its customers, and loading the model costs four statements plus compiling;
// the model changes rarely and only through apply-model-change.ts, which bumps the workspace's
// `scoringModelVersion` in the same transaction. So a write reads the version (one indexed row)
// and reuses the model compiled for it. Another instance's change shows as a new version, read
// in the writer's own transaction, so instances never score with each other's stale models.
// Contract: code that edits the model tables (categories, interaction types, segment weights,
// the workspace's scoring settings) must bump the version too, as applyModelChange does.
import { compileModel, type CompiledModel } from '@pulso/scoring';
import type { PrismaClient } from '@pulso/database';
import type { Tx } from '../transaction.ts';
import { loadStoredModel } from './load-scoring-model.ts';

export interface CurrentModel {
  version: number;
  compiled: CompiledModel;
  /** Interaction type ids by key, for inserting interactions of this model. */
  typeIds: ReadonlyMap<string, string>;
}

// Bounded so a process serving many workspaces keeps the recently used ones only.
const MAX_WORKSPACES = 1000;
const cache = new Map<string, CurrentModel>();

export class WorkspaceNotFoundError extends Error {
  constructor(workspaceId: string) {
    super(`no workspace ${workspaceId}`);
    this.name = 'WorkspaceNotFoundError';
  }
}

/**
 * The workspace's model as of this transaction: compiled once per version. `knownVersion` is the
 * version the caller already read in this transaction (a write reads it with its customers).
 */
export async function currentModel(
  tx: Tx | PrismaClient,
  workspaceId: string,
  knownVersion?: number,
): Promise<CurrentModel> {
  const current =
    knownVersion ??
    (
      await tx.$queryRaw<{ version: number }[]>`
    SELECT "scoringModelVersion" AS "version" FROM "Workspace" WHERE "id" = ${workspaceId}::uuid`
    )[0]?.version;
  if (current === undefined) throw new WorkspaceNotFoundError(workspaceId);
  const hit = cache.get(workspaceId);
  if (hit && hit.version === current) {
    // Most recently used last, so the oldest entry is the first to go.
    cache.delete(workspaceId);
    cache.set(workspaceId, hit);
    return hit;
  }
  const { version, model, typeIds } = await loadStoredModel(tx, workspaceId);
  const loaded: CurrentModel = { version, compiled: compileModel(model), typeIds };
  cache.delete(workspaceId);
  cache.set(workspaceId, loaded);
  if (cache.size > MAX_WORKSPACES) cache.delete(cache.keys().next().value!);
  return loaded;
}
