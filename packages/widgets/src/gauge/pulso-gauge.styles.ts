import { css } from 'lit';

export const gaugeStyles = css`
  :host {
    display: inline-block;
    width: var(--pulso-gauge-size, 180px);
    position: relative;
  }
  .meter {
    display: flex;
    flex-direction: column;
    align-items: center;
    border-radius: var(--_radius);
    padding: 4px;
  }
  svg {
    width: 100%;
    height: auto;
    overflow: visible;
  }
  .track {
    fill: none;
    stroke: var(--pulso-gauge-track-color, var(--_border));
    stroke-width: var(--pulso-gauge-thickness, 12);
    stroke-linecap: round;
  }
  .arc {
    fill: none;
    stroke-width: var(--pulso-gauge-thickness, 12);
    stroke-linecap: round;
    transition: stroke-dasharray var(--_duration) ease-out, stroke var(--_duration);
  }
  .band-AT_RISK { stroke: var(--_at-risk); color: var(--_at-risk); }
  .band-NEEDS_ATTENTION { stroke: var(--_needs-attention); color: var(--_needs-attention); }
  .band-HEALTHY { stroke: var(--_healthy); color: var(--_healthy); }
  .value {
    font-size: 2.2em;
    font-weight: 700;
    line-height: 1;
    margin-top: -1.3em;
    color: var(--pulso-text-color, inherit);
  }
  .band {
    font-weight: 600;
    margin-top: 0.3em;
  }
  .trend {
    color: var(--_muted);
    font-size: 0.9em;
  }
  .trend .up { color: var(--_healthy); }
  .trend .down { color: var(--_at-risk); }
  .details {
    display: none;
    position: absolute;
    z-index: 1;
    top: 100%;
    left: 50%;
    translate: -50% 4px;
    min-width: 220px;
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 8px 12px;
    box-shadow: 0 4px 12px rgb(0 0 0 / 0.15);
    text-align: left;
  }
  :host(:hover) .details,
  .meter:focus-visible + .details,
  .meter:focus + .details {
    display: block;
  }
  .details h3 {
    font-size: 0.85em;
    margin: 0.2em 0;
    color: var(--_muted);
  }
  .details ul {
    list-style: none;
    margin: 0 0 0.4em;
    padding: 0;
  }
  .details li {
    display: flex;
    justify-content: space-between;
    gap: 12px;
  }
  .status {
    color: var(--_muted);
    text-align: center;
    padding: 1em 0;
  }
  .status button {
    display: block;
    margin: 0.5em auto 0;
  }
`;
