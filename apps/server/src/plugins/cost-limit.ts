// Refuses an operation whose cost is over a limit, after its variables are known and before
// anything runs. The cost estimates the fields an operation can make the server produce: 1 a leaf
// field, 2 an object plus the cost of its fields, and a list multiplied by how many items it may
// hold — a connection by its `first`/`last` (the page size of 20 when neither is given), a field
// taking `ids` (`nodes`) by the number of ids, a lookup by `externalIds` or idempotency `keys` by
// the number of them. Introspection (`__schema`, `__type`) is free: it is
// answered from the schema in memory. graphql-armor also weighs each level 1.5× the one above;
// with page sizes counted that compounding priced a dashboard page of 100 customers with 5
// interactions each at 145,742 points against 16,900 here, while the multipliers already count
// what nesting costs (the rows each level reads).
//
// Why not graphql-armor's cost limit (Pulso used it before): it is a validation rule, and yoga
// validates a document once for every set of variables (validation is cached by document text), so
// it reads only literals: `customers(first: $n)` counted once whatever `$n` was, and a 35-second,
// 59 MB operation passed with its page sizes in variables while the same with literal 100s was
// refused. Here the operation's variables are coerced by graphql-js (their defaults applied) and
// each field's arguments read with `getArgumentValues`, exactly as execution will see them. The
// figure is reported as computed, in plain digits (reading it back from armor's message lost any
// figure JavaScript writes in exponent notation: "2 points" for a cost of 2e+21).
import {
  getArgumentValues,
  getNamedType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  isInterfaceType,
  isObjectType,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import { type BeforeExecution, operationToRun } from './before-execution.ts';
import { DEFAULT_OPERATION_LIMITS, limitExceededError } from './operation-limits.ts';

export interface CostLimitOptions {
  /** Points an operation may cost. Default 50,000 (DEFAULT_OPERATION_LIMITS). */
  maxCost?: number;
  /** Items a connection holds when neither `first` nor `last` is given. Default 20 (builder.ts' defaultConnectionSize). */
  defaultPageSize?: number;
}

const LEAF_COST = 1;
/** Arguments listing what a field looks up: the field returns one item for each. */
const LOOKUP_ARGUMENTS = new Set(['ids', 'externalIds', 'keys']);
const OBJECT_COST = 2;

interface Walk {
  schema: GraphQLSchema;
  variables: Record<string, unknown>;
  fragments: Map<string, FragmentDefinitionNode>;
  /** A fragment's cost, once computed: fragments count as the fields they hold, wherever spread. */
  fragmentCosts: Map<string, number>;
  defaultPageSize: number;
}

/** What the operation costs with these (coerced) variables. */
export function operationCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: readonly FragmentDefinitionNode[],
  variables: Record<string, unknown>,
  defaultPageSize = 20,
): number {
  const root =
    operation.operation === 'query'
      ? schema.getQueryType()
      : operation.operation === 'mutation'
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  const walk: Walk = {
    schema,
    variables,
    fragments: new Map(fragments.map((f) => [f.name.value, f])),
    fragmentCosts: new Map(),
    defaultPageSize,
  };
  return selectionsCost(operation.selectionSet, root ?? undefined, walk);
}

function selectionsCost(set: SelectionSetNode, type: GraphQLNamedType | undefined, walk: Walk): number {
  let cost = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      cost += fieldCost(selection, type, walk);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const on = selection.typeCondition ? walk.schema.getType(selection.typeCondition.name.value) : type;
      cost += selectionsCost(selection.selectionSet, on ?? undefined, walk);
    } else {
      const name = selection.name.value;
      let known = walk.fragmentCosts.get(name);
      if (known === undefined) {
        const fragment = walk.fragments.get(name);
        // Validation has refused unknown and cyclic fragments before execution.
        known = fragment
          ? selectionsCost(
              fragment.selectionSet,
              walk.schema.getType(fragment.typeCondition.name.value) ?? undefined,
              walk,
            )
          : 0;
        walk.fragmentCosts.set(name, known);
      }
      cost += known;
    }
  }
  return cost;
}

function fieldCost(node: FieldNode, parent: GraphQLNamedType | undefined, walk: Walk): number {
  const name = node.name.value;
  if (name === '__schema' || name === '__type') return 0;
  if (!node.selectionSet) return LEAF_COST;
  const field = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
  const inner = field ? getNamedType(field.type) : undefined;
  const children = selectionsCost(node.selectionSet, inner, walk);
  return (OBJECT_COST + children) * (field ? itemsOf(field, node, walk) : 1);
}

/** How many items the field may return, by its arguments as execution will read them. */
function itemsOf(field: GraphQLField<unknown, unknown>, node: FieldNode, walk: Walk): number {
  const paged = field.args.some((a) => a.name === 'first' || a.name === 'last');
  const lookup = field.args.find((a) => LOOKUP_ARGUMENTS.has(a.name))?.name;
  if (!paged && !lookup) return 1;
  let values: Record<string, unknown>;
  try {
    values = getArgumentValues(field, node, walk.variables);
  } catch {
    // An argument that does not coerce fails execution before this field could run.
    return 1;
  }
  if (lookup && Array.isArray(values[lookup])) return (values[lookup] as unknown[]).length;
  const sizes = [values.first, values.last].filter((n): n is number => typeof n === 'number' && n >= 0);
  return sizes.length > 0 ? Math.max(...sizes) : walk.defaultPageSize;
}

export function useCostLimit(options: CostLimitOptions = {}): Plugin {
  const { maxCost = DEFAULT_OPERATION_LIMITS.maxCost, defaultPageSize = 20 } = options;
  // Runs for queries and mutations (onExecute) and subscriptions (onSubscribe) alike.
  const check = ({ args, setResultAndStopExecution }: BeforeExecution) => {
    const toRun = operationToRun(args);
    if (!toRun) return;
    const { operation, variables: coerced } = toRun;
    const fragments = args.document.definitions.filter(
      (d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION,
    );
    const cost = operationCost(args.schema, operation, fragments, coerced, defaultPageSize);
    if (cost > maxCost)
      setResultAndStopExecution({ errors: [limitExceededError('maxCost', maxCost, Math.ceil(cost))] });
    return Math.ceil(cost);
  };
  // Every answer of a query or mutation says what it cost and the limit in `extensions.cost`, as
  // Shopify's does, so a client sees how close a query is before it is refused, without asking.
  // The figure depends only on the operation, its variables and the limit, so an answer cached for
  // the same request stays right. Answers refused before execution (a malformed document, a key
  // refused) carry none: nothing was costed.
  return {
    onExecute: (payload) => {
      const requested = check(payload);
      if (requested === undefined) return;
      return {
        onExecuteDone: ({ result, setResult }) => {
          if (isAsyncIterable(result)) return;
          setResult({ ...result, extensions: { ...result.extensions, cost: { requested, limit: maxCost } } });
        },
      };
    },
    onSubscribe: (payload) => {
      check(payload);
    },
  };
}
