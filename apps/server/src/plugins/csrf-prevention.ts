// Refuses a request a browser could send cross-site without asking first: a GET, or a form post
// (a urlencoded, multipart or text body), unless it carries a header such a request cannot carry.
// JSON bodies (`content-type: application/json`, what the widgets and GraphiQL send) are
// preflighted by browsers and always pass. yoga's own @graphql-yoga/plugin-csrf-prevention does
// the check; Pulso words the refusal, CSRF_HEADER_REQUIRED with HTTP 403, where the library throws
// a message without a code.
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { createGraphQLError, type Plugin } from 'graphql-yoga';

/**
 * Headers that prove a browser sent the request only after a CORS preflight. `Authorization` is
 * not CORS-safelisted, so a page can send it cross-site only with the preflight's consent; Pulso's
 * credentials are bearer keys and tokens only, never cookies (a credential a browser would add by
 * itself, such as cached Basic authentication, is refused before anything runs).
 */
export const CSRF_HEADERS = ['authorization', 'x-pulso-csrf', 'x-graphql-yoga-csrf'];

export interface CsrfPreventionOptions {
  /** Any one of these headers lets a simple request through. Default CSRF_HEADERS. */
  requestHeaders?: string[];
}

export function useCsrfPrevention(options: CsrfPreventionOptions = {}): Plugin {
  const { requestHeaders = CSRF_HEADERS } = options;
  const csrf = useCSRFPrevention({ requestHeaders });
  return {
    onRequestParse(payload) {
      try {
        return csrf.onRequestParse?.(payload);
      } catch {
        throw createGraphQLError(
          `a request a browser could send cross-site (a GET or a form post) must carry one of these headers: ${requestHeaders.join(', ')}; or send a JSON body with content-type: application/json`,
          { extensions: { code: 'CSRF_HEADER_REQUIRED', http: { status: 403 } } },
        );
      }
    },
  };
}
