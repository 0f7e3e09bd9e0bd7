// The one way the widgets talk to Pulso: a GraphQL POST with a bearer credential (a publishable
// key or a view token, never a secret key). Failures are sorted by what the caller should do:
// `network` and `server` are worth retrying later, `rejected` never is (a bad token, a refused key,
// a validation error: the same request would be refused again).

export type FailureKind = 'network' | 'server' | 'rejected';

/** Error codes that say the server could not serve the request now, not that it refuses it. */
const SERVER_FAULTS = ['INTERNAL_SERVER_ERROR', 'OVER_CAPACITY', 'RATE_LIMITED'];

export class PulsoRequestError extends Error {
  override readonly name = 'PulsoRequestError';
  constructor(
    readonly kind: FailureKind,
    message: string,
    /** The first GraphQL error code, when the server sent one. */
    readonly code?: string,
  ) {
    super(message);
  }
}

export interface GraphQLRequest {
  /** The GraphQL endpoint, e.g. https://pulso.example.com/graphql. */
  endpoint: string;
  /** Sent as `Authorization: Bearer <credential>`. */
  credential: string;
  query: string;
  variables?: Record<string, unknown>;
  signal?: AbortSignal;
}

interface GraphQLErrorBody {
  message: string;
  extensions?: { code?: string };
}

/** Runs one operation and returns its `data`, or throws a PulsoRequestError. */
export async function graphql<T>({ endpoint, credential, query, variables, signal }: GraphQLRequest): Promise<T> {
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        authorization: `Bearer ${credential}`,
      },
      body: JSON.stringify({ query, variables }),
      signal: signal ?? null,
      // Credentials are in the header: cookies of the embedding page must not travel to Pulso.
      credentials: 'omit',
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new PulsoRequestError('network', 'Pulso could not be reached');
  }
  let body: { data?: T | null; errors?: GraphQLErrorBody[] } | undefined;
  try {
    body = (await response.json()) as typeof body;
  } catch {
    body = undefined;
  }
  const first = body?.errors?.[0];
  if (response.status >= 500 || response.status === 429 || response.status === 408) {
    throw new PulsoRequestError(
      'server',
      first?.message ?? `Pulso answered ${response.status}`,
      first?.extensions?.code,
    );
  }
  if (first) {
    // The server's own fault, or a refusal for now: the same request may succeed later (and a
    // rating's retry is safe, its idempotency key makes it count once). graphql-yoga answers an
    // unexpected error with 200 and the masked "Unexpected error." coded INTERNAL_SERVER_ERROR;
    // an error without any code is treated the same way. Any other code refuses the request itself.
    const code = first.extensions?.code;
    const kind: FailureKind = !code || SERVER_FAULTS.includes(code) ? 'server' : 'rejected';
    throw new PulsoRequestError(kind, first.message, code);
  }
  if (!response.ok || !body?.data) throw new PulsoRequestError('rejected', `Pulso answered ${response.status}`);
  return body.data;
}
