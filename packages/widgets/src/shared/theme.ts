// Styles every widget shares: the theme's custom properties with light and dark defaults, and no
// animation for people who asked for less motion. Hosts always set `display`.
// The CSS is plain CSS in theme.css, minified at build time by Vite (?inline: the text, not a <link>).
import { html, unsafeCSS } from 'lit';
import type { MessageKey } from './messages.ts';
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

/**
 * The live widgets' "may be out of date" line: a status region always in place (empty while live),
 * so that assistive technology announces the words when they appear, and again when they go.
 */
export function staleNotice(stale: boolean, t: (key: MessageKey) => string) {
  return html`<p class="stale" part="stale" role="status">${stale ? t('stale') : ''}</p>`;
}
