// Tells the access log (http/request-log.ts) what only GraphQL knows about a request: the
// operation's name and type, and the codes of the errors answered. Names are logged only when
// they are GraphQL names; nothing of the document or the variables is kept.
import { getOperationAST, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { currentRequest, loggableOperationName } from '../http/request-log.ts';

export function useRequestRecord(): Plugin {
  const noteOperation = (args: { document: Parameters<typeof getOperationAST>[0]; operationName?: string | null }) => {
    const record = currentRequest();
    if (!record) return;
    const operation = getOperationAST(args.document, args.operationName);
    if (!operation) return;
    record.operationType = operation.operation;
    record.operationName = loggableOperationName(operation.name?.value) ?? record.operationName;
  };
  return {
    onParams({ params }) {
      // Known before parsing, so that a request refused by a limit is still named.
      const record = currentRequest();
      if (record) record.operationName = loggableOperationName(params.operationName);
    },
    onExecute({ args }) {
      noteOperation(args);
    },
    onSubscribe({ args }) {
      noteOperation(args);
    },
    onResultProcess({ result }) {
      const record = currentRequest();
      if (!record) return;
      const results = Array.isArray(result) ? result : [result];
      const codes = new Set(record.errorCodes);
      for (const one of results as ExecutionResult[]) {
        for (const error of one?.errors ?? []) {
          const code = error.extensions?.code;
          if (typeof code === 'string' && /^[A-Z_]{1,64}$/.test(code)) codes.add(code);
        }
      }
      if (codes.size > 0) record.errorCodes = [...codes];
    },
  };
}
