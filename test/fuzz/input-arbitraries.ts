// fast-check arbitraries generated from GraphQL input types: a value for every argument of every
// field, mostly of the right type (so it reaches the resolver, where bugs live) and sometimes of
// the wrong one. Strings and ids lean on what the workspace holds (real external ids, category
// and interaction type keys, ids of real records) so that writes succeed as well as fail.
import fc from 'fast-check';
import {
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLInputType,
} from 'graphql';
import { EDGE_FLOATS, EDGE_INTS, HOSTILE_STRINGS, anyString, deeplyNested, wrongValue } from './hostile-values.ts';

/** What the workspace under test holds, by name; literal values, so a kept case replays the same. */
export interface KnownValues {
  externalIds: readonly string[];
  categoryKeys: readonly string[];
  interactionTypeKeys: readonly string[];
  segments: readonly string[];
}

/**
 * Placeholders for values that differ from run to run (database ids, signed tokens): the test
 * replaces them just before sending, so a kept case means the same thing in any later run.
 */
export const PLACEHOLDERS = {
  customerId: (i: number) => `@@customer:${i}@@`,
  interactionId: (i: number) => `@@interaction:${i}@@`,
  spareApiKeyId: '@@spareApiKey@@',
  customerToken: (externalId: string) => `@@customerToken:${externalId}@@`,
} as const;

const SCALARS: Record<string, (name: string, known: KnownValues, small: boolean) => fc.Arbitrary<unknown>> = {
  String: (name, known, small) => stringFor(name, known, small),
  ID: (_name, _known, small) =>
    fc.oneof(
      { weight: 4, arbitrary: fc.integer({ min: 0, max: 7 }).map(PLACEHOLDERS.customerId) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 3 }).map(PLACEHOLDERS.interactionId) },
      { weight: 1, arbitrary: fc.constant(PLACEHOLDERS.spareApiKeyId) },
      { weight: 1, arbitrary: fc.uuid() },
      {
        weight: 1,
        arbitrary: fc
          .tuple(
            fc.constantFrom('Customer', 'Interaction', 'ApiKey', 'Nope', ''),
            fc.oneof(fc.uuid(), anyString(small)),
          )
          .map(([type, id]) => Buffer.from(`${type}:${id}`).toString('base64')),
      },
      { weight: 2, arbitrary: anyString(small) },
    ),
  Int: () => fc.oneof(fc.constantFrom(...EDGE_INTS), fc.integer({ min: -5, max: 400 }), fc.integer()),
  Float: () =>
    fc.oneof(
      fc.constantFrom(...EDGE_FLOATS),
      fc.double({ min: -10, max: 1100, noNaN: true }),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
    ),
  Boolean: () => fc.boolean(),
  DateTime: (_name, _known, small) =>
    fc.oneof(
      // Near now: the ranges resolvers check (future dates, expiries, validity windows).
      fc
        .integer({ min: -400 * 86_400, max: 400 * 86_400 })
        .map((s) => new Date(Date.UTC(2026, 10, 23) + s * 1000).toISOString()),
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      fc.constantFrom(
        '2026-11-23T18:00:00Z',
        '2026-11-23T18:00:00+14:00',
        '2026-11-23',
        '1970-01-01T00:00:00Z',
        '9999-12-31T23:59:59Z',
        '+275760-09-13T00:00:00.000Z',
        '-271821-04-20T00:00:00.000Z',
      ),
      anyString(small),
    ),
  JSON: (_name, _known, small) =>
    fc.oneof(
      { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
      { weight: small ? 0 : 1, arbitrary: deeplyNested() },
      { weight: 1, arbitrary: fc.dictionary(anyString(small), anyString(small), { maxKeys: 5 }) },
    ),
};

function stringFor(name: string, known: KnownValues, small: boolean): fc.Arbitrary<string> {
  const pick = (values: readonly string[]) => (values.length > 0 ? fc.constantFrom(...values) : anyString(small));
  const named = /customerToken/i.test(name)
    ? fc.oneof(
        { weight: 4, arbitrary: pick(known.externalIds).map(PLACEHOLDERS.customerToken) },
        { weight: 1, arbitrary: fc.constantFrom('eyJhbGciOiJIUzI1NiJ9.e30.x', 'a.b.c') },
      )
    : /externalId|^customer$/i.test(name)
      ? fc.oneof(pick(known.externalIds), fc.stringMatching(/^[a-z]{1,8}_[0-9]{1,4}$/))
      : /categoryKey|^key$/i.test(name)
        ? fc.oneof(
            pick(known.categoryKeys),
            pick(known.interactionTypeKeys),
            fc.stringMatching(/^[a-z][a-z0-9_]{0,20}$/),
          )
        : /^type$|interactionTypeKey/i.test(name)
          ? pick(known.interactionTypeKeys)
          : /segment/i.test(name)
            ? pick(known.segments)
            : /idempotencyKey/i.test(name)
              ? fc.oneof(fc.constantFrom('k1', 'k2', 'k3'), fc.uuid(), fc.string({ minLength: 199, maxLength: 202 }))
              : /origin/i.test(name)
                ? fc.constantFrom(
                    'https://shop.example',
                    'http://localhost:3000',
                    'https://a.example/path',
                    'null',
                    '*',
                    'javascript:alert(1)',
                  )
                : fc.stringMatching(/^[A-Za-z][A-Za-z0-9 ]{0,30}$/);
  return fc.oneof(
    { weight: 5, arbitrary: named },
    { weight: 3, arbitrary: anyString(small) },
    { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  );
}

/**
 * A value for an input of this type: mostly well typed, sometimes wrong (refused by GraphQL).
 * `small` leaves out huge strings and deep nesting, for an item a list repeats many times.
 */
export function inputValue(
  type: GraphQLInputType,
  name: string,
  known: KnownValues,
  small = false,
): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 15, arbitrary: wellTyped(type, name, known, small) },
    { weight: 1, arbitrary: wrongValue(small) },
  );
}

function wellTyped(type: GraphQLInputType, name: string, known: KnownValues, small: boolean): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) return wellTypedNonNull(type.ofType, name, known, small);
  // Nullable: sometimes null, sometimes left out (undefined drops the key from the JSON).
  return fc.oneof(
    { weight: 6, arbitrary: wellTypedNonNull(type, name, known, small) },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

function wellTypedNonNull(
  type: GraphQLInputType,
  name: string,
  known: KnownValues,
  small: boolean,
): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) return wellTypedNonNull(type.ofType, name, known, small);
  if (isListType(type)) {
    return fc.oneof(
      { weight: 8, arbitrary: fc.array(inputValue(type.ofType, name, known, small), { maxLength: 4 }) },
      // Many items at once (batch limits, duplicates within one request): small items only.
      {
        weight: 1,
        arbitrary: fc
          .tuple(inputValue(type.ofType, name, known, true), fc.constantFrom(2, 100, 1_000, 1_001, 5_000))
          .map(([value, n]) => Array.from({ length: n }, () => value)),
      },
    );
  }
  if (isEnumType(type)) return fc.constantFrom(...type.getValues().map((v) => v.name));
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields());
    return fc.record(Object.fromEntries(fields.map((f) => [f.name, inputValue(f.type, f.name, known, small)])), {
      requiredKeys: fields.filter((f) => isNonNullType(f.type)).map((f) => f.name),
    });
  }
  if (isScalarType(type)) {
    const scalar = SCALARS[type.name];
    if (!scalar)
      throw new Error(`no arbitrary for the scalar ${type.name}: add one to SCALARS in test/fuzz/input-arbitraries.ts`);
    return scalar(name, known, small);
  }
  throw new Error(`no arbitrary for the input type ${String(type)}`);
}

/** Arguments of a field: required ones always present (their values may still be wrong), others sometimes. */
export function argumentsFor(
  args: readonly GraphQLArgument[],
  known: KnownValues,
): fc.Arbitrary<Record<string, unknown>> {
  return fc.record(Object.fromEntries(args.map((a) => [a.name, inputValue(a.type, a.name, known)])), {
    requiredKeys: args.filter((a) => isNonNullType(a.type)).map((a) => a.name),
  });
}
