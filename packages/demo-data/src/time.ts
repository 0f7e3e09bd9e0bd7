import type { ActiveWindow, Trend } from './personas.ts';
import type { Random } from './random.ts';
import { DAY_MS } from '@pulso/scoring';

const HOUR_MS = 3_600_000;

/**
 * Business hours of the demo's customers, in UTC: 08:00–19:00 in São Paulo and Buenos Aires
 * (UTC−3), roughly mid-morning to evening in Mexico City.
 */
const WORK_HOURS_UTC: readonly (readonly [number, number])[] = [
  [11, 1],
  [12, 2],
  [13, 3],
  [14, 3],
  [15, 2],
  [16, 2],
  [17, 3],
  [18, 3],
  [19, 3],
  [20, 2],
  [21, 1],
  [22, 0.5],
];

/**
 * An instant inside the window, shaped by the trend (declining: most touches early on; rising:
 * most touches recently), nudged to a weekday during business hours when that stays in the window.
 * Never outside the window, so never in the future.
 */
export function instantIn(random: Random, now: Date, window: ActiveWindow, trend: Trend = 'flat'): Date {
  const u = random.float();
  const position = trend === 'declining' ? 1 - Math.sqrt(1 - u) : trend === 'rising' ? Math.sqrt(u) : u;
  const daysAgo = window.fromDaysAgo - position * (window.fromDaysAgo - window.toDaysAgo);
  return toBusinessHours(random, now, window, now.getTime() - daysAgo * DAY_MS);
}

/** An instant some hours after `after`, or null when that would leave the window. */
export function instantAfter(
  random: Random,
  now: Date,
  window: ActiveWindow,
  after: Date,
  minHours: number,
  maxHours: number,
): Date | null {
  const at = Math.floor(after.getTime() + random.between(minHours, maxHours) * HOUR_MS);
  return at <= windowEnd(now, window) ? new Date(at) : null;
}

export function windowStart(now: Date, window: ActiveWindow): number {
  return now.getTime() - window.fromDaysAgo * DAY_MS;
}

export function windowEnd(now: Date, window: ActiveWindow): number {
  return now.getTime() - window.toDaysAgo * DAY_MS;
}

function toBusinessHours(random: Random, now: Date, window: ActiveWindow, raw: number): Date {
  const start = windowStart(now, window);
  const end = windowEnd(now, window);
  let day = Math.floor(raw / DAY_MS) * DAY_MS;
  // Most B2B touches happen on weekdays: move three in four weekend touches to the Friday before.
  const weekday = new Date(day).getUTCDay();
  if ((weekday === 0 || weekday === 6) && random.chance(0.75)) day -= (weekday === 0 ? 2 : 1) * DAY_MS;
  const hour = random.weighted(WORK_HOURS_UTC);
  const at = day + hour * HOUR_MS + random.int(0, 3599) * 1000;
  if (at >= start && at <= end) return new Date(at);
  return new Date(Math.min(end, Math.max(start, Math.floor(raw))));
}
