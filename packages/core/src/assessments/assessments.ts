// Manual assessments: a customer-success manager's rating with a reason and an expiry. Setting one
// while another is in force must say so (replace: true), so nobody's rating disappears unnoticed;
// automation never writes here. The customer is rescored at once, in the same transaction.
import type { ManualAssessment, PrismaClient } from '@pulso/database';
import { workspaceKey } from '@pulso/database';
import { DEFAULT_ASSESSMENT_WEIGHT } from '@pulso/scoring';
import type { ScoreChange } from '../scores/score-change.ts';
import { rescoreCustomersInTransaction } from '../scores/score-customers.ts';
import type { Tx } from '../transaction.ts';
import { AssessmentError } from './assessment-error.ts';
import { inForceWhere } from './assessment-validity.ts';

export interface SetAssessmentInput {
  workspaceId: string;
  customerId: string;
  score: number;
  reason: string;
  expiresAt: Date;
  weight?: number;
  author?: string | null;
  /** Required to end an assessment still in force. */
  replace?: boolean;
  now?: Date;
  /** Hears of the customer's new score once the change commits (for live subscribers). */
  onScoreChanges?: (changes: ScoreChange[]) => void;
}

export async function activeAssessmentOf(
  db: Tx | PrismaClient,
  customerId: string,
  now: Date,
): Promise<ManualAssessment | null> {
  return db.manualAssessment.findFirst({
    where: { customerId, ...inForceWhere(now) },
    orderBy: { createdAt: 'desc' },
  });
}

export async function setManualAssessment(prisma: PrismaClient, input: SetAssessmentInput): Promise<ManualAssessment> {
  const now = input.now ?? new Date();
  const weight = input.weight ?? DEFAULT_ASSESSMENT_WEIGHT;
  if (!Number.isFinite(input.score) || input.score < 0 || input.score > 100)
    throw new AssessmentError('score', 'OUT_OF_RANGE', 'a rating is between 0 and 100');
  if (!Number.isFinite(weight) || weight <= 0 || weight > 1)
    throw new AssessmentError('weight', 'OUT_OF_RANGE', 'the weight is above 0 and at most 1');
  if (!input.reason.trim())
    throw new AssessmentError('reason', 'MISSING_VALUE', 'say why: the reason is shown with the score');
  if (input.expiresAt.getTime() <= now.getTime())
    throw new AssessmentError('expiresAt', 'OUT_OF_RANGE', 'the expiry must be in the future');
  return prisma
    .$transaction(async (tx: Tx) => {
      const active = await activeAssessmentOf(tx, input.customerId, now);
      if (active && !input.replace) {
        throw new AssessmentError(
          'replace',
          'ALREADY_EXISTS',
          `an assessment (${active.score}, "${active.reason}"${active.author ? ` by ${active.author}` : ''}) is in force until ${active.expiresAt.toISOString()}: pass replace: true to replace it`,
        );
      }
      if (active)
        await tx.manualAssessment.update({
          where: workspaceKey(active.workspaceId, active.id),
          data: { endedAt: now },
        });
      const created = await tx.manualAssessment.create({
        data: {
          workspaceId: input.workspaceId,
          customerId: input.customerId,
          score: input.score,
          weight,
          reason: input.reason.trim(),
          author: input.author ?? null,
          createdAt: now,
          expiresAt: input.expiresAt,
        },
      });
      const changes = await rescoreCustomersInTransaction(tx, input.workspaceId, [input.customerId], now);
      return { created, changes };
    })
    .then(({ created, changes }) => {
      input.onScoreChanges?.(changes);
      return created;
    });
}

/** Ends the assessment in force, if any; returns it. */
export async function endManualAssessment(
  prisma: PrismaClient,
  workspaceId: string,
  customerId: string,
  now = new Date(),
  onScoreChanges?: (changes: ScoreChange[]) => void,
): Promise<ManualAssessment | null> {
  const { ended, changes } = await prisma.$transaction(async (tx: Tx) => {
    const active = await activeAssessmentOf(tx, customerId, now);
    if (!active) return { ended: null, changes: [] };
    const ended = await tx.manualAssessment.update({
      where: workspaceKey(workspaceId, active.id),
      data: { endedAt: now },
    });
    return { ended, changes: await rescoreCustomersInTransaction(tx, workspaceId, [customerId], now) };
  });
  if (changes.length) onScoreChanges?.(changes);
  return ended;
}
