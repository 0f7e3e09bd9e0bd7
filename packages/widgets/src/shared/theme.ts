// Styles every widget shares: the theme's custom properties with light and dark defaults, and no
// animation for people who asked for less motion. Hosts always set `display`.
// The CSS is plain CSS in theme.css, minified at build time by Vite (?inline: the text, not a <link>).
import { unsafeCSS } from 'lit';
import hostCss from './theme.css?inline';

export const hostStyles = unsafeCSS(hostCss);

/** The colour variable of a band. */
export function bandColor(band: string | null | undefined): string {
  switch (band) {
    case 'AT_RISK':
      return 'var(--_at-risk)';
    case 'NEEDS_ATTENTION':
      return 'var(--_needs-attention)';
    case 'HEALTHY':
      return 'var(--_healthy)';
    default:
      return 'var(--_muted)';
  }
}

/** The endpoint to use when the page gives none: the server this script was loaded from. */
export function defaultEndpoint(): string {
  try {
    return new URL('/graphql', import.meta.url).href;
  } catch {
    return '/graphql';
  }
}
