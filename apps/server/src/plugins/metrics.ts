// Counts GraphQL operations into the server's metrics (metrics/pulso-metrics.ts) as they happen:
// each request's time from the moment yoga takes it to its result, labelled with the operation's
// name once the operation has passed validation (bounded: metrics/operation-names.ts), or
// `_invalid` for a request refused before execution (unparsable, invalid, over a limit); the
// `extensions.code` of every error answered; and live subscriptions while their streams are open.
// It comes first among the plugins, so that a request a later plugin refuses is still counted.
import { getOperationAST, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { INVALID } from '../metrics/operation-names.ts';
import type { PulsoMetrics } from '../metrics/pulso-metrics.ts';

export interface MetricsPluginOptions {
  /** Where the counts go. */
  metrics: PulsoMetrics;
}

interface Timed {
  started: number;
  name?: string;
  type?: string;
}

export function useMetrics({ metrics }: MetricsPluginOptions): Plugin {
  // Keyed by the request object yoga hands every hook: nothing outlives the request.
  const requests = new WeakMap<Request, Timed>();
  const noteOperation = (args: {
    document: Parameters<typeof getOperationAST>[0];
    operationName?: string | null;
    contextValue: unknown;
  }) => {
    const request = (args.contextValue as { request?: Request }).request;
    const timed = request && requests.get(request);
    if (!timed) return;
    const operation = getOperationAST(args.document, args.operationName);
    timed.name = metrics.operationNames.label(operation?.name?.value);
    timed.type = operation?.operation ?? 'query';
  };
  return {
    onRequest({ request }) {
      requests.set(request, { started: performance.now() });
    },
    onExecute({ args }) {
      noteOperation(args);
    },
    onSubscribe({ args }) {
      noteOperation(args);
      return {
        onSubscribeResult({ result }) {
          if (!(Symbol.asyncIterator in result)) return;
          metrics.liveSubscriberOpened();
          return { onEnd: () => metrics.liveSubscriberClosed() };
        },
      };
    },
    onResultProcess({ request, result }) {
      const timed = requests.get(request);
      if (!timed) return;
      requests.delete(request);
      metrics.graphqlOperation(timed.name ?? INVALID, timed.type ?? 'none', (performance.now() - timed.started) / 1000);
      // A stream's events are not counted here: only the errors of a single result or a batch.
      const results = Array.isArray(result) ? result : [result];
      for (const one of results as ExecutionResult[]) {
        if (one?.errors?.length) metrics.graphqlErrors(one.errors.map((e) => e.extensions?.code as string | undefined));
      }
    },
  };
}
