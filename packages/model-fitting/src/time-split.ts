// Outcomes are judged on instants the fit never saw, and later than every instant it saw: a
// random split would let a customer's March teach the fit about the same customer's April, and
// would hide a model that only describes the past.

export interface TimeSplit<T> {
  training: T[];
  heldOut: T[];
  /** The distinct instants of each part, oldest first. */
  trainingInstants: Date[];
  heldOutInstants: Date[];
}

/**
 * Sorts the distinct instants and gives the oldest `trainingShare` of them (rounded, and at least
 * one on each side when there are two or more) to training, the rest to the held-out part.
 */
export function splitByInstant<T extends { at: Date }>(
  observations: readonly T[],
  trainingShare: number,
): TimeSplit<T> {
  const instants = [...new Set(observations.map((observation) => observation.at.getTime()))].sort((a, b) => a - b);
  const trainingCount =
    instants.length < 2
      ? instants.length
      : Math.min(instants.length - 1, Math.max(1, Math.round(instants.length * trainingShare)));
  const firstHeldOut = instants[trainingCount] ?? Infinity;
  return {
    training: observations.filter((observation) => observation.at.getTime() < firstHeldOut),
    heldOut: observations.filter((observation) => observation.at.getTime() >= firstHeldOut),
    trainingInstants: instants.slice(0, trainingCount).map((ms) => new Date(ms)),
    heldOutInstants: instants.slice(trainingCount).map((ms) => new Date(ms)),
  };
}
