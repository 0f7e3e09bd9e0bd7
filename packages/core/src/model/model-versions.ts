// The scoring model versions of a workspace, each with the instant it came into force, so a score
// can be computed "as of" any past instant under the model that was in force then (or any chosen
// version). A version's row is written by the change that applied it (snapshotScoringModel), so its
// `createdAt` is when it started to apply; before the first row, the first version applies.
import type { PrismaClient } from '@pulso/database';
import { compileModel, type CompiledModel, type ScoringModel } from '@pulso/scoring';
import type { Tx } from '../scores/store-scores.ts';

export interface ModelVersion {
  version: number;
  /** When this version came into force. */
  since: Date;
  model: ScoringModel;
  compiled: CompiledModel;
  note: string | null;
}

export class ModelVersionNotFoundError extends Error {
  override readonly name = 'ModelVersionNotFoundError';
  readonly code = 'NOT_FOUND';
  readonly field = 'modelVersion';
  constructor(readonly version: number) {
    super(`no scoring model version ${version} in this workspace`);
  }
}

export class ModelVersionHistory {
  /** Oldest first. */
  readonly versions: readonly ModelVersion[];
  constructor(versions: ModelVersion[]) {
    if (versions.length === 0) throw new Error('a workspace has at least one scoring model version');
    this.versions = [...versions].sort((a, b) => a.version - b.version);
  }

  /** The version in force at an instant: the latest one in force by then, else the first. */
  inForceAt(at: Date): ModelVersion {
    let found = this.versions[0]!;
    for (const v of this.versions) if (v.since.getTime() <= at.getTime()) found = v;
    return found;
  }

  /** A version by its number; throws ModelVersionNotFoundError for an unknown one. */
  byNumber(version: number): ModelVersion {
    const found = this.versions.find((v) => v.version === version);
    if (!found) throw new ModelVersionNotFoundError(version);
    return found;
  }

  /** The chosen version, or the one in force at the instant when none is chosen. */
  resolve(at: Date, version?: number | null): ModelVersion {
    return version == null ? this.inForceAt(at) : this.byNumber(version);
  }
}

export async function loadModelVersions(db: Tx | PrismaClient, workspaceId: string): Promise<ModelVersionHistory> {
  const rows = await db.scoringModelVersion.findMany({ where: { workspaceId }, orderBy: { version: 'asc' } });
  return new ModelVersionHistory(
    rows.map((row) => {
      const model = row.definition as unknown as ScoringModel;
      return { version: row.version, since: row.createdAt, model, compiled: compileModel(model), note: row.note };
    }),
  );
}
