// Queries run by graphql-jit once they repeat. graphql-jit compiles an operation into a JavaScript
// function that walks exactly that selection, where graphql-tools' executor interprets the document
// field by field for every row, allocating a path, an info object and a promise chain each time: on
// a dashboard page of 100 customers (≈ 9,000 fields) the interpreter and the garbage it leaves were
// about half of the CPU of a request, and the compiled function cut the CPU per request by about a
// third (bench/RESULTS.md, benchmark 2).
//
// Compiling costs more than one interpreted run, so a document is compiled the second time it is
// executed: a dashboard, a widget or a client repeats its few documents, while a stream of one-off
// documents (an explorer, a scanner) never pays a compilation. What is known of a document hangs
// off the parsed document, which yoga's parse cache hands back for the same text, and goes with it.
//
// Only queries whose Prisma-planned fields are not nested in one another are compiled. Pothos finds
// what a parent's query loaded for a field through graphql-js' path objects; graphql-jit builds them
// anew, and a planned field beneath another planned field (a customer's score history, whose
// snapshot fields are planned too) then finds nothing and loads its rows one by one. Such queries,
// subscriptions (long-lived), mutations (their cost is their transaction) and documents of several
// operations (see `compilable`) keep graphql-js.
//
// Variables are checked by graphql-js before a compiled run: graphql-jit coerces them with its own
// words (naming an input field as a variable, without the scalar's explanation or a code, and with
// 200 where graphql-js gives 400), so a request whose variables graphql-js refuses is interpreted,
// and is refused as it was the first time. The check is coercion alone, a few microseconds against
// the execution it guards.
// compiled-execution.test.ts runs each kind of query both ways and compares data and statements.
import { useGraphQlJit } from '@envelop/graphql-jit';
import {
  getNamedType,
  getOperationAST,
  getVariableValues,
  isAbstractType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

interface DocumentRecord {
  executions: number;
  /** The operation to compile, when the document is compilable. */
  operation: OperationDefinitionNode | null;
}

export interface CompiledExecutionOptions {
  /** Told of every execution, compiled or interpreted (PulsoMetrics.graphqlExecution). */
  onExecution?: (executor: 'compiled' | 'interpreted') => void;
}

export function useCompiledExecution({ onExecution }: CompiledExecutionOptions = {}): ReturnType<typeof useGraphQlJit> {
  const documents = new WeakMap<DocumentNode, DocumentRecord>();
  return useGraphQlJit(
    {},
    {
      enableIf: ({ schema, document, operationName, variableValues }) => {
        let record = documents.get(document);
        if (!record) {
          record = {
            executions: 0,
            operation:
              (compilable(schema, document, operationName) && getOperationAST(document, operationName)) || null,
          };
          documents.set(document, record);
        }
        record.executions += 1;
        const compiled =
          record.operation !== null &&
          record.executions > 1 &&
          !getVariableValues(schema, record.operation.variableDefinitions ?? [], variableValues ?? {}).errors;
        onExecution?.(compiled ? 'compiled' : 'interpreted');
        return compiled;
      },
    },
  );
}

/**
 * Whether the document holds one operation, a query with no Prisma-planned field beneath another.
 * One: @envelop/graphql-jit keeps a compiled function per document, whichever operation it was
 * compiled for, so a second operation of the same document would run the first one's.
 */
export function compilable(schema: GraphQLSchema, document: DocumentNode, operationName?: string | null): boolean {
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const operation = getOperationAST(document, operationName);
  const root = schema.getQueryType();
  if (operations.length !== 1 || operation?.operation !== 'query' || !root) return false;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  return !plannedWithinPlanned(schema, fragments, operation.selectionSet, root, false);
}

/** Whether the field `name` of `type` (of any of its object types, if abstract) is Prisma-planned. */
function planned(schema: GraphQLSchema, type: GraphQLNamedType, name: string): boolean {
  const objects = isAbstractType(type) ? schema.getPossibleTypes(type) : isObjectType(type) ? [type] : [];
  return objects.some((object) => Boolean(object.getFields()[name]?.extensions?.pothosPrismaSelect));
}

function plannedWithinPlanned(
  schema: GraphQLSchema,
  fragments: Map<string, FragmentDefinitionNode>,
  selectionSet: SelectionSetNode,
  type: GraphQLNamedType,
  withinPlanned: boolean,
): boolean {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const isPlanned = planned(schema, type, selection.name.value);
      if (isPlanned && withinPlanned) return true;
      if (!selection.selectionSet || !('getFields' in type)) continue;
      const field = type.getFields()[selection.name.value];
      if (
        field &&
        plannedWithinPlanned(
          schema,
          fragments,
          selection.selectionSet,
          getNamedType(field.type),
          withinPlanned || isPlanned,
        )
      )
        return true;
    } else {
      const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments.get(selection.name.value);
      if (!fragment) continue;
      const condition = fragment.typeCondition ? schema.getType(fragment.typeCondition.name.value) : type;
      if (condition && plannedWithinPlanned(schema, fragments, fragment.selectionSet, condition, withinPlanned))
        return true;
    }
  }
  return false;
}
