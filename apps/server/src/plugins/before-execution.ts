// What the checks that run before an operation executes share (cost-limit.ts, page-arguments.ts,
// view-token-fields.ts): the same hook arguments for queries and mutations (onExecute) and
// subscriptions (onSubscribe), and the operation with its variables coerced, so that a check
// judges what `first: $n` asks, not the literal.
import {
  type DocumentNode,
  type GraphQLError,
  type GraphQLSchema,
  getOperationAST,
  getVariableValues,
  type OperationDefinitionNode,
} from 'graphql';

/** The part of envelop's onExecute / onSubscribe payload a check reads and answers through. */
export interface BeforeExecution<Args = object> {
  args: {
    schema: GraphQLSchema;
    document: DocumentNode;
    operationName?: string | null | undefined;
    variableValues?: Record<string, unknown> | null | undefined;
  } & Args;
  setResultAndStopExecution: (result: { errors: readonly GraphQLError[] }) => void;
}

/**
 * The operation to run and its variables coerced to their types; null when there is no such
 * operation or the variables do not fit (execution then refuses them with graphql-js' own errors).
 */
export function operationToRun(
  args: BeforeExecution['args'],
): { operation: OperationDefinitionNode; variables: Record<string, unknown> } | null {
  const operation = getOperationAST(args.document, args.operationName);
  if (!operation) return null;
  const { coerced } = getVariableValues(args.schema, operation.variableDefinitions ?? [], args.variableValues ?? {});
  return coerced ? { operation, variables: coerced } : null;
}
