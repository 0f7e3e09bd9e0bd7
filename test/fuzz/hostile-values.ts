// Values a careless or hostile client sends: injection-looking text, control characters, unpaired
// surrogates, huge and deeply nested payloads, numbers at the edges of what JSON and GraphQL carry.
import fc from 'fast-check';

/** Strings that have broken parsers, databases and templates elsewhere. */
export const HOSTILE_STRINGS: readonly string[] = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\u0000'.repeat(64),
  '\b\f\n\r\t\v',
  '\u001b[31mred\u001b[0m',
  '\u202egnp.exe',
  '\ufeffbom',
  '\ud800',
  'x\udfffy',
  '🎉'.repeat(50),
  'Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǫ̗̻̊',
  '\'; DROP TABLE "Customer"; --',
  "' OR '1'='1",
  '1; SELECT pg_sleep(10)',
  '$$; SELECT 1; $$',
  '{"$ne": null}',
  '{"__proto__": {"admin": true}}',
  '__proto__',
  'constructor',
  'prototype',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '{{7*7}}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection payload, on purpose
  '${process.exit(1)}',
  '%s%s%s%n',
  '../../../../etc/passwd',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  'null',
  'true',
  '[]',
  '2026-02-30T25:61:61Z',
  '0000-00-00T00:00:00Z',
  '+275760-09-13T00:00:00.001Z',
  'cus_0001 ',
  ' cus_0001',
  'CUS_0001',
  'pulso_sk_',
  'Bearer ',
];

/** Integers at the edges of GraphQL's Int (32 bits) and of the ranges Pulso checks. */
export const EDGE_INTS: readonly number[] = [
  0, -1, 1, 2, 7, 10, 30, 100, 101, 365, 366, 367, 1000, 2147483647, -2147483648, 86_400, 31_536_000,
];

/** Floats at the edges of JSON numbers and of Pulso's ranges (0–100 scores, 0–1000 points, 0–1 weights). */
export const EDGE_FLOATS: readonly number[] = [
  0, -0, 1, -1, 0.25, 0.5, 0.999999, 1.000001, 5, 10, 50, 70, 99.999, 100, 100.000001, 1000, 1000.0001, 1e-7, 5e-324,
  -5e-324, 1e15,
  // biome-ignore lint/correctness/noPrecisionLoss: 2^53 + 1, which a double cannot hold: that is the point
  9007199254740993, 1.7976931348623157e308, -1.7976931348623157e308,
];

/** A string of `n` repetitions of a short unit (kept small for shrinking: the unit and length shrink). */
export const hugeString = (): fc.Arbitrary<string> =>
  fc
    .tuple(fc.constantFrom('a', 'é', '🎉', '\u0000', "'", '\\', ' '), fc.constantFrom(2_001, 10_000, 100_000, 600_000))
    .map(([unit, n]) => unit.repeat(n));

/** An array nested `depth` levels deep around a value. */
export function nested(depth: number, inner: unknown = 1): unknown {
  let value: unknown = inner;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

/**
 * A JSON value nested deep enough to trouble recursive code (serialisers, validators). At most
 * 2,000 levels: the client's own JSON.stringify gives up near 10,000. Deeper bodies are written
 * as text (fuzz-case.ts).
 */
export const deeplyNested = (): fc.Arbitrary<unknown> =>
  fc.tuple(fc.constantFrom(32, 500, 2_000), fc.boolean()).map(([depth, objects]) => {
    if (!objects) return nested(depth);
    let value: unknown = 1;
    for (let i = 0; i < depth; i++) value = { a: value };
    return value;
  });

/** Any string worth sending where a string is expected; `small` leaves out the huge ones (for items repeated many times). */
export const anyString = (small = false): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
    { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: small ? 0 : 1, arbitrary: hugeString() },
  );

/** A value of the wrong kind for whatever was expected: GraphQL must refuse it before a resolver runs. */
export const wrongValue = (small = false): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.constant(null),
    fc.constantFrom(...HOSTILE_STRINGS),
    fc.constantFrom(...EDGE_FLOATS, 2 ** 31, -(2 ** 31) - 1, 1.5),
    fc.boolean(),
    fc.constant([]),
    fc.constant({}),
    fc.jsonValue({ maxDepth: 3 }),
    small ? fc.constant([[[[1]]]]) : deeplyNested(),
  );
