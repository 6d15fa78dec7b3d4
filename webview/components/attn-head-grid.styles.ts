import { css } from 'lit';
import { hostStyles, srOnlyStyles } from './base.styles';

export const headGridStyles = [
  hostStyles, srOnlyStyles,
  css`
  .bar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px;
    margin-bottom: 8px;
  }
  .bar .hint {
    color: var(--vscode-descriptionForeground, #9d9d9d);
  }
  vscode-single-select {
    width: 220px;
  }
  .probe {
    min-height: 1.4em;
    margin: 0 0 6px;
    color: var(--vscode-descriptionForeground, #9d9d9d);
  }
  .probe strong {
    color: var(--vscode-foreground, #cccccc);
  }
  ul.grid {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    grid-template-columns: repeat(auto-fill, var(--attn-cell, 96px));
    gap: var(--attn-gap, 4px);
  }
  ul.grid.by-layer {
    grid-template-columns: var(--attn-label, 36px) repeat(var(--attn-heads, 1), var(--attn-cell, 96px));
    padding-bottom: 4px;
  }
  li.layer-label,
  li.col-label {
    align-self: center;
    justify-self: center;
    font-size: 0.85em;
    font-weight: 600;
    color: var(--vscode-descriptionForeground, #9d9d9d);
    font-variant-numeric: tabular-nums;
  }
  li.layer-label {
    justify-self: end;
  }
  button.card {
    position: relative;
    display: flex;
    flex-direction: column;
    align-items: center;
    justify-content: center;
    gap: 3px;
    width: 100%;
    /* Cards of a row share its height (a badge or labels make one taller). */
    height: 100%;
    min-height: var(--attn-cell, 96px);
    padding: 3px;
    box-sizing: border-box;
    border: 1px solid var(--vscode-widget-border, var(--vscode-panel-border, #454545));
    border-radius: 4px;
    background: transparent;
    color: inherit;
    font: inherit;
    cursor: pointer;
  }
  .ablated-badge {
    padding: 0 4px;
    border-radius: 6px;
    font-size: 0.8em;
    border: 1px solid currentColor;
  }
  button.card:hover {
    background: var(--vscode-list-hoverBackground, #2a2d2e);
  }
  button.card[aria-pressed='true'] {
    border: 2px solid var(--vscode-focusBorder, #0078d4);
    background: var(--vscode-list-inactiveSelectionBackground, transparent);
  }
  /* An ablated head: a dashed border at every card size, selected or not, and a badge where the card shows text. */
  button.card.ablated {
    border-style: dashed;
    border-width: 2px;
  }
  button.card:focus-visible {
    outline: 2px solid var(--vscode-focusBorder, #0078d4);
    outline-offset: 1px;
  }
  canvas {
    display: block;
    image-rendering: pixelated;
  }
  .name {
    font-weight: 600;
    font-size: 0.92em;
  }
  .stats {
    display: block;
    font-size: 0.85em;
    line-height: 1.3;
    font-variant-numeric: tabular-nums;
    text-align: left;
  }
  .stats span {
    display: block;
  }
  /* Too small for the numbers (they are .sr-only then): they stay in the accessible name and show above the grid. */
  button.card.compact .name {
    font-size: 0.75em;
    font-weight: 400;
  }
  .empty {
    color: var(--vscode-descriptionForeground, #9d9d9d);
  }
  .change {
    display: block;
    font-size: 0.85em;
    font-weight: 600;
    font-variant-numeric: tabular-nums;
  }
  .labels { display: flex; flex-wrap: wrap; gap: 2px; margin-top: 2px; }
  .label {
    padding: 0 4px;
    border-radius: 6px;
    font-size: 0.8em;
    background: var(--vscode-badge-background, #616161);
    color: var(--vscode-badge-foreground, #ffffff);
  }
  .definitions { margin: 0 0 4px; padding-left: 16px; font-size: 12px; }
  .legend {
    margin: 4px 0;
    font-size: 12px;
    color: var(--vscode-descriptionForeground, #9d9d9d);
  }
`,
];
