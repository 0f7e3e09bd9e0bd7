// Relay global ids as arguments, and the tenant rule for loading by id: a record is looked up by
// its id AND the caller's workspace, so an id of another workspace answers exactly like an id that
// does not exist. (How `node` and `nodes` decode ids is the builder's: ../../global-ids.ts.)
import { decodeGlobalID } from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';
import type { Context } from '../../context.ts';
import { isUuid, workspaceKey } from '@pulso/database';
import { NO_ROW } from '../../global-ids.ts';
import { UNAUTHENTICATED_HTTP } from '../../auth/api-key-callers.ts';

/** The caller's workspace, for resolvers that bypass scope checks (Relay's `node` and `nodes`). */
export function readerWorkspaceId(ctx: Context): string {
  const caller = ctx.caller;
  if (!caller)
    throw new GraphQLError('an API key is required: send Authorization: Bearer <key>', {
      extensions: { code: 'UNAUTHENTICATED', http: UNAUTHENTICATED_HTTP },
    });
  if (caller.kind === 'ADMIN') {
    throw new GraphQLError("the administrator key reads no workspace's records: use a workspace's own key", {
      extensions: { code: 'FORBIDDEN' },
    });
  }
  if (caller.kind === 'VIEW') {
    throw new GraphQLError('a view token may only read what it names, not look records up by id', {
      extensions: { code: 'FORBIDDEN' },
    });
  }
  if (caller.kind === 'PUBLISHABLE') {
    throw new GraphQLError('a publishable API key may not read records: it may only submit micro-ratings', {
      extensions: { code: 'FORBIDDEN' },
    });
  }
  return caller.workspaceId;
}

/** The key of a record of the caller's workspace: records are keyed by (workspaceId, id). */
export function workspaceScopedWhere(id: string, ctx: Context): ReturnType<typeof workspaceKey> {
  // A malformed uuid would make PostgreSQL raise; it simply names no record.
  return workspaceKey(readerWorkspaceId(ctx), isUuid(id) ? id : NO_ROW);
}

/**
 * The database id named by an id argument: a global id of `typename`, or (for clients written
 * before global ids) a bare uuid. Null when it cannot name such a record.
 */
export function databaseId(id: string, typename: string): string | null {
  if (isUuid(id)) return id;
  try {
    const decoded = decodeGlobalID(id);
    return decoded.typename === typename && isUuid(decoded.id) ? decoded.id : null;
  } catch {
    return null;
  }
}
