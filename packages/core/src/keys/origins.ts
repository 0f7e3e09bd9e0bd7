// The origins a publishable key may be used from. A browser sends `Origin: https://app.example.com`
// exactly (scheme, host, port), so an allowed origin is stored in that form, or it would never match.
import { ApiKeyError } from './api-key-error.ts';

/** `https://app.example.com` or `http://localhost:3000`: a scheme, a host, maybe a port; no path. */
export function normaliseOrigin(value: string, field: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new ApiKeyError(field, 'INVALID_ORIGIN', `"${value}" is not an origin such as https://app.example.com`);
  }
  if (
    (url.protocol !== 'https:' && url.protocol !== 'http:') ||
    url.origin === 'null' ||
    value.trim().replace(/\/$/, '') !== url.origin
  ) {
    throw new ApiKeyError(
      field,
      'INVALID_ORIGIN',
      `"${value}" is not an origin (scheme, host and optional port only), e.g. ${url.origin}`,
    );
  }
  return url.origin;
}
