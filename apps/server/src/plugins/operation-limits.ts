// What the GraphQL endpoint refuses before any resolver runs: operations too deep, too wide in
// aliases or directives, too long in tokens or too costly; request bodies over a size; browser
// requests that could be cross-site forgeries; and introspection when it is turned off.
//
// Why these libraries: graphql-armor (Escape) is the maintained set of envelop plugins for these
// limits, each an ordinary validation rule (the tokens one a counting parser), with callbacks on
// refusal; the body size is Pulso's own plugin (useBodySizeLimit, below) rather than yoga's
// `maxRequestBodySize`, which pipes every body through a counting stream: measured here, that
// halved the requests per second of a small query; @graphql-yoga/plugin-csrf-prevention and
// plugin-disable-introspection are yoga's own. What Pulso adds is the refusal itself: every one
// says which limit, its value and what the request had, with an `extensions.code` a client can act
// on (the widgets never retry an error that has a code).
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { type GraphQLError, Lexer, Source, TokenKind, type ValidationContext } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';

export interface OperationLimits {
  /** Deepest nesting of fields (fragments flattened: `...F` adds no level). */
  maxDepth: number;
  /** Aliased fields in one operation (`__typename` aliases are free). */
  maxAliases: number;
  /** Lexical tokens in the document (names, punctuation, values). */
  maxTokens: number;
  /**
   * graphql-armor's cost: 1 a scalar, 2 an object, children weighted ×1.5 a level, and a list
   * field with a literal `first`/`last` multiplied by it. Variables are not seen, so a page size
   * given as a variable counts once.
   */
  maxCost: number;
  /** Directives in one operation. */
  maxDirectives: number;
  /** Bytes of a request body. */
  maxBodyBytes: number;
}

/**
 * Sized from Pulso's own operations (docs/api, the widgets, GraphiQL's default query), which
 * stay well under every one (operation-limits.test.ts proves it and prints their figures): the
 * deepest of them nests 8 levels (two Relay connections), the costliest is GraphiQL's default
 * query with its literal `first: 10` and `first: 3`. The body limit is 1 MiB (nginx's default too):
 * a `recordInteractions` batch of 1,000 interactions with every field and a 500-character comment
 * each fits; longer comments take smaller batches.
 */
export const DEFAULT_OPERATION_LIMITS: OperationLimits = {
  maxDepth: 12,
  maxAliases: 30,
  maxTokens: 2_000,
  maxCost: 20_000,
  maxDirectives: 50,
  maxBodyBytes: 1_048_576,
};

export type OperationLimitName = keyof OperationLimits;

/** The `extensions.code` of each refusal. */
export const LIMIT_CODES = {
  maxDepth: 'QUERY_TOO_DEEP',
  maxAliases: 'TOO_MANY_ALIASES',
  maxTokens: 'TOO_MANY_TOKENS',
  maxCost: 'QUERY_TOO_COSTLY',
  maxDirectives: 'TOO_MANY_DIRECTIVES',
  maxBodyBytes: 'REQUEST_TOO_LARGE',
} as const satisfies Record<OperationLimitName, string>;

const WHAT: Record<OperationLimitName, string> = {
  maxDepth: 'the operation nests fields too deep',
  maxAliases: 'the operation has too many aliases',
  maxTokens: 'the operation is too long',
  maxCost: 'the operation costs too much',
  maxDirectives: 'the operation has too many directives',
  maxBodyBytes: 'the request body is too large',
};

const UNIT: Record<OperationLimitName, string> = {
  maxDepth: 'levels',
  maxAliases: 'aliases',
  maxTokens: 'tokens',
  maxCost: 'points',
  maxDirectives: 'directives',
  maxBodyBytes: 'bytes',
};

/**
 * The error for a request over a limit: `found` is what the request had, a number or a
 * description when only a bound is known ("more than 1048576"). HTTP 413 for the body, 400 else.
 */
export function limitExceededError(limit: OperationLimitName, value: number, found: number | string) {
  const had = typeof found === 'number' ? `${found}` : found;
  return createGraphQLError(`${WHAT[limit]}: ${had} ${UNIT[limit]}, the limit is ${value}`, {
    extensions: {
      code: LIMIT_CODES[limit],
      limit: { name: limit, value, found },
      http: { status: limit === 'maxBodyBytes' ? 413 : 400 },
    },
  });
}

export interface RequestGuardOptions {
  /** Overrides of DEFAULT_OPERATION_LIMITS. */
  limits?: Partial<OperationLimits> | undefined;
  /**
   * Answer introspection (`__schema`, `__type`) — default true. Turned off, introspection is
   * refused and "Did you mean …" suggestions are removed from validation errors, which would
   * otherwise spell the schema out field by field.
   */
  introspection?: boolean | undefined;
}

export interface RequestGuards {
  /** Yoga plugins, to come before the others so that refusals cost the least. */
  plugins: Plugin[];
  limits: OperationLimits;
}

/**
 * Headers that prove a browser sent the request only after a CORS preflight. `Authorization` is
 * not CORS-safelisted, so a page can send it cross-site only with the preflight's consent; Pulso's
 * credentials are bearer keys and tokens only, never cookies (a credential a browser would add by
 * itself, such as cached Basic authentication, is refused by auth.ts before anything runs).
 */
export const CSRF_HEADERS = ['authorization', 'x-pulso-csrf', 'x-graphql-yoga-csrf'];

export function createRequestGuards({
  limits: overrides,
  introspection = true,
}: RequestGuardOptions = {}): RequestGuards {
  const limits: OperationLimits = { ...DEFAULT_OPERATION_LIMITS, ...definedOnly(overrides ?? {}) };
  const plugins: Plugin[] = [
    useCsrfPrevention(),
    useBodySizeLimit(limits.maxBodyBytes),
    useArmor(limits, introspection),
  ];
  if (!introspection) plugins.push(useDisableIntrospection(), useIntrospectionCode());
  return { plugins, limits };
}

function definedOnly<T extends object>(values: Partial<T>): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * A browser sends a "simple" request (a GET, or a form POST of a urlencoded, multipart or text
 * body) to any site without asking first: such a request must carry one of CSRF_HEADERS. JSON
 * bodies (`content-type: application/json`, what the widgets and GraphiQL send) are preflighted
 * and always pass.
 */
function useCsrfPrevention(): Plugin {
  const csrf = useCSRFPrevention({ requestHeaders: CSRF_HEADERS });
  return {
    onRequestParse(payload) {
      try {
        return csrf.onRequestParse?.(payload);
      } catch {
        // The library throws a message without a code; the refusal is worded here instead.
        throw createGraphQLError(
          `a request a browser could send cross-site (a GET or a form post) must carry one of these headers: ${CSRF_HEADERS.join(', ')}; or send a JSON body with content-type: application/json`,
          { extensions: { code: 'CSRF_HEADER_REQUIRED', http: { status: 403 } } },
        );
      }
    },
  };
}

/**
 * Refuses a request body over `maxBodyBytes` (createYoga must be given `maxRequestBodySize: false`).
 * A body with a Content-Length is judged by it alone: Node's HTTP parser hands over exactly that
 * many bytes and no more, so counting them again would only cost (yoga's own limit pipes every body
 * through a stream: about half the throughput of a small request). A body without one (chunked) is
 * counted as it arrives and refused once past the limit, so it is never buffered beyond it.
 */
function useBodySizeLimit(maxBodyBytes: number): Plugin {
  const tooLarge = (found: number | string) => {
    const error = limitExceededError('maxBodyBytes', maxBodyBytes, found);
    // Pulso answers before reading the rest of the body: closing the connection keeps a client from streaming it on.
    (error.extensions.http as { headers?: Record<string, string> }).headers = { connection: 'close' };
    return error;
  };
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      const declared = request.headers.get('content-length');
      if (declared !== null) {
        // One non-negative integer only: a list ("10, 10") is how request smuggling starts.
        if (!/^\d+$/.test(declared)) {
          throw createGraphQLError(
            `the Content-Length header must be a number of bytes, got ${JSON.stringify(declared.slice(0, 40))}`,
            {
              extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
            },
          );
        }
        if (Number(declared) > maxBodyBytes) throw tooLarge(Number(declared));
        return;
      }
      const parse = requestParser;
      if (!parse || !request.body) return;
      setRequestParser((original) => {
        let received = 0;
        // A native stream needs the native TransformStream, whatwg-node's ponyfill its own.
        const Transform = original.body instanceof ReadableStream ? TransformStream : fetchAPI.TransformStream;
        const counted = original.body!.pipeThrough(
          new Transform({
            transform(chunk: Uint8Array, controller: TransformStreamDefaultController<Uint8Array>) {
              received += chunk.byteLength;
              if (received > maxBodyBytes) controller.error(tooLarge(`more than ${maxBodyBytes}`));
              else controller.enqueue(chunk);
            },
          }),
        );
        return parse(
          new fetchAPI.Request(original.url, {
            method: original.method,
            headers: original.headers,
            signal: original.signal,
            body: counted,
            duplex: 'half',
          } as RequestInit),
        );
      });
    },
  };
}

/** The "found N" graphql-armor writes in its refusals (the value is not passed otherwise). */
function foundIn(message: string): number | string {
  const match = /found (\d+(?:\.\d+)?)/.exec(message);
  return match ? Math.ceil(Number(match[1])) : 'more than the limit';
}

class TokenLimitReached extends Error {}

/** Every token of the document, or undefined when it stops lexing (a stray character) past the limit. */
function tokensIn(source: string): number | undefined {
  try {
    const lexer = new Lexer(new Source(source));
    let count = 0;
    while (lexer.advance().kind !== TokenKind.EOF) count++;
    return count;
  } catch {
    return undefined;
  }
}

function useArmor(limits: OperationLimits, introspection: boolean): Plugin {
  // A validation rule's refusal is reported as Pulso's error; the rule itself does not throw.
  const refuse = (limit: OperationLimitName) => ({
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) =>
        context?.reportError(limitExceededError(limit, limits[limit], foundIn(error.message))),
    ],
  });
  const armor = EnvelopArmorPlugin({
    maxDepth: { n: limits.maxDepth, flattenFragments: true, ...refuse('maxDepth') },
    maxAliases: { n: limits.maxAliases, ...refuse('maxAliases') },
    maxDirectives: { n: limits.maxDirectives, ...refuse('maxDirectives') },
    costLimit: { maxCost: limits.maxCost, flattenFragments: true, ...refuse('maxCost') },
    // The counting parser stops at the first token over the limit; the total is counted below.
    maxTokens: {
      n: limits.maxTokens,
      propagateOnRejection: false,
      onReject: [
        () => {
          throw new TokenLimitReached();
        },
      ],
    },
    blockFieldSuggestion: { enabled: !introspection },
  });
  return {
    onPluginInit({ addPlugin }) {
      // An envelop plugin, typed for envelop's bare context; it uses nothing of yoga's.
      addPlugin(armor as Plugin);
    },
    onParse({ params }) {
      return ({ result, replaceParseResult }) => {
        if (result instanceof TokenLimitReached) {
          const count = tokensIn(String(params.source));
          replaceParseResult(
            limitExceededError(
              'maxTokens',
              limits.maxTokens,
              typeof count === 'number' ? count : `more than ${limits.maxTokens}`,
            ),
          );
        }
      };
    },
  };
}

/** Introspection refusals (graphql-js's NoSchemaIntrospectionCustomRule) get a code too. */
function useIntrospectionCode(): Plugin {
  return {
    onValidate() {
      return ({ valid, result }) => {
        if (valid) return;
        for (const error of result) {
          if (error.message.startsWith('GraphQL introspection has been disabled')) {
            (error.extensions as Record<string, unknown>).code = 'INTROSPECTION_DISABLED';
          }
        }
      };
    },
  };
}
