import { css } from 'lit';

export const atRiskStyles = css`
  :host {
    display: block;
  }
  h2 {
    font-size: 1.1em;
    margin: 0 0 8px;
  }
  ol {
    list-style: none;
    margin: 0;
    padding: 0;
    display: flex;
    flex-direction: column;
    gap: 4px;
  }
  .customer {
    display: grid;
    grid-template-columns: 3em 1fr auto;
    align-items: center;
    gap: 2px 10px;
    width: 100%;
    text-align: left;
    cursor: pointer;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--pulso-item-background, transparent);
    padding: 6px 10px;
    transition: border-color var(--_duration);
  }
  .customer:hover {
    border-color: var(--_accent);
  }
  .score {
    grid-row: span 2;
    font-size: 1.4em;
    font-weight: 700;
    color: var(--_at-risk);
  }
  .name {
    font-weight: 600;
  }
  .trend {
    color: var(--_muted);
    white-space: nowrap;
  }
  .trend.down {
    color: var(--_at-risk);
  }
  .reason,
  .days {
    color: var(--_muted);
    font-size: 0.9em;
  }
  .more {
    margin-top: 8px;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: transparent;
    padding: 4px 10px;
    cursor: pointer;
  }
  .status {
    color: var(--_muted);
  }
`;
