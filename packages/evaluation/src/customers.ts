// Observations grouped by customer, each customer's in time order: lead time and the
// churned-while-green list read a customer's history, the bootstrap resamples customers.
import type { Observation } from './types.ts';

export interface CustomerIndex {
  /** Index (0…count−1) of each observation's customer. */
  customerOf: Int32Array;
  /** Observation indices per customer, oldest instant first. */
  histories: number[][];
}

export function indexCustomers(observations: readonly Observation[]): CustomerIndex {
  const ids = new Map<string, number>();
  const customerOf = new Int32Array(observations.length);
  const histories: number[][] = [];
  observations.forEach((o, i) => {
    let c = ids.get(o.customerId);
    if (c === undefined) {
      c = histories.length;
      ids.set(o.customerId, c);
      histories.push([]);
    }
    customerOf[i] = c;
    histories[c]!.push(i);
  });
  for (const history of histories)
    history.sort((a, b) => observations[a]!.at.getTime() - observations[b]!.at.getTime());
  return { customerOf, histories };
}
