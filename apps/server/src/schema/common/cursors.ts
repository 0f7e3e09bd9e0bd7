// Cursors come back from callers, so they are input like any other: an edited or foreign one must be
// refused as the caller's mistake before it reaches the database. Unchecked, a negative or
// non-numeric offset made Prisma refuse `skip`, and a non-uuid keyset cursor made PostgreSQL refuse
// its cast: both answered INTERNAL_SERVER_ERROR. The refusal is worded as @pothos/plugin-prisma's
// connections word theirs (`Invalid cursor: …`, BAD_USER_INPUT), so every connection answers alike.
import { cursorToOffset, offsetToCursor } from '@pothos/plugin-relay';
import { isUuid } from '@pulso/database';
import { GraphQLError } from 'graphql';

export type CursorArgument = 'after' | 'before';

export function invalidCursor(cursor: string, argument: CursorArgument): never {
  throw new GraphQLError(`Invalid cursor: ${cursor}`, { extensions: { code: 'BAD_USER_INPUT', argument } });
}

/**
 * The offset in a cursor of @pothos/plugin-relay's offset connections. Its own parser reads any
 * `OffsetConnection:` text with parseInt (`-5` and `abc` included); only a cursor it could have made
 * itself, for an offset of 0 or more, is accepted here.
 */
export function parseOffsetCursor(cursor: string, argument: CursorArgument): number {
  let offset: number;
  try {
    offset = cursorToOffset(cursor);
  } catch {
    invalidCursor(cursor, argument);
  }
  if (!Number.isSafeInteger(offset) || offset < 0 || offsetToCursor(offset) !== cursor) invalidCursor(cursor, argument);
  return offset;
}

/** A cursor that is a record's uuid (connections paged by id in raw SQL, where it is cast to uuid). */
export function parseUuidCursor(cursor: string, argument: CursorArgument): string {
  if (!isUuid(cursor)) invalidCursor(cursor, argument);
  return cursor;
}

/**
 * A page as PageInfo documents it: an empty page has no cursors (null). @pothos/plugin-relay's
 * resolvers give an empty page `""` (cursor connections) or its offset and the one before
 * (`OffsetConnection:-1` at the start of an offset connection).
 */
export function withoutCursorsWhenEmpty<
  C extends { edges: readonly unknown[]; pageInfo: { startCursor?: string | null; endCursor?: string | null } },
>(connection: C): C {
  return connection.edges.length > 0
    ? connection
    : { ...connection, pageInfo: { ...connection.pageInfo, startCursor: null, endCursor: null } };
}
