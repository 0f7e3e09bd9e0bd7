// Linear-interpolated quantiles (the "type 7" rule of R and NumPy's default), for the bootstrap's
// percentile interval and the lead time's median.

/** The q-quantile (0–1) of values already sorted ascending; NaN for none. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const position = (n - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(below + 1, n - 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}

export function median(values: readonly number[]): number {
  return quantileSorted(Float64Array.from(values).sort(), 0.5);
}
