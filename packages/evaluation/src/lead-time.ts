// Lead time: how long before leaving a churner was already flagged. A warning that comes a week
// before the cancellation leaves no time to act; thirty days or more does.
import { quantileSorted } from './quantile.ts';
import type { CustomerIndex } from './customers.ts';
import type { Observation } from './types.ts';

const DAY_MS = 86_400_000;

export interface LeadTime {
  /** Customers labelled as churning at one of their instants at least. */
  churners: number;
  /** Of them, those flagged at their last instant before leaving. */
  warned: number;
  /**
   * Median over the warned churners of the days from the first instant of the unbroken run of
   * flagged instants that ends at the last instant before the churn, to the churn. Null when no
   * churner was warned. Churners never warned are not in it (a median over all churners is 0 as
   * soon as most are missed, which hides how early the warned ones were seen); `warned` over
   * `churners` says how many that is. Instants are the observation grid (monthly in the
   * benchmark), so the figure moves in steps of that grid.
   */
  medianDays: number | null;
}

export function leadTime(
  observations: readonly Observation[],
  customers: CustomerIndex,
  flagged: Uint8Array,
): LeadTime {
  const days: number[] = [];
  let churners = 0;
  let warned = 0;
  for (const history of customers.histories) {
    const last = history.findLast((i) => observations[i]!.churned);
    if (last === undefined) continue;
    const churnedAt = observations[last]!.churnedAt;
    if (churnedAt === null) throw new RangeError(`observation ${last} is labelled churned without a churn date`);
    let first = -1;
    for (let k = history.indexOf(last); k >= 0 && flagged[history[k]!] === 1; k--) first = history[k]!;
    churners += 1;
    if (first < 0) continue;
    warned += 1;
    days.push((churnedAt.getTime() - observations[first]!.at.getTime()) / DAY_MS);
  }
  const sorted = Float64Array.from(days).sort();
  return { churners, warned, medianDays: days.length ? quantileSorted(sorted, 0.5) : null };
}
