// Sorting is the expensive step of every rank statistic, so it is done once per ranker: the order
// and the tie groups are kept and shared by AUC, its bootstrap and the top-decile lift.

export interface Ranking {
  /** Observation indices from the lowest risk to the highest. */
  order: Int32Array;
  /** Exclusive end (in `order`) of each group of equal risk, ascending. */
  groupEnds: Int32Array;
  /** 1 where the observation is a churner. */
  positive: Uint8Array;
  /** The same labels in risk order (positiveInOrder[k] = positive[order[k]]). */
  positiveInOrder: Uint8Array;
  /** 1 at the last position (in risk order) of each group of equal risk. */
  lastOfGroup: Uint8Array;
}

export function rankByRisk(risk: Float64Array, positive: Uint8Array): Ranking {
  if (risk.length !== positive.length) throw new RangeError('risk and labels differ in length');
  for (let i = 0; i < risk.length; i++) if (Number.isNaN(risk[i])) throw new RangeError(`risk ${i} is NaN`);
  const order = new Int32Array(risk.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  // A typed array's sort with a comparator is stable and avoids boxing 120,000 numbers.
  order.sort((a, b) => risk[a]! - risk[b]! || a - b);
  const ends: number[] = [];
  for (let i = 1; i <= order.length; i++) {
    if (i === order.length || risk[order[i]!] !== risk[order[i - 1]!]) ends.push(i);
  }
  const positiveInOrder = new Uint8Array(order.length);
  for (let k = 0; k < order.length; k++) positiveInOrder[k] = positive[order[k]!]!;
  const lastOfGroup = new Uint8Array(order.length);
  for (const end of ends) lastOfGroup[end - 1] = 1;
  return { order, groupEnds: Int32Array.from(ends), positive, positiveInOrder, lastOfGroup };
}
