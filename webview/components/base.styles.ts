import { css } from 'lit';

/** The panel's text, as every component starts: VS Code's UI font and foreground. */
export const hostStyles = css`
  :host {
    display: block;
    color: var(--vscode-foreground, #cccccc);
    font-family: var(--vscode-font-family, system-ui, sans-serif);
    font-size: var(--vscode-font-size, 13px);
  }
`;

/** Read by screen readers, not shown. */
export const srOnlyStyles = css`
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;
