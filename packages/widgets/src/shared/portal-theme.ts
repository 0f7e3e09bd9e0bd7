// The portal widgets' (gauge, at-risk list) styles: theme.ts for Lit, with what they add (the
// bands' colours, the live widgets' "may be out of date" line). A product page's rating carries
// none of it.
import { html, unsafeCSS } from 'lit';
import portalCss from './portal.css?inline';
import { hostCss } from './theme.ts';

// Static text of our own, never user input: unsafeCSS is safe here.
export const hostStyles = unsafeCSS(hostCss);
export const portalStyles = unsafeCSS(portalCss);

/**
 * The live widgets' "may be out of date" line: a status region always in place (empty while live),
 * so that assistive technology announces the words when they appear, and again when they go.
 */
export function staleNotice(stale: boolean, t: (key: 'stale') => string) {
  return html`<p class="stale" part="stale" role="status">${stale ? t('stale') : ''}</p>`;
}
