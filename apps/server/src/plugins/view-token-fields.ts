// Refuses an operation by a view token that selects a field its widget does not show
// (auth/view-token-fields.ts), before anything runs. Root fields are scoped where they are
// defined (which customer, which stream: schema/keys/view-scopes.ts); this adds the rest of the
// rule, that a view token reads only what its widget displays, once for every type, instead of
// a scope on each field of each type a customer leads to: a field added to the schema is closed
// to view tokens until it is listed.
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLError,
  type GraphQLSchema,
  getOperationAST,
  Kind,
  type OperationDefinitionNode,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { VIEW_TOKEN_FIELDS, VIEW_TOKEN_WIDGET } from '../auth/view-token-fields.ts';
import type { Context } from '../context.ts';

/** `Type.field` of every field the operation selects, its fragments included (meta fields such as `__typename` aside). */
export function selectedFields(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
): Set<string> {
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((f) => [f.name.value, f]),
  );
  const found = new Set<string>();
  const spread = new Set<string>();
  const pending: (OperationDefinitionNode | FragmentDefinitionNode)[] = [operation];
  const typeInfo = new TypeInfo(schema);
  const visitor = visitWithTypeInfo(typeInfo, {
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

export function useViewTokenFields(): Plugin<Context> {
  // Runs for queries and mutations (onExecute) and subscriptions (onSubscribe) alike.
  const check = ({
    args,
    setResultAndStopExecution,
  }: {
    args: {
      schema: GraphQLSchema;
      document: DocumentNode;
      operationName?: string | null | undefined;
      contextValue: unknown;
    };
    setResultAndStopExecution: (result: { errors: readonly GraphQLError[] }) => void;
  }) => {
    const view = (args.contextValue as Partial<Context>).caller?.view;
    if (!view) return;
    const operation = getOperationAST(args.document, args.operationName);
    if (!operation) return;
    const allowed = VIEW_TOKEN_FIELDS[view.kind];
    const refused = [...selectedFields(args.schema, args.document, operation)].filter((f) => !allowed.has(f));
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
