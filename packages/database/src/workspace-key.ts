// Every table but the reference tables (Workspace, ApiKey) is keyed by (workspaceId, id), so that a
// PostgreSQL distributed by workspace (Citus) can hold it as is (docs/scale.md). Prisma names that
// key `workspaceId_id`; this builds it, so a lookup by id always says whose record it wants.

/** The primary key of a workspace's record, for Prisma's `where` of findUnique, update and delete. */
export function workspaceKey(workspaceId: string, id: string): { workspaceId_id: { workspaceId: string; id: string } } {
  return { workspaceId_id: { workspaceId, id } };
}
