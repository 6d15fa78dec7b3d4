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
  .formats { display: inline-flex; gap: 4px; }
  /* Light High Contrast defines no secondary hover colour: vscode-button then paints focus dark grey under
     dark text. Its own list hover colour reads well under the button text. */
  :host-context(.vscode-high-contrast-light) vscode-button {
    --vscode-button-secondaryHoverBackground: var(--vscode-list-hoverBackground, #e7edf3);
  }
`;
