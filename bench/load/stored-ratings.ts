// After a run, with the server stopped cleanly: what the database holds against what the load
// generator was told. Every acknowledged rating must be stored exactly once; ratings sent but
// never answered (in flight when autocannon stopped) may be stored too, once at most; nothing
// else may be.
import { openDatabase, type DatabaseTarget } from '@pulso/database';

export interface StoredRatings {
  acknowledged: number;
  stored: number;
  /** Stored but never acknowledged: sent in the last moments, answered after the load stopped. */
  storedUnacknowledged: number;
  problems: string[];
}

export async function checkStoredRatings(
  target: DatabaseTarget,
  label: string,
  sent: Set<string>,
  acknowledged: Set<string>,
): Promise<StoredRatings> {
  const database = await openDatabase(target);
  try {
    const rows = await database.prisma.interaction.groupBy({
      by: ['idempotencyKey'],
      where: { idempotencyKey: { startsWith: `widget:${label}-` } },
      _count: { _all: true },
    });
    const stored = new Map(rows.map((row) => [row.idempotencyKey!.slice('widget:'.length), row._count._all]));
    const problems: string[] = [];
    for (const key of acknowledged) {
      const count = stored.get(key) ?? 0;
      if (count !== 1) problems.push(`acknowledged rating ${key} is stored ${count} times`);
    }
    let storedUnacknowledged = 0;
    for (const [key, count] of stored) {
      if (!sent.has(key)) problems.push(`stored rating ${key} was never sent`);
      else if (count !== 1) problems.push(`rating ${key} is stored ${count} times`);
      if (!acknowledged.has(key)) storedUnacknowledged++;
    }
    return {
      acknowledged: acknowledged.size,
      stored: [...stored.values()].reduce((a, b) => a + b, 0),
      storedUnacknowledged,
      problems: problems.slice(0, 20),
    };
  } finally {
    await database.close();
  }
}
