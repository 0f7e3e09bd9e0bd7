// Root fields of a GraphQL schema and the smallest operation that calls each one, derived from the
// schema itself: a field added to Query, Mutation or Subscription is picked up with no edit here.
import {
  getNamedType,
  isAbstractType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';

export type OperationKind = 'query' | 'mutation' | 'subscription';

export interface RootField {
  kind: OperationKind;
  /** `Mutation.createCustomer`. */
  path: string;
  name: string;
  field: GraphQLField<unknown, unknown>;
}

export function rootFields(
  schema: GraphQLSchema,
  kinds: OperationKind[] = ['query', 'mutation', 'subscription'],
): RootField[] {
  const roots = {
    query: schema.getQueryType(),
    mutation: schema.getMutationType(),
    subscription: schema.getSubscriptionType(),
  };
  return kinds.flatMap((kind) => {
    const type = roots[kind];
    if (!type) return [];
    return Object.values(type.getFields()).map((field) => ({
      kind,
      path: `${type.name}.${field.name}`,
      name: field.name,
      field,
    }));
  });
}

/**
 * The selection a field's result needs: nothing for a scalar or enum, `__typename` for an object,
 * and for a result that may be a typed user error, that error's `code`, `message` and `field` too,
 * so a test can see why a request was refused.
 */
export function selectionFor(schema: GraphQLSchema, type: GraphQLOutputType): string {
  const named = getNamedType(type);
  if (isLeafType(named)) return '';
  const userError = schema.getType('UserError');
  const mayBeUserError =
    isInterfaceType(userError) &&
    (isAbstractType(named)
      ? schema.getPossibleTypes(named).some((t) => schema.isSubType(userError, t))
      : isObjectType(named) && schema.isSubType(userError, named));
  return mayBeUserError ? ' { __typename ... on UserError { code message field } }' : ' { __typename }';
}

/** `mutation ($input: CustomerInput!) { createCustomer(input: $input) { __typename ... } }` for the given arguments. */
export function operationText(
  schema: GraphQLSchema,
  root: RootField,
  args: readonly GraphQLArgument[] = root.field.args,
): string {
  const declarations = args.map((arg) => `$${arg.name}: ${String(arg.type)}`).join(', ');
  const passed = args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
  return `${root.kind}${declarations ? ` (${declarations})` : ''} { ${root.name}${passed ? `(${passed})` : ''}${selectionFor(schema, root.field.type)} }`;
}

/** A type-correct placeholder for an input type: required fields only, one item per list. */
export function placeholderValue(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return placeholderValue(type.ofType);
  if (isListType(type)) return [placeholderValue(type.ofType)];
  if (isEnumType(type)) return type.getValues()[0]!.name;
  if (isInputObjectType(type)) {
    const value: Record<string, unknown> = {};
    for (const field of Object.values(type.getFields())) {
      if (isNonNullType(field.type) && field.defaultValue === undefined)
        value[field.name] = placeholderValue(field.type);
    }
    return value;
  }
  if (isScalarType(type)) {
    const scalars: Record<string, unknown> = {
      String: 'x',
      ID: 'x',
      Int: 1,
      Float: 1,
      Boolean: true,
      DateTime: '2026-01-01T00:00:00Z',
      JSON: {},
    };
    if (!(type.name in scalars))
      throw new Error(`no placeholder for the scalar ${type.name}: add one to placeholderValue`);
    return scalars[type.name];
  }
  throw new Error(`no placeholder for ${String(type)}`);
}

/** The smallest valid operation that calls a root field: its required arguments filled with placeholders. */
export function minimalOperation(
  schema: GraphQLSchema,
  root: RootField,
): { query: string; variables: Record<string, unknown> } {
  const required = root.field.args.filter((arg) => isNonNullType(arg.type) && arg.defaultValue === undefined);
  return {
    query: operationText(schema, root, required),
    variables: Object.fromEntries(required.map((arg) => [arg.name, placeholderValue(arg.type)])),
  };
}
