import { css } from 'lit';

export const headGridStyles = css`
  :host {
    display: block;
    color: var(--vscode-foreground, #cccccc);
    font-family: var(--vscode-font-family, system-ui, sans-serif);
    font-size: var(--vscode-font-size, 13px);
  }
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
  ul.grid {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(var(--attn-head-card, 96px), 1fr));
    gap: 6px;
  }
  ul.grid.by-layer {
    grid-template-columns: 4.5em repeat(var(--attn-heads, 1), minmax(var(--attn-head-card, 96px), 1fr));
    overflow-x: auto;
    padding-bottom: 4px;
  }
  li.layer-label {
    align-self: center;
    font-weight: 600;
    color: var(--vscode-descriptionForeground, #9d9d9d);
  }
  button.card {
    display: flex;
    flex-direction: column;
    align-items: center;
    gap: 3px;
    width: 100%;
    padding: 5px;
    border: 1px solid var(--vscode-widget-border, var(--vscode-panel-border, #454545));
    border-radius: 4px;
    background: transparent;
    color: inherit;
    font: inherit;
    cursor: pointer;
  }
  button.card:hover {
    background: var(--vscode-list-hoverBackground, #2a2d2e);
  }
  button.card[aria-pressed='true'] {
    border: 2px solid var(--vscode-focusBorder, #0078d4);
    background: var(--vscode-list-inactiveSelectionBackground, transparent);
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
  .empty {
    color: var(--vscode-descriptionForeground, #9d9d9d);
  }
`;
