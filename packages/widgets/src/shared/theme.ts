// Styles every widget shares: the theme's custom properties with light and dark defaults, and no
// animation for people who asked for less motion. Hosts always set `display`.
// The CSS is plain CSS in theme.css, minified at build time by Vite (?inline: the text, not a
// <link>); its text here, since the rating adopts it without Lit's CSS helpers (template-element.ts)
// and the portal widgets wrap it (portal-theme.ts).
import hostCss from './theme.css?inline';

export { hostCss };
