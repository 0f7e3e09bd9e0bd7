// Every refusal Pulso answers names its reason with an `extensions.code`, so a client can act on
// it without parsing words (the widgets never retry an error that has a code). Pulso's own errors
// set one where they are raised; this plugin covers what graphql-js and yoga leave bare, all found
// by the HTTP fuzzer (test/fuzz): variables that do not fit their declared type, a body whose
// content type no parser accepts (yoga answers 415 with an empty body), and a document nested so
// deep that the parser runs out of stack (yoga answered 500); and, from issue 16, a page size out of
// range (Pothos' relay plugin raises it bare) and an Accept header naming no type Pulso answers in
// (yoga answers 406 with an empty body).
import { PothosValidationError } from '@pothos/core';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import type { GraphQLError } from 'graphql';

/** `extensions.code` of a variable that does not fit its type, or of a required one left out. */
export const BAD_VARIABLE_CODE = 'BAD_USER_INPUT';
/** `extensions.code` of a body sent with a content type the endpoint does not read. */
export const UNSUPPORTED_MEDIA_TYPE_CODE = 'UNSUPPORTED_MEDIA_TYPE';
/** `extensions.code` of a document nested too deep to parse (e.g. a literal of 2,000 lists in lists). */
export const TOO_NESTED_CODE = 'OPERATION_TOO_NESTED';
/** `extensions.code` of a request that carries no GraphQL document. */
export const QUERY_MISSING_CODE = 'QUERY_MISSING';
/** `extensions.code` of a request whose Accept header names no media type Pulso answers in. */
export const NOT_ACCEPTABLE_CODE = 'NOT_ACCEPTABLE';

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
    onResultProcess({ request, result, setResult, resultProcessor, acceptableMediaTypes, setResultProcessor }) {
      if (!resultProcessor) {
        // No processor took the request's Accept: answered in JSON anyway, since only a body can
        // say which media types would have been answered.
        const offered = [...new Set(acceptableMediaTypes)].join(', ');
        const asked = (request.headers.get('accept') ?? '').slice(0, 100);
        setResultProcessor(
          (_result, fetchAPI) =>
            new fetchAPI.Response(
              JSON.stringify({
                errors: [
                  {
                    message: `the Accept header (${JSON.stringify(asked)}) names no media type this endpoint answers in: ask for one of ${offered}`,
                    extensions: { code: NOT_ACCEPTABLE_CODE },
                  },
                ],
              }),
              { status: 406, headers: { 'content-type': 'application/json; charset=utf-8', accept: offered } },
            ),
          'application/json',
        );
      }
      const missing = !Array.isArray(result) && yogaRefusal(result, 'Must provide query string.');
      if (missing) {
        // yoga's "Must provide query string." without a code, which says nothing to a client that
        // sent its JSON as a form (curl -d does unless told otherwise).
        const type = (request.headers.get('content-type') ?? 'no content-type').slice(0, 100);
        setResult({
          errors: [
            createGraphQLError(
              `${request.method === 'POST' ? `a POST sent as ${type} had no query` : 'the request had no query'}: send {"query": "…", "variables": {…}} as JSON with content-type: application/json, or a GET with ?query=`,
              // 400 whatever the Accept: a request without a document is not a GraphQL request at
              // all (GraphQL over HTTP: invalid parameters); yoga answered 200 under application/json.
              { extensions: { code: QUERY_MISSING_CODE, http: { status: 400 } } },
            ),
          ],
        });
        return;
      }
      const unreadable = !Array.isArray(result) && yogaRefusal(result, 'POST body sent invalid JSON.');
      if (unreadable) {
        // yoga puts the parser's words in extensions.originalError, an internal's name and shape.
        const original = (unreadable.extensions?.originalError ?? unreadable.originalError) as
          | { message?: unknown }
          | undefined;
        const reason = typeof original?.message === 'string' ? original.message : undefined;
        setResult({
          errors: [
            createGraphQLError(
              `the body is not valid JSON${reason ? ` (${reason.slice(0, 200)})` : ''}: send {"query": "…", "variables": {…}}`,
              { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } },
            ),
          ],
        });
        return;
      }
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
          // Pothos' argument checks (a negative `first`, a bad cursor) are the caller's mistake.
          const pothos = error instanceof PothosValidationError || error.originalError instanceof PothosValidationError;
          if (pothos && error.extensions && error.extensions.code === undefined) {
            (error.extensions as Record<string, unknown>).code = BAD_VARIABLE_CODE;
          }
        }
      }
    },
  };
}

/**
 * yoga's own refusal with this message, when it is the whole answer: a body it could not parse as
 * JSON ('POST body sent invalid JSON.'), a request without a document ('Must provide query string.').
 */
function yogaRefusal(result: unknown, message: string): GraphQLError | undefined {
  if (!result || typeof result !== 'object' || !('errors' in result) || !Array.isArray(result.errors)) return undefined;
  const [error] = result.errors as GraphQLError[];
  return result.errors.length === 1 && error?.message === message ? error : undefined;
}
