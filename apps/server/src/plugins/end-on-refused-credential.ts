// A live stream (Server-Sent Events, multipart, WebSocket) is checked against its credential for
// as long as it lasts, not only when it opens: before each event is sent, the credential is
// resolved again (an API key is looked up at most every few seconds, auth/api-key-callers.ts; a
// view token is verified against the workspace's current signing secrets, at most as often), and
// at the credential's expiry the stream ends without waiting for an event. A refused stream gets one last
// result, an UNAUTHENTICATED error saying why, then ends: a client tells it from a network drop
// and asks for a new credential instead of reconnecting with the old one.
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { AuthenticationError, type Caller } from '../auth/api-key-callers.ts';
import { refusableStream } from '../auth/refusable-stream.ts';
import { SIGNING_SECRET_TTL_MS } from '../auth/signing-secrets.ts';

export interface EndOnRefusedCredentialOptions {
  /** The server's resolver of Authorization headers (throws AuthenticationError for a refused one). */
  resolveCaller: (authorization: string | null) => Caller | null | Promise<Caller | null>;
  /** The clock, in ms since the epoch (tests move it). */
  now?: () => number;
}

const refusal = (message: string) => ({
  errors: [createGraphQLError(message, { extensions: { code: 'UNAUTHENTICATED' } })],
});

export function useEndOnRefusedCredential({ resolveCaller, now = Date.now }: EndOnRefusedCredentialOptions): Plugin {
  return {
    onSubscribe: ({ args }) => {
      const context = args.contextValue as { caller?: Caller | null; request?: Request };
      const caller = context.caller;
      // Without a caller, every live field is refused before a stream exists.
      if (!caller || !context.request) return;
      const authorization = context.request.headers.get('authorization');
      const view = caller.kind === 'VIEW';
      const credential = view ? 'view token' : 'API key';
      // A view token is verified again (a signature, its customer looked up) at most as often as
      // the signing secrets are looked up again: nothing else about it can change in between, and
      // its expiry is the deadline. An API key's lookup is cached by the resolver itself.
      let verifiedAt = now();
      return {
        onSubscribeResult: ({ result, setResult }) => {
          if (!(Symbol.asyncIterator in result)) return;
          setResult(
            refusableStream(result, {
              deadline: caller.expiresAt ?? null,
              expired: () => refusal(`the ${credential} expired: open the stream again with a new one`),
              check: async () => {
                if (view && now() - verifiedAt < SIGNING_SECRET_TTL_MS) return null;
                try {
                  await resolveCaller(authorization);
                  verifiedAt = now();
                  return null;
                } catch (error) {
                  if (error instanceof AuthenticationError) return refusal(error.message);
                  // Not a refusal (the database did not answer): the stream goes on, and the
                  // credential is checked again before the next event.
                  return null;
                }
              },
              now,
            }),
          );
        },
      };
    },
  };
}
