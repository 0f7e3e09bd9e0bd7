// `pulso scores verify`: checks that every stored tally (score-from-state.ts) still says what the
// customer's history says — each one moved forward to now and finished, beside a recomputation from
// every stored interaction. A mismatch means something wrote interactions behind the tallies'
// back; the fix is a rescoring (`rescoreAllCustomers`), which rebuilds them.
import type { PrismaClient } from '@pulso/database';
import { extendTally, finishScore, parseStoredTally, scoreCustomer } from '@pulso/scoring';
import { currentModel } from '../model/current-model.ts';
import { interactionsAt, loadCustomerInputs, scoringInputAt } from './scoring-inputs.ts';

/** Shown to one decimal, a tally and a recomputation may sit one step apart (tally.test.ts). */
export const STATE_TOLERANCE_POINTS = 0.1;

export interface ScoringStateMismatch {
  customerId: string;
  externalId: string;
  fromState: number;
  fromHistory: number;
}

export interface ScoringStateReport {
  modelVersion: number;
  /** Customers whose tally was checked against their history. */
  checked: number;
  /** Customers without a tally under the model in force (rebuilt by their next write). */
  withoutState: number;
  mismatches: ScoringStateMismatch[];
}

export async function verifyScoringStates(
  prisma: PrismaClient,
  workspaceId: string,
  {
    now = new Date(),
    chunkSize = 500,
    onProgress,
  }: { now?: Date; chunkSize?: number; onProgress?: (done: number) => void } = {},
): Promise<ScoringStateReport> {
  const { version, compiled } = await currentModel(prisma, workspaceId);
  const report: ScoringStateReport = { modelVersion: version, checked: 0, withoutState: 0, mismatches: [] };
  if (compiled.formula !== 2) return report;
  let cursor: string | undefined;
  let done = 0;
  for (;;) {
    const rows = await prisma.customer.findMany({
      where: { workspaceId, ...(cursor ? { id: { gt: cursor } } : {}) },
      select: { id: true, externalId: true, scoringState: true, scoringStateModelVersion: true },
      orderBy: { id: 'asc' },
      take: chunkSize,
    });
    if (rows.length === 0) return report;
    cursor = rows[rows.length - 1]!.id;
    const tallies = new Map(
      rows.flatMap((row) => {
        const tally = row.scoringStateModelVersion === version ? parseStoredTally(compiled, row.scoringState) : null;
        return tally && tally.asOfMs <= now.getTime() ? [[row.id, tally] as const] : [];
      }),
    );
    report.withoutState += rows.length - tallies.size;
    const externalIds = new Map(rows.map((row) => [row.id, row.externalId]));
    for (const customer of await loadCustomerInputs(prisma, workspaceId, [...tallies.keys()], now)) {
      const input = scoringInputAt(customer, now);
      const fromState = finishScore(
        compiled,
        input,
        extendTally(compiled, tallies.get(customer.id)!, [], now),
        now,
      ).score;
      const fromHistory = scoreCustomer(compiled, input, interactionsAt(customer, now), now).score;
      report.checked += 1;
      if (Math.abs(fromState - fromHistory) > STATE_TOLERANCE_POINTS + 1e-9)
        report.mismatches.push({
          customerId: customer.id,
          externalId: externalIds.get(customer.id)!,
          fromState,
          fromHistory,
        });
    }
    done += rows.length;
    onProgress?.(done);
  }
}
