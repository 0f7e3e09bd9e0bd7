// How many live streams one credential may hold open on an instance at a time. Rate limits count
// how many operations start a minute, not how many stay open: one read-only key opened 550
// Server-Sent Events streams in a few seconds (about 40 KB and a file descriptor each, kept until
// the client leaves), and could go on while its minute's budget refilled. Widgets need one stream
// per browser (a page's widgets and a site's tabs share it), a backend a handful: a credential
// beyond the limit is refused TOO_MANY_STREAMS (429) until one of its streams ends. View tokens
// count one by one (each visitor has its own); API keys by key. Counted per instance: behind a load
// balancer a credential may hold the limit on each.
import { createHash } from 'node:crypto';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import type { Caller } from '../auth/api-key-callers.ts';

/** The default limit (PULSO_MAX_STREAMS_PER_CREDENTIAL). */
export const MAX_STREAMS_PER_CREDENTIAL = 100;

export function useStreamLimit(maxPerCredential: number): Plugin {
  const open = new Map<string, number>();
  const release = (key: string) => {
    const left = (open.get(key) ?? 1) - 1;
    if (left > 0) open.set(key, left);
    else open.delete(key);
  };
  return {
    onSubscribe: ({ args, setResultAndStopExecution }) => {
      const context = args.contextValue as { caller?: Caller | null; request?: Request };
      const key = credentialKey(context.caller, context.request);
      if (key === null || maxPerCredential <= 0) return;
      const count = open.get(key) ?? 0;
      if (count >= maxPerCredential) {
        setResultAndStopExecution({
          errors: [
            createGraphQLError(
              `this credential holds ${count} live streams, the most one may hold open at a time (${maxPerCredential}): close one, or share a stream (a workspace stream, liveViews)`,
              { extensions: { code: 'TOO_MANY_STREAMS', http: { status: 429, headers: { 'Retry-After': '5' } } } },
            ),
          ],
        });
        return;
      }
      return {
        onSubscribeResult: ({ result, setResult }) => {
          if (!(Symbol.asyncIterator in result)) return;
          open.set(key, (open.get(key) ?? 0) + 1);
          setResult(releasedAtEnd(result, () => release(key)));
        },
      };
    },
  };
}

/** Who a stream is counted against: the API key, or the view token itself; null without a caller. */
function credentialKey(caller: Caller | null | undefined, request: Request | undefined): string | null {
  if (!caller) return null;
  if (caller.kind !== 'VIEW') return `key:${caller.apiKeyId}`;
  const token = request?.headers.get('authorization') ?? '';
  return `view:${createHash('sha256').update(token).digest('base64url')}`;
}

/** `source`, calling `release` once when it ends, whichever way (done, returned, thrown). */
function releasedAtEnd<T>(source: AsyncIterable<T>, release: () => void): AsyncIterableIterator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let released = false;
  const once = () => {
    if (!released) {
      released = true;
      release();
    }
  };
  const stream: AsyncIterableIterator<T> = {
    [Symbol.asyncIterator]: () => stream,
    async next() {
      try {
        const next = await iterator.next();
        if (next.done) once();
        return next;
      } catch (error) {
        once();
        throw error;
      }
    },
    async return() {
      once();
      return (await iterator.return?.()) ?? { done: true, value: undefined };
    },
    async throw(error: unknown) {
      once();
      if (iterator.throw) return iterator.throw(error);
      throw error;
    },
  };
  return stream;
}
