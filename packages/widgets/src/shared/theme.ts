// Styles every widget shares: the theme's custom properties with light and dark defaults, and no
// animation for people who asked for less motion. Hosts always set `display`.
// The CSS is plain CSS in theme.css, minified at build time by Vite (?inline: the text, not a <link>).
// The portal widgets add portal-theme.ts (the bands' colours, the stale line).
import { unsafeCSS } from 'lit';
import hostCss from './theme.css?inline';

export const hostStyles = unsafeCSS(hostCss);
