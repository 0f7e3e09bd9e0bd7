// The benchmark's calendar (WORLDS.md, "Common frame"): day 0 is 2025-01-01, events run to
// 2026-07-01, and customers are observed on the 1st of each month from 2025-05-01 to 2026-04-01.
// Seasonality multiplies activity, never churn.
export const DAY_MS = 86_400_000;
export const ORIGIN_MS = Date.UTC(2025, 0, 1);
export const END_DAY = (Date.UTC(2026, 6, 1) - ORIGIN_MS) / DAY_MS;

export const INSTANTS: readonly Date[] = Array.from({ length: 12 }, (_, k) => new Date(Date.UTC(2025, 4 + k, 1)));

export const HORIZONS = [30, 60, 90] as const;

export function dateOf(day: number): Date {
  return new Date(ORIGIN_MS + day * DAY_MS);
}

/** The calendar's multiplier of every activity rate on `day`, with weekends at `weekendFactor`. */
export function seasonalFactors(weekendFactor: number): Float64Array {
  const factors = new Float64Array(END_DAY);
  for (let day = 0; day < END_DAY; day++) {
    const date = dateOf(day);
    let factor = 1;
    if (date.getUTCMonth() === 7) factor *= 0.6;
    if (date.getUTCMonth() === 11 && date.getUTCDate() >= 16) factor *= 0.5;
    const weekday = date.getUTCDay();
    if (weekday === 0 || weekday === 6) factor *= weekendFactor;
    factors[day] = factor;
  }
  return factors;
}

export const BUSINESS_SEASON = seasonalFactors(0.3);
export const CONSUMER_SEASON = seasonalFactors(0.7);
