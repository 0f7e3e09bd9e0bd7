// Relay global ids (`base64("Customer:<uuid>")`) and the tenant rule for loading by id: a record
// is looked up by its id AND the caller's workspace, so an id of another workspace answers exactly
// like an id that does not exist.
import { decodeGlobalID } from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';
import type { Context } from '../../context.ts';
import { isUuid } from '@pulso/database';

// Matches no row: ids are uuid(7), never the nil uuid.
const NO_ROW = '00000000-0000-0000-0000-000000000000';

/** The types `node` and `nodes` load (builder.prismaNode). */
const NODE_TYPENAMES = new Set(['Customer', 'Interaction']);

/**
 * Relay's decoding of the ids given to `node` and `nodes`. Anything that is not the global id of
 * a node type (garbage, `base64("ApiKey:1")`) names no record, so it answers null like an unknown
 * id: never an error that lists the schema's type names, and never before the caller's scopes
 * are checked (the arguments are decoded first).
 */
export function decodeNodeGlobalID(globalID: string): { typename: string; id: string } {
  try {
    const decoded = decodeGlobalID(globalID);
    if (NODE_TYPENAMES.has(decoded.typename)) return decoded;
  } catch {
    // Not base64, or no `Type:` prefix: no record has it.
  }
  return { typename: 'Customer', id: NO_ROW };
}

/** The caller's workspace, for resolvers that bypass scope checks (Relay's `node` and `nodes`). */
export function readerWorkspaceId(ctx: Context): string {
  const caller = ctx.caller;
  if (!caller)
    throw new GraphQLError('an API key is required: send Authorization: Bearer <key>', {
      extensions: { code: 'UNAUTHENTICATED' },
    });
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

/** A unique `where` for a record of the caller's workspace (Prisma accepts extra filters there). */
export function workspaceScopedWhere(id: string, ctx: Context): { id: string; workspaceId: string } {
  const workspaceId = readerWorkspaceId(ctx);
  // A malformed uuid would make PostgreSQL raise; it simply names no record.
  return { id: isUuid(id) ? id : NO_ROW, workspaceId };
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
