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
  // A wildcard would be compared as written and match no browser's Origin: the key would refuse
  // every page, the one it was made for included.
  if (url.hostname.includes('*'))
    throw new ApiKeyError(
      field,
      'INVALID_ORIGIN',
      `"${value}" holds a wildcard: origins are matched exactly, so list each one (https://app.example.com, https://www.example.com)`,
    );
  // file:, data: and the like have no origin a browser sends but "null", which any sandboxed page sends too.
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin === 'null')
    throw new ApiKeyError(
      field,
      'INVALID_ORIGIN',
      `"${value}" is not an http or https origin: a key can only be limited to pages served over http(s), such as https://app.example.com`,
    );
  if (value.trim().replace(/\/$/, '') !== url.origin) {
    throw new ApiKeyError(
      field,
      'INVALID_ORIGIN',
      `"${value}" is not an origin (scheme, host and optional port only), e.g. ${url.origin}`,
    );
  }
  return url.origin;
}
