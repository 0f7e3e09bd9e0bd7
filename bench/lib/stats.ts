// Medians and ratios: the suite reports every figure against a baseline of the same run.
export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function ratio(value: number, baseline: number): number {
  return baseline > 0 ? value / baseline : Number.NaN;
}

export function fixed(value: number | null | undefined, digits = 2): string {
  return value == null || Number.isNaN(value) ? '–' : value.toFixed(digits);
}
