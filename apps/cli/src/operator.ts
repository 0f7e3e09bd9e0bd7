// What the workspace, key and demo commands do, whichever way they reach the database: opened by
// this process (PostgreSQL, or a PGlite folder no server holds) or through the server that holds
// the folder (its admin fields). Both ways call the same @pulso/core functions in the end.
import type { ApiKeySummary, DeletedWorkspace, NewApiKey, WorkspaceSummary } from '@pulso/core';

export interface CreatedWorkspaceKeys {
  slug: string;
  name: string;
  secretKey: string;
  publishableKey: string;
}

export interface Operator {
  /** Where the commands act, for messages: `PGlite /path`, `the server at http://…`. */
  readonly where: string;
  /** The server's URL when one is known (to show how to query it). */
  readonly serverUrl: string | undefined;
  createWorkspace(input: { name: string; slug?: string | undefined }): Promise<CreatedWorkspaceKeys>;
  listWorkspaces(): Promise<WorkspaceSummary[]>;
  renameWorkspace(
    slug: string,
    change: { name?: string | undefined; slug?: string | undefined },
  ): Promise<WorkspaceSummary>;
  deleteWorkspace(slug: string): Promise<DeletedWorkspace>;
  createKey(slug: string, input: NewApiKey): Promise<{ key: string; id: string }>;
  listKeys(slug: string, includeRevoked: boolean): Promise<ApiKeySummary[]>;
  revokeKey(slug: string, id: string): Promise<ApiKeySummary>;
  close(): Promise<void>;
}
