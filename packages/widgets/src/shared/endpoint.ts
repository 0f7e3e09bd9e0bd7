// Where the widgets' requests go: the `endpoint` attribute (a server origin or its /graphql URL),
// or by default the server the script came from (chunks sit beside the entry scripts, so any of
// them resolves to the same origin).

let found: string | undefined;

/** The endpoint to use when the page gives none: the server this script was loaded from (found once). */
export function defaultEndpoint(): string {
  if (found === undefined) {
    try {
      // Resolved in the browser, not an asset of the build: @vite-ignore keeps Vite from looking for
      // a /graphql file and warning on every build.
      found = new URL(/* @vite-ignore */ '/graphql', import.meta.url).href;
    } catch {
      found = '/graphql';
    }
  }
  return found;
}

/** The GraphQL endpoint from an `endpoint` attribute: a server origin or the /graphql URL itself. */
export function graphqlUrl(endpoint: string): string {
  const trimmed = endpoint.replace(/\/+$/, '');
  return trimmed.endsWith('/graphql') ? trimmed : `${trimmed}/graphql`;
}
