// Records keyed by strings that callers write (segment names): without a prototype, a key such as
// "__proto__" or "constructor" is an entry like any other, never a way to Object.prototype (found
// by the fuzz test: setSegmentWeight(segment: "__proto__") set a property on every object).

/** An empty record without a prototype. */
export function dictionary<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}
