import { css } from 'lit';

export const exportStyles = css`
  :host {
    display: inline-flex;
    align-items: center;
    gap: 4px;
    font-family: var(--vscode-font-family, sans-serif);
    font-size: 12px;
    color: var(--vscode-foreground, #cccccc);
  }
  .label { margin-right: 2px; }
`;
