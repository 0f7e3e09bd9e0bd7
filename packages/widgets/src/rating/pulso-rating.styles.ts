import { css } from 'lit';

export const ratingStyles = css`
  :host {
    display: block;
  }
  .rating {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px 12px;
  }
  .question {
    font-weight: 600;
  }
  .options {
    display: inline-flex;
    gap: 6px;
  }
  .option {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    cursor: pointer;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--pulso-option-background, transparent);
    padding: 6px 10px;
    transition: background-color var(--_duration), border-color var(--_duration);
  }
  .option:hover {
    border-color: var(--_accent);
  }
  .option[aria-checked='true'] {
    border-color: var(--_accent);
    background: var(--pulso-option-selected-background, color-mix(in srgb, var(--_accent) 15%, transparent));
  }
  .option[disabled] {
    cursor: default;
  }
  .icon {
    font-size: 1.2em;
    line-height: 1;
  }
  form {
    display: flex;
    flex-direction: column;
    gap: 6px;
    width: 100%;
  }
  textarea {
    font: inherit;
    color: inherit;
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 6px;
    min-height: 4em;
    resize: vertical;
  }
  .actions {
    display: flex;
    gap: 6px;
  }
  .actions button {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: transparent;
    padding: 4px 10px;
    cursor: pointer;
  }
  .actions button[type='submit'] {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--pulso-accent-text-color, #ffffff);
  }
  .message {
    color: var(--_muted);
  }
`;
