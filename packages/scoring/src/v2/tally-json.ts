// A tally as stored beside its customer (JSON): what a write needs to score without reading the
// customer's history. Drivers keep the three fields that explain them (id, type, date).
import type { DriverCandidate } from '../drivers.ts';
import type { InteractionInput } from '../types.ts';
import type { TallyV2 } from './tally-v2.ts';

/** Bumped when the stored shape changes: a tally of another format is rebuilt from history. */
export const TALLY_FORMAT = 3;

type StoredDriver = [units: number, categoryIndex: number, id: string, typeKey: string, occurredAtMs: number];

export interface StoredTally {
  format: number;
  asOfMs: number;
  sums: number[][];
  seen: number[];
  activitySeen: number[];
  /**
   * firstAt, lastAt, lastContactAt (null for none), wastedTimeCount, graveUnits, interactionCount,
   * lastBackedContactAt (null for none).
   */
  scalars: (number | null)[];
  drivers: StoredDriver[][] | null;
}

const SUMS = [
  'activityRecent',
  'activityBaseline',
  'touchesBaseline',
  'positive',
  'negative',
  'gatedPositive',
] as const;

export function storeTally(tally: TallyV2): StoredTally {
  const finite = (value: number) => (Number.isFinite(value) ? value : null);
  const driversOf = (list: DriverCandidate[]): StoredDriver[] =>
    list.map((c) => [
      c.units,
      c.categoryIndex,
      c.interaction.id,
      c.interaction.typeKey,
      c.interaction.occurredAt.getTime(),
    ]);
  return {
    format: TALLY_FORMAT,
    asOfMs: tally.asOfMs,
    sums: SUMS.map((key) => tally[key]),
    seen: tally.seen,
    activitySeen: tally.activitySeen,
    scalars: [
      finite(tally.firstAt),
      finite(tally.lastAt),
      finite(tally.lastContactAt),
      tally.wastedTimeCount,
      tally.graveUnits,
      tally.interactionCount,
      finite(tally.lastBackedContactAt),
    ],
    drivers: tally.drivers
      ? [driversOf(tally.drivers.raised), driversOf(tally.drivers.raisedGated), driversOf(tally.drivers.lowered)]
      : null,
  };
}

/** The tally back, or null when `stored` is not one of this format for `categoryCount` categories. */
export function loadTally(stored: unknown, categoryCount: number): TallyV2 | null {
  const s = stored as Partial<StoredTally> | null;
  if (
    !s ||
    s.format !== TALLY_FORMAT ||
    typeof s.asOfMs !== 'number' ||
    !Array.isArray(s.sums) ||
    s.sums.length !== SUMS.length ||
    !s.sums.every((sums) => Array.isArray(sums) && sums.length === categoryCount) ||
    !Array.isArray(s.seen) ||
    s.seen.length !== categoryCount ||
    !Array.isArray(s.activitySeen) ||
    s.activitySeen.length !== categoryCount ||
    !Array.isArray(s.scalars) ||
    s.scalars.length !== 7
  )
    return null;
  const [firstAt, lastAt, lastContactAt, wastedTimeCount, graveUnits, interactionCount, lastBackedContactAt] =
    s.scalars;
  const candidates = (list: StoredDriver[]): DriverCandidate[] =>
    list.map(([units, categoryIndex, id, typeKey, at]) => ({
      units,
      categoryIndex,
      // Only what explains a driver is kept: its id, type and date.
      interaction: { id, typeKey, occurredAt: new Date(at) } as InteractionInput,
    }));
  const tally: TallyV2 = {
    asOfMs: s.asOfMs,
    activityRecent: [...s.sums[0]!],
    activityBaseline: [...s.sums[1]!],
    touchesBaseline: [...s.sums[2]!],
    positive: [...s.sums[3]!],
    negative: [...s.sums[4]!],
    gatedPositive: [...s.sums[5]!],
    seen: [...s.seen],
    activitySeen: [...s.activitySeen],
    firstAt: firstAt ?? Infinity,
    lastAt: lastAt ?? -Infinity,
    lastContactAt: lastContactAt ?? -Infinity,
    lastBackedContactAt: lastBackedContactAt ?? -Infinity,
    wastedTimeCount: wastedTimeCount ?? 0,
    graveUnits: graveUnits ?? 0,
    interactionCount: interactionCount ?? 0,
  };
  if (s.drivers && s.drivers.length === 3)
    tally.drivers = {
      raised: candidates(s.drivers[0]!),
      raisedGated: candidates(s.drivers[1]!),
      lowered: candidates(s.drivers[2]!),
    };
  return tally;
}
