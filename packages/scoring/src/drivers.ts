// Keeps the few interactions that moved a score most, without sorting the whole history: a
// customer may have thousands of interactions and every customer is rescored daily.
import type { InteractionInput } from './types.ts';

export const DRIVER_COUNT = 3;

export interface DriverCandidate {
  /** Quantised points (see score.ts): integers compare exactly. */
  readonly units: number;
  readonly interaction: InteractionInput;
  readonly categoryIndex: number;
}

/**
 * Ties on points are broken by content (id, then type, then date) so that the drivers do not
 * depend on the order in which interactions arrive.
 */
function before(a: DriverCandidate, b: DriverCandidate, descending: boolean): boolean {
  if (a.units !== b.units) return descending ? a.units > b.units : a.units < b.units;
  const x = a.interaction;
  const y = b.interaction;
  if (x.id !== y.id) return x.id < y.id;
  if (x.typeKey !== y.typeKey) return x.typeKey < y.typeKey;
  return x.occurredAt.getTime() < y.occurredAt.getTime();
}

/**
 * Offers a candidate to `items`, the top DRIVER_COUNT candidates so far, best first: highest points
 * when descending, lowest otherwise. A plain array, so a stored tally can hold it.
 */
export function offerDriver(
  items: DriverCandidate[],
  descending: boolean,
  units: number,
  interaction: InteractionInput,
  categoryIndex: number,
): void {
  const full = items.length === DRIVER_COUNT;
  // Fast rejection: most interactions are not drivers and must cost one comparison.
  if (full) {
    const last = items[DRIVER_COUNT - 1]!;
    if (descending ? units < last.units : units > last.units) return;
  }
  const candidate: DriverCandidate = { units, interaction, categoryIndex };
  let position = items.length;
  while (position > 0 && before(candidate, items[position - 1]!, descending)) position -= 1;
  if (position >= DRIVER_COUNT) return;
  items.splice(position, 0, candidate);
  if (items.length > DRIVER_COUNT) items.pop();
}

/** The top DRIVER_COUNT candidates, best first: highest points when descending, lowest otherwise. */
export class TopDrivers {
  readonly items: DriverCandidate[] = [];
  readonly #descending: boolean;

  constructor(descending: boolean) {
    this.#descending = descending;
  }

  offer(units: number, interaction: InteractionInput, categoryIndex: number): void {
    offerDriver(this.items, this.#descending, units, interaction, categoryIndex);
  }
}
