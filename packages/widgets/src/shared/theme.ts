// Styles every widget shares: the theme's custom properties with light and dark defaults, and no
// animation for people who asked for less motion. Hosts always set `display`.
// The CSS is plain CSS in theme.css, minified at build time by Vite (?inline: the text, not a
// <link>); its text here, adopted as it is by every widget (template-element.ts).
import css from './theme.css?inline';

/**
 * The theme's text. Typed here rather than re-exported: the core (src/core.ts) exports it, so the
 * published declarations reach this module, and a consumer's type-check knows no `*.css?inline`.
 */
export const hostCss: string = css;
