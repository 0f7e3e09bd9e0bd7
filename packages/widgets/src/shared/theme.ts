// Styles every widget shares: the theme's custom properties with light and dark defaults, and no
// animation for people who asked for less motion. Hosts always set `display`.
import { css } from 'lit';

export const hostStyles = css`
  :host {
    display: block;
    box-sizing: border-box;
    font-family: var(--pulso-font-family, system-ui, sans-serif);
    font-size: var(--pulso-font-size, 14px);
    color: var(--pulso-text-color, #1f2328);
    --_bg: var(--pulso-background, #ffffff);
    --_muted: var(--pulso-muted-color, #59636e);
    --_border: var(--pulso-border-color, #d1d9e0);
    --_accent: var(--pulso-accent-color, #0969da);
    --_focus: var(--pulso-focus-color, #0969da);
    --_radius: var(--pulso-radius, 8px);
    --_at-risk: var(--pulso-band-at-risk-color, #cf222e);
    --_needs-attention: var(--pulso-band-needs-attention-color, #9a6700);
    --_healthy: var(--pulso-band-healthy-color, #1a7f37);
    --_duration: var(--pulso-transition-duration, 400ms);
  }
  :host([hidden]) {
    display: none;
  }
  @media (prefers-color-scheme: dark) {
    :host {
      color: var(--pulso-text-color, #f0f6fc);
      --_bg: var(--pulso-background, #0d1117);
      --_muted: var(--pulso-muted-color, #9198a1);
      --_border: var(--pulso-border-color, #3d444d);
      --_accent: var(--pulso-accent-color, #4493f8);
      --_focus: var(--pulso-focus-color, #4493f8);
      --_at-risk: var(--pulso-band-at-risk-color, #ff7b72);
      --_needs-attention: var(--pulso-band-needs-attention-color, #d29922);
      --_healthy: var(--pulso-band-healthy-color, #3fb950);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    :host {
      --_duration: 0ms;
    }
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  :focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }
  button {
    font: inherit;
    color: inherit;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;

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
