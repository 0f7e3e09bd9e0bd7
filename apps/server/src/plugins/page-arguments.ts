// Refuses page arguments a list cannot honour, before anything runs: `first` or `last` above the
// field's largest page, below zero, or both at once. Pothos' connection helpers clamp a `first: 500`
// to 100 without a word, so a client asking for 500 got 100 and `hasNextPage` and took the page for
// the whole list; and `first` with `last` is a request Relay's specification discourages and no
// client can read reliably (issue 16). As GitHub does, such a request is refused with a
// BAD_USER_INPUT naming the field, the argument and the limit.
//
// A field's largest page is its `extensions.maxPageSize` (the at-risk ranking: 200; scoresAsOf:
// 500), otherwise `defaultMaxPageSize` (builder.ts' maxConnectionSize, 100). Arguments are read as
// execution will read them — variables coerced, defaults applied — like cost-limit.ts does.
import {
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLError,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  getArgumentValues,
  getNamedType,
  isInterfaceType,
  isObjectType,
  Kind,
  type SelectionSetNode,
} from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { type BeforeExecution, operationToRun } from './before-execution.ts';

export interface PageArgumentsOptions {
  /** The largest page of a field without `extensions.maxPageSize`. Default 100. */
  defaultMaxPageSize?: number;
}

interface Walk {
  schema: GraphQLSchema;
  variables: Record<string, unknown>;
  fragments: Map<string, FragmentDefinitionNode>;
  visited: Set<string>;
  defaultMax: number;
  errors: GraphQLError[];
}

/** The largest page a field serves, for docs and tests. */
export function maxPageSize(field: GraphQLField<unknown, unknown>, defaultMax = 100): number {
  const max = field.extensions?.maxPageSize;
  return typeof max === 'number' ? max : defaultMax;
}

function refuse(path: string, argument: string, message: string, max: number) {
  return createGraphQLError(`${path}: ${message}`, {
    extensions: { code: 'BAD_USER_INPUT', field: path, argument, max },
  });
}

function checkField(field: GraphQLField<unknown, unknown>, node: FieldNode, parent: string, walk: Walk) {
  const names = new Set(field.args.map((a) => a.name));
  if (!names.has('first') && !names.has('last')) return;
  let values: Record<string, unknown>;
  try {
    values = getArgumentValues(field, node, walk.variables);
  } catch {
    // An argument that does not coerce: execution refuses it with graphql-js' own error.
    return;
  }
  const path = `${parent}.${field.name}`;
  const max = maxPageSize(field, walk.defaultMax);
  const { first, last } = values as { first?: number | null; last?: number | null };
  if (first != null && last != null) {
    walk.errors.push(
      refuse(path, 'last', 'pass either `first` (with `after`) or `last` (with `before`), not both', max),
    );
    return;
  }
  for (const [argument, value] of [
    ['first', first],
    ['last', last],
  ] as const) {
    if (value == null) continue;
    if (value < 0) walk.errors.push(refuse(path, argument, `\`${argument}\` must not be negative, got ${value}`, max));
    else if (value > max)
      walk.errors.push(
        refuse(path, argument, `\`${argument}\` is at most ${max}, got ${value}: ask in pages of ${max}`, max),
      );
  }
}

function walkSelections(set: SelectionSetNode, type: GraphQLNamedType | undefined, walk: Walk) {
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      const field = isObjectType(type) || isInterfaceType(type) ? type.getFields()[selection.name.value] : undefined;
      if (!field) continue;
      checkField(field, selection, type!.name, walk);
      if (selection.selectionSet) walkSelections(selection.selectionSet, getNamedType(field.type), walk);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const on = selection.typeCondition ? walk.schema.getType(selection.typeCondition.name.value) : type;
      walkSelections(selection.selectionSet, on ?? undefined, walk);
    } else {
      // Each fragment once: its fields carry the same arguments wherever it is spread.
      const name = selection.name.value;
      const fragment = walk.fragments.get(name);
      if (!fragment || walk.visited.has(name)) continue;
      walk.visited.add(name);
      walkSelections(fragment.selectionSet, walk.schema.getType(fragment.typeCondition.name.value) ?? undefined, walk);
    }
  }
}

export function usePageArguments(options: PageArgumentsOptions = {}): Plugin {
  const { defaultMaxPageSize = 100 } = options;
  const check = ({ args, setResultAndStopExecution }: BeforeExecution) => {
    const toRun = operationToRun(args);
    if (!toRun) return;
    const { operation, variables: coerced } = toRun;
    const root =
      operation.operation === 'query'
        ? args.schema.getQueryType()
        : operation.operation === 'mutation'
          ? args.schema.getMutationType()
          : args.schema.getSubscriptionType();
    const walk: Walk = {
      schema: args.schema,
      variables: coerced,
      fragments: new Map(
        args.document.definitions
          .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
          .map((f) => [f.name.value, f]),
      ),
      visited: new Set(),
      defaultMax: defaultMaxPageSize,
      errors: [],
    };
    walkSelections(operation.selectionSet, root ?? undefined, walk);
    // A field repeated (aliases, a fragment spread at several levels) is refused once.
    const errors = [...new Map(walk.errors.map((e) => [e.message, e])).values()];
    if (errors.length > 0) setResultAndStopExecution({ errors });
  };
  return { onExecute: check, onSubscribe: check };
}
