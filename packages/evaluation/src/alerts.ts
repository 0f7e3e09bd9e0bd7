// Which observations raise an alert. The model alerts through its at-risk band; the baselines have
// no bands, so for a like-for-like lead time every ranker also gets the same alert budget: the
// riskiest tenth of the customers active at each instant, as a team working a monthly call list
// would see it.
import type { Observation } from './types.ts';

export function bandAlerts(observations: readonly Observation[]): Uint8Array {
  return Uint8Array.from(observations, (o) => (o.band === 'AT_RISK' ? 1 : 0));
}

/**
 * The riskiest `share` of each instant's observations. A group of equal risk at the cut is flagged
 * whole when at least half of it fits within the budget and not at all otherwise, so ties neither
 * always win nor always lose.
 */
export function riskiestShareAlerts(observations: readonly Observation[], risk: Float64Array, share = 0.1): Uint8Array {
  const byInstant = new Map<number, number[]>();
  observations.forEach((o, i) => {
    const at = o.at.getTime();
    const list = byInstant.get(at);
    if (list) list.push(i);
    else byInstant.set(at, [i]);
  });
  const flagged = new Uint8Array(observations.length);
  for (const indices of byInstant.values()) {
    indices.sort((a, b) => risk[b]! - risk[a]!);
    const budget = share * indices.length;
    let start = 0;
    while (start < indices.length) {
      let end = start + 1;
      while (end < indices.length && risk[indices[end]!] === risk[indices[start]!]) end++;
      if (start + (end - start) / 2 > budget) break;
      for (let k = start; k < end; k++) flagged[indices[k]!] = 1;
      start = end;
    }
  }
  return flagged;
}
