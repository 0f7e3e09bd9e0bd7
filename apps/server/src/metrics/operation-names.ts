// Operation names as metric labels, bounded: every distinct label value is a time series kept by
// Prometheus, and a client chooses its operation names freely. Only names of operations that
// passed validation are labelled (so never a name from a refused or garbled request), and only the
// first `max` distinct ones this process meets; later ones are counted together as `_other`.
// A real client's operations are a fixed set (docs/api, the widgets), which fits well within the bound.

/** An operation without a name. */
export const ANONYMOUS = '_anonymous';
/** A request that never reached execution with a valid document (refused, unparsable, invalid). */
export const INVALID = '_invalid';
/** A named operation beyond the bound of distinct names. */
export const OTHER = '_other';

export class OperationNames {
  readonly #known = new Set<string>();
  constructor(readonly max: number) {}

  /** The label for a validated operation's name. */
  label(name: string | undefined): string {
    if (!name) return ANONYMOUS;
    if (this.#known.has(name)) return name;
    if (this.#known.size >= this.max) return OTHER;
    this.#known.add(name);
    return name;
  }
}
