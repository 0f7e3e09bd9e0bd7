// Refuses an operation by a view token that selects a field its widget does not show
// (auth/view-token-fields.ts), before anything runs. Root fields are scoped where they are
// defined (which customer, which stream: schema/keys/view-scopes.ts); this adds the rest of the
// rule, that a view token reads only what its widget displays, once for every type, instead of
// a scope on each field of each type a customer leads to: a field added to the schema is closed
// to view tokens until it is listed.
//
// `liveViews` carries the tokens of several widgets; what it may select below its root is what
// the kinds of those tokens may read together (a page of gauges and an at-risk list: the gauge's
// selection). The kinds are read from the tokens unverified here, which only decides what may be
// selected: the stream verifies every token before it sends anything, and withholds from an event
// that only at-risk views see what an at-risk list may not read (schema/live/views.ts).
import {
  type ASTVisitor,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLOutputType,
  type GraphQLSchema,
  getOperationAST,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  TypeInfo,
  valueFromASTUntyped,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import type { BeforeExecution } from './before-execution.ts';
import { unverifiedViewTokenKind } from '@pulso/tokens';
import { VIEW_TOKEN_FIELDS, VIEW_TOKEN_WIDGET } from '../auth/view-token-fields.ts';
import type { ViewGrant } from '../auth/view-token-callers.ts';
import type { Context } from '../context.ts';

/**
 * Adds `Type.field` of every field under the given nodes to `found`, following fragment spreads
 * once each (meta fields such as `__typename` aside); `initialType` is the type the nodes select on.
 */
function collectFields(
  schema: GraphQLSchema,
  fragmentDefinitions: Iterable<FragmentDefinitionNode>,
  start: (OperationDefinitionNode | SelectionSetNode)[],
  initialType?: GraphQLOutputType,
): Set<string> {
  const fragments = new Map([...fragmentDefinitions].map((f) => [f.name.value, f]));
  const found = new Set<string>();
  const spread = new Set<string>();
  const typeInfo = new TypeInfo(schema, initialType);
  const pending: (OperationDefinitionNode | FragmentDefinitionNode | SelectionSetNode)[] = [...start];
  const visitor: ASTVisitor = visitWithTypeInfo(typeInfo, {
    Field(node) {
      const parent = typeInfo.getParentType();
      if (parent && !node.name.value.startsWith('__') && !parent.name.startsWith('__'))
        found.add(`${parent.name}.${node.name.value}`);
    },
    FragmentSpread(node) {
      const fragment = fragments.get(node.name.value);
      if (fragment && !spread.has(fragment.name.value)) {
        spread.add(fragment.name.value);
        pending.push(fragment);
      }
    },
  });
  while (pending.length) visit(pending.pop()!, visitor);
  return found;
}

/** `Type.field` of every field the operation selects, its fragments included (meta fields such as `__typename` aside). */
export function selectedFields(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
): Set<string> {
  const fragments = document.definitions.filter(
    (d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION,
  );
  return collectFields(schema, fragments, [operation]);
}

/** `Type.field` of every field selected below a resolver's field (its `info`), fragments included. */
export function fieldsBelow(info: {
  schema: GraphQLSchema;
  fieldNodes: readonly FieldNode[];
  fragments: Record<string, FragmentDefinitionNode>;
  returnType: GraphQLOutputType;
}): Set<string> {
  const sets = info.fieldNodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
  return collectFields(info.schema, Object.values(info.fragments), sets, info.returnType);
}

/** Whether a `Type.field` is a root field (what an operation starts from). */
const isRoot = (coordinate: string) => /^(Query|Mutation|Subscription)\./.test(coordinate);

/**
 * The kinds of the tokens a `liveViews` operation carries (its `views` argument), or null when the
 * operation is not `liveViews`.
 */
function liveViewKinds(
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | null | undefined,
): Set<ViewGrant['kind']> | null {
  const root = operation.selectionSet.selections.find(
    (s): s is FieldNode => s.kind === Kind.FIELD && s.name.value === 'liveViews',
  );
  if (operation.operation !== 'subscription' || !root) return null;
  const argument = root.arguments?.find((a) => a.name.value === 'views');
  const views = argument ? valueFromASTUntyped(argument.value, variables ?? undefined) : [];
  const kinds = new Set<ViewGrant['kind']>();
  for (const token of Array.isArray(views) ? views : [views]) {
    const kind = typeof token === 'string' ? unverifiedViewTokenKind(token) : null;
    if (kind) kinds.add(kind);
  }
  return kinds;
}

export function useViewTokenFields(): Plugin<Context> {
  // Runs for queries and mutations (onExecute) and subscriptions (onSubscribe) alike.
  const check = ({ args, setResultAndStopExecution }: BeforeExecution<{ contextValue: unknown }>) => {
    const view = (args.contextValue as Partial<Context>).caller?.view;
    if (!view) return;
    const operation = getOperationAST(args.document, args.operationName);
    if (!operation) return;
    const allowed = VIEW_TOKEN_FIELDS[view.kind];
    // Below liveViews' root: what the kinds of its tokens read together (none, when no token is a view token).
    // A list of no view token (empty, or garbage) is the bearer's: the stream refuses it anyway, by position.
    const kinds = liveViewKinds(operation, args.variableValues);
    const below = kinds && [...(kinds.size ? kinds : [view.kind])].map((kind) => VIEW_TOKEN_FIELDS[kind]);
    const may = (f: string) => (below && !isRoot(f) ? below.some((fields) => fields.has(f)) : allowed.has(f));
    const refused = [...selectedFields(args.schema, args.document, operation)].filter((f) => !may(f));
    if (refused.length === 0) return;
    const widget = VIEW_TOKEN_WIDGET[view.kind];
    setResultAndStopExecution({
      errors: [
        createGraphQLError(
          `a view token may not use ${refused.join(', ')}: a ${view.kind === 'customer' ? 'customer' : 'at-risk'} view token reads only what ${widget} shows (docs/api/README.md lists the fields)`,
          { extensions: { code: 'FORBIDDEN', fields: refused } },
        ),
      ],
    });
  };
  return { onExecute: check, onSubscribe: check };
}
