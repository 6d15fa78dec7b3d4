import { css } from 'lit';
import { hostStyles } from './base.styles';

export const appStyles = [
  hostStyles,
  css`
  :host {
    box-sizing: border-box;
    padding: 8px 12px 16px;
    background: var(--vscode-editor-background, #1f1f1f);
  }
  header {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 6px 12px;
    margin-bottom: 6px;
  }
  h1 {
    font-size: 14px;
    font-weight: 600;
    margin: 0;
    overflow-wrap: anywhere;
    unicode-bidi: isolate;
  }
  .meta {
    color: var(--vscode-descriptionForeground, #9d9d9d);
    font-size: 12px;
  }
  .spacer { flex: 1; }
  .export-note {
    font-size: 12px;
    color: var(--vscode-descriptionForeground, #9d9d9d);
  }
  .busy {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    font-size: 12px;
    color: var(--vscode-descriptionForeground, #9d9d9d);
  }
  vscode-progress-ring { width: 16px; height: 16px; }
  .banner {
    margin: 6px 0;
    padding: 6px 10px;
    border-left: 3px solid var(--vscode-inputValidation-infoBorder, #1b80b2);
    background: var(--vscode-inputValidation-infoBackground, #063b49);
    color: var(--vscode-foreground, #cccccc);
    overflow-wrap: anywhere;
  }
  .banner.error {
    border-left-color: var(--vscode-inputValidation-errorBorder, #be1100);
    background: var(--vscode-inputValidation-errorBackground, #5a1d1d);
  }
  .banner.warning {
    border-left-color: var(--vscode-inputValidation-warningBorder, #b89500);
    background: var(--vscode-inputValidation-warningBackground, #352a05);
  }
  .banner p { margin: 0; }
  .rollout-option { margin: 4px 0; font-size: 12px; }
  .whatif-note { margin: 4px 0; font-size: 12px; color: var(--vscode-descriptionForeground, #9d9d9d); }
  .banner .detail { margin-top: 2px; font-family: var(--vscode-editor-font-family, monospace); font-size: 12px; }
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    align-items: flex-start;
    justify-content: space-between;
    gap: 8px;
  }
  attn-controls { flex: 1 1 420px; }
  vscode-tabs { margin-top: 8px; }
  .view { padding: 8px 0; min-height: 120px; }
  .placeholder {
    color: var(--vscode-descriptionForeground, #9d9d9d);
    padding: 24px 0;
  }
`,
];
