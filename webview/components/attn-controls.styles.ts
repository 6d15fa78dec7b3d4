import { css } from 'lit';
import { hostStyles } from './base.styles';

export const controlsStyles = [
  hostStyles,
  css`
  .row {
    display: flex;
    flex-wrap: wrap;
    align-items: flex-end;
    gap: 8px 16px;
    margin: 4px 0;
  }
  .field {
    display: flex;
    flex-direction: column;
    gap: 2px;
    min-width: 0;
  }
  .field.inline {
    flex-direction: row;
    align-items: center;
    gap: 6px;
  }
  label, .label {
    font-size: 12px;
    color: var(--vscode-foreground, #cccccc);
  }
  vscode-single-select { width: 180px; }
  vscode-textfield { width: 90px; }
  input[type='range'] {
    width: 140px;
    accent-color: var(--vscode-button-background, #0078d4);
  }
  input[type='range']:focus-visible {
    outline: 1px solid var(--vscode-focusBorder, #0078d4);
    outline-offset: 2px;
  }
  output {
    font-variant-numeric: tabular-nums;
    min-width: 3ch;
  }
  .swatch {
    display: inline-block;
    width: 10px;
    height: 10px;
    border-radius: 2px;
    margin-right: 2px;
  }
  .overlay {
    display: flex;
    flex-wrap: wrap;
    gap: 4px 12px;
    align-items: center;
    border: none;
    margin: 0;
    padding: 0;
  }
  .overlay legend {
    float: left;
    margin-right: 8px;
    font-size: 12px;
    padding: 0;
  }
  .readonly {
    margin: 4px 0;
    color: var(--vscode-descriptionForeground, #9d9d9d);
  }
  .readonly dt { display: inline; font-weight: 600; color: var(--vscode-foreground, #cccccc); }
  .readonly dd { display: inline; margin: 0 12px 0 4px; }
  .hidden-info, .settings-note { color: var(--vscode-descriptionForeground, #9d9d9d); font-size: 12px; }
  .link-button {
    background: none;
    border: none;
    padding: 0 2px;
    font: inherit;
    color: var(--vscode-textLink-foreground, #4daafc);
    text-decoration: underline;
    cursor: pointer;
  }
  .link-button:focus-visible {
    outline: 1px solid var(--vscode-focusBorder, #0078d4);
  }
  details.computation {
    margin-top: 6px;
    border: 1px solid var(--vscode-widget-border, transparent);
    border-radius: 2px;
  }
  details.computation > summary {
    padding: 3px 6px;
    cursor: pointer;
    font-size: 11px;
    font-weight: 700;
    text-transform: uppercase;
    color: var(--vscode-foreground, #cccccc);
    background: var(--vscode-sideBarSectionHeader-background, transparent);
  }
  details.computation > summary:focus-visible {
    outline: 1px solid var(--vscode-focusBorder, #0078d4);
    outline-offset: -1px;
  }
  .settings { padding: 4px 8px 8px; }
  legend .hint {
    color: var(--vscode-descriptionForeground, #9d9d9d);
    font-weight: normal;
  }
`,
];
