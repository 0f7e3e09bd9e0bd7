// Every refusal Pulso answers names its reason with an `extensions.code`, so a client can act on
// it without parsing words (the widgets never retry an error that has a code). Pulso's own errors
// set one where they are raised; this plugin covers what graphql-js and yoga leave bare, all found
// by the HTTP fuzzer (test/fuzz): variables that do not fit their declared type, a body whose
// content type no parser accepts (yoga answers 415 with an empty body), and a document nested so
// deep that the parser runs out of stack (yoga answered 500).
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import type { GraphQLError } from 'graphql';

/** `extensions.code` of a variable that does not fit its type, or of a required one left out. */
export const BAD_VARIABLE_CODE = 'BAD_USER_INPUT';
/** `extensions.code` of a body sent with a content type the endpoint does not read. */
export const UNSUPPORTED_MEDIA_TYPE_CODE = 'UNSUPPORTED_MEDIA_TYPE';
/** `extensions.code` of a document nested too deep to parse (e.g. a literal of 2,000 lists in lists). */
export const TOO_NESTED_CODE = 'OPERATION_TOO_NESTED';

export function useErrorCodes(): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser }) {
      // Yoga's own parsers run first: none matched this request.
      if (requestParser) return;
      setRequestParser(() => {
        const type = request.headers.get('content-type');
        throw createGraphQLError(
          `${type ? `a body of content-type ${JSON.stringify(type.slice(0, 100))}` : 'a body without a content-type'} cannot be read: send JSON with content-type: application/json (or a GET with query parameters)`,
          { extensions: { code: UNSUPPORTED_MEDIA_TYPE_CODE, http: { status: 415 } } },
        );
      });
    },
    onParse() {
      return ({ result, replaceParseResult }) => {
        // graphql-js parses recursively, and so does graphql-armor's token counter when it raises
        // its refusal: deep enough nesting overflows the stack before any limit can answer.
        if (result instanceof RangeError) {
          replaceParseResult(
            createGraphQLError('the operation nests lists, objects or selections too deep to be read', {
              extensions: { code: TOO_NESTED_CODE },
            }),
          );
        }
      };
    },
    onResultProcess({ result }) {
      for (const single of Array.isArray(result) ? result : [result]) {
        if (!single || typeof single !== 'object' || !('errors' in single) || !Array.isArray(single.errors)) continue;
        for (const error of single.errors as GraphQLError[]) {
          // Coercion of variables happens before any resolver: its errors have no path and no code
          // (graphql-js stops after 50 of them with one more error saying so).
          const variables =
            error.message.startsWith('Variable "$') || error.message.startsWith('Too many errors processing variables');
          if (variables && !error.path && error.extensions && error.extensions.code === undefined) {
            (error.extensions as Record<string, unknown>).code = BAD_VARIABLE_CODE;
          }
        }
      }
    },
  };
}
