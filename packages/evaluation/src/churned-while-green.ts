// The churned-while-green list: customers who left while the score called them healthy. They are
// the misses a customer-success team has to study, so each comes with what the score said 30 and
// 60 days before the churn, besides its last word.
import type { CustomerIndex } from './customers.ts';
import type { Observation } from './types.ts';

const DAY_MS = 86_400_000;

export interface ChurnedWhileGreen {
  customerId: string;
  churnedAt: Date;
  /** The last observation before the churn (band HEALTHY). */
  last: Observation;
  /** The latest observation at least 30 (resp. 60) days before the churn, if any. */
  before30Days: Observation | null;
  before60Days: Observation | null;
}

export function churnedWhileGreen(observations: readonly Observation[], customers: CustomerIndex): ChurnedWhileGreen[] {
  const list: ChurnedWhileGreen[] = [];
  for (const history of customers.histories) {
    const lastIndex = history.findLast((i) => observations[i]!.churned);
    if (lastIndex === undefined) continue;
    const last = observations[lastIndex]!;
    if (last.band !== 'HEALTHY' || last.churnedAt === null) continue;
    const churnedAt = last.churnedAt;
    const before = (days: number) =>
      history.map((i) => observations[i]!).findLast((o) => o.at.getTime() <= churnedAt.getTime() - days * DAY_MS) ??
      null;
    list.push({ customerId: last.customerId, churnedAt, last, before30Days: before(30), before60Days: before(60) });
  }
  return list.sort((a, b) => a.churnedAt.getTime() - b.churnedAt.getTime() || (a.customerId < b.customerId ? -1 : 1));
}
