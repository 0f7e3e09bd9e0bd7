// What happened to the demo customers' contracts, so that `npm start` shows a real evaluation of
// the score (recordOutcome, evaluateScoringModel): the outcomes follow the personas' stories, not
// the score. Customers who went silent leave some weeks into their silence (if that is already in
// the past); accounts that renew once a year renew on their anniversary; an upsell nobody uses is
// cut back. Drawn from a stream of their own, so the interactions stay as they were.
import { DAY_MS } from '@pulso/scoring';
import type { ActiveWindow } from './personas.ts';
import type { Random } from './random.ts';
import type { DemoOutcome, PersonaKey } from './types.ts';

export interface OutcomePlan {
  externalId: string;
  personaKey: PersonaKey;
  window: ActiveWindow;
  /** When the customer signed, in days before `now`. */
  sinceDaysAgo: number;
  billingCycle: 'monthly' | 'annual';
  now: Date;
  days: number;
}

const RENEWING: readonly PersonaKey[] = ['champion', 'steady', 'upsell_engaged', 'detractor', 'churn_risk'];

export function outcomesOf(plan: OutcomePlan, random: Random): DemoOutcome[] {
  const at = (daysAgo: number) => new Date(plan.now.getTime() - daysAgo * DAY_MS);
  const key = (kind: string) => `demo-${plan.externalId}-${kind}`;
  const outcomes: DemoOutcome[] = [];
  if (plan.billingCycle === 'annual' && RENEWING.includes(plan.personaKey)) {
    // The anniversary that fell within the history, if one did.
    const anniversary = plan.sinceDaysAgo % 365;
    if (anniversary > 0 && anniversary < plan.days && plan.sinceDaysAgo >= 365)
      outcomes.push({
        customerExternalId: plan.externalId,
        kind: 'RENEWED',
        occurredAt: at(anniversary),
        reason: 'Annual renewal',
        voluntary: null,
        idempotencyKey: key('renewal'),
      });
  }
  if (plan.personaKey === 'silent') {
    const churnDaysAgo = plan.window.toDaysAgo - random.int(20, 45);
    if (churnDaysAgo > 0)
      outcomes.push({
        customerExternalId: plan.externalId,
        kind: 'CHURNED',
        occurredAt: at(churnDaysAgo),
        reason: random.chance(0.6) ? 'Stopped using the product' : 'Moved to a competitor',
        voluntary: true,
        idempotencyKey: key('churn'),
      });
  }
  if (plan.personaKey === 'upsell_unengaged' && random.chance(0.5)) {
    outcomes.push({
      customerExternalId: plan.externalId,
      kind: 'DOWNGRADED',
      occurredAt: at(random.int(5, Math.min(60, plan.days - 1))),
      reason: 'Seats cut back: nobody used the added ones',
      voluntary: null,
      idempotencyKey: key('downgrade'),
    });
  }
  return outcomes;
}
