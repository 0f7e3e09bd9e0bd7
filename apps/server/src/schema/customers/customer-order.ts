// Keyset pagination of customers under every ordering. A cursor carries the sort value and the id
// of its row, so a page starts exactly after it whatever was inserted or rescored meanwhile, and
// ties never lose or repeat a row. Missing values (no score yet, never interacted) sort last in
// both directions; Prisma's own cursor cannot express that, hence this module.
import type { Prisma } from '@pulso/database';
import { GraphQLError } from 'graphql';

export type CustomerOrderField = 'SCORE' | 'NAME' | 'LAST_INTERACTION' | 'SCORE_CHANGE_30D' | 'CREATED';
export type Direction = 'ASC' | 'DESC';

const COLUMNS = {
  SCORE: { column: 'score', nullable: true, kind: 'number' },
  NAME: { column: 'name', nullable: false, kind: 'string' },
  LAST_INTERACTION: { column: 'lastInteractionAt', nullable: true, kind: 'date' },
  SCORE_CHANGE_30D: { column: 'scoreChange30d', nullable: true, kind: 'number' },
  CREATED: { column: 'createdAt', nullable: false, kind: 'date' },
} as const;

type CursorValue = number | string | null;

interface Row {
  id: string;
  score: number | null;
  name: string;
  lastInteractionAt: Date | null;
  scoreChange30d: number | null;
  createdAt: Date;
}

export function customerCursor(field: CustomerOrderField, row: Row): string {
  const raw = row[COLUMNS[field].column];
  const value: CursorValue = raw instanceof Date ? raw.toISOString() : raw;
  return Buffer.from(JSON.stringify([field, value, row.id])).toString('base64url');
}

function invalidCursor(): never {
  throw new GraphQLError('the cursor is not one this connection returned', { extensions: { code: 'BAD_USER_INPUT' } });
}

function parseCursor(cursor: string, field: CustomerOrderField): { value: CursorValue; id: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    invalidCursor();
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    typeof parsed[2] !== 'string' ||
    !/^[0-9a-f-]{36}$/i.test(parsed[2])
  )
    invalidCursor();
  const [cursorField, value, id] = parsed as [unknown, unknown, string];
  if (cursorField !== field) {
    throw new GraphQLError(
      `the cursor belongs to an ordering by ${String(cursorField)}, not ${field}: start again without after/before`,
      {
        extensions: { code: 'BAD_USER_INPUT' },
      },
    );
  }
  const { kind, nullable } = COLUMNS[field];
  if (value === null ? !nullable : kind === 'number' ? typeof value !== 'number' : typeof value !== 'string')
    invalidCursor();
  if (kind === 'date' && value !== null && Number.isNaN(Date.parse(value as string))) invalidCursor();
  return { value: value as CursorValue, id };
}

/** `orderBy` for a page: `inverted` when paging backwards (Relay's `last`/`before`). */
export function customerOrderBy(
  field: CustomerOrderField,
  direction: Direction,
  inverted: boolean,
): Prisma.CustomerOrderByWithRelationInput[] {
  const { column, nullable } = COLUMNS[field];
  const forwardAsc = direction === 'ASC';
  const sort = forwardAsc !== inverted ? 'asc' : 'desc';
  // Nulls last going forwards, hence first going backwards.
  const primary = nullable ? { sort, nulls: inverted ? 'first' : 'last' } : sort;
  return [{ [column]: primary } as Prisma.CustomerOrderByWithRelationInput, { id: sort }];
}

/** Rows strictly after (`side` 'after') or strictly before the cursor, in the forward order. */
export function customerKeyset(
  field: CustomerOrderField,
  direction: Direction,
  cursor: string,
  side: 'after' | 'before',
): Prisma.CustomerWhereInput {
  const { column, kind, nullable } = COLUMNS[field];
  const parsed = parseCursor(cursor, field);
  const value = kind === 'date' && parsed.value !== null ? new Date(parsed.value as string) : parsed.value;
  const beyond = (direction === 'ASC') === (side === 'after') ? 'gt' : 'lt';
  const where = (condition: object) => ({ [column]: condition }) as Prisma.CustomerWhereInput;
  if (value === null) {
    // The cursor row is among the nulls, which come last.
    const sameNulls: Prisma.CustomerWhereInput = { AND: [where({ equals: null }), { id: { [beyond]: parsed.id } }] };
    return side === 'after' ? sameNulls : { OR: [where({ not: null }), sameNulls] };
  }
  const branches: Prisma.CustomerWhereInput[] = [
    where({ [beyond]: value }),
    { AND: [where({ equals: value }), { id: { [beyond]: parsed.id } }] },
  ];
  if (nullable && side === 'after') branches.push(where({ equals: null }));
  return { OR: branches };
}
