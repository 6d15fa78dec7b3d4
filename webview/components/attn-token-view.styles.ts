import { css } from 'lit';
import { hostStyles } from './base.styles';

export const tokenViewStyles = [
  hostStyles,
  css`
  /* Tokens are text from the editor: its font. */
  :host {
    font-family: var(--vscode-editor-font-family, monospace);
    font-size: var(--vscode-editor-font-size, 13px);
  }
  .legend {
    display: flex;
    flex-wrap: wrap;
    gap: 4px 12px;
    margin: 0 0 6px;
    padding: 0;
    list-style: none;
    font-family: var(--vscode-font-family, sans-serif);
    font-size: 12px;
    color: var(--vscode-descriptionForeground, #9d9d9d);
  }
  .swatch {
    display: inline-block;
    width: 14px;
    height: 4px;
    margin-right: 4px;
    vertical-align: middle;
    border-radius: 2px;
  }
  .hint {
    font-family: var(--vscode-font-family, sans-serif);
    font-size: 12px;
    color: var(--vscode-descriptionForeground, #9d9d9d);
    margin: 0 0 6px;
  }
  .board {
    position: relative;
    display: grid;
    grid-template-columns: minmax(60px, 1fr) var(--gap, 200px) minmax(60px, 1fr);
    max-width: 900px;
  }
  /* Each token sits at its own row's offset, so a long column can hold only the rows on screen. */
  .col {
    position: relative;
    min-width: 0;
  }
  .col.queries .tok { right: 0; }
  .col.keys .tok { left: 0; min-width: 80px; }
  .tok {
    position: absolute;
    box-sizing: border-box;
    height: var(--row, 22px);
    line-height: calc(var(--row, 22px) - 4px);
    max-width: 100%;
    padding: 1px 6px;
    border: 1px solid transparent;
    border-radius: 3px;
    white-space: pre;
    overflow: hidden;
    text-overflow: ellipsis;
    cursor: pointer;
    outline: none;
    unicode-bidi: isolate;
  }
  .tok .text { unicode-bidi: isolate; }
  .tok:hover { background: var(--vscode-list-hoverBackground, #2a2d2e); }
  .tok:focus-visible {
    outline: 1px solid var(--vscode-focusBorder, #0078d4);
    outline-offset: -1px;
  }
  /* The selection foreground falls back to the text colour: themes without it (Light High Contrast) have a
     light selection background, where a white fallback vanishes. */
  .tok.active {
    background: var(--vscode-list-activeSelectionBackground, #04395e);
    color: var(--vscode-list-activeSelectionForeground, var(--vscode-foreground, #cccccc));
    border-color: var(--vscode-contrastActiveBorder, transparent);
    border-style: dashed;
  }
  /* Locked differs from focused in shape, not only colour: a solid double-width frame and bold text. */
  .tok.locked {
    border-color: var(--vscode-focusBorder, #0078d4);
    border-style: solid;
    box-shadow: inset 0 0 0 1px var(--vscode-focusBorder, #0078d4);
    font-weight: bold;
  }
  .tok.hidden-key {
    text-decoration: line-through;
    color: var(--vscode-descriptionForeground, #9d9d9d);
  }
  .tok.dim { color: var(--vscode-descriptionForeground, #9d9d9d); }
  .bar {
    position: absolute;
    left: 0;
    bottom: 0;
    height: 3px;
    border-radius: 2px;
    pointer-events: none;
  }
  svg.lines {
    display: block;
    width: 100%;
    pointer-events: none;
  }
  .empty {
    color: var(--vscode-descriptionForeground, #9d9d9d);
    font-family: var(--vscode-font-family, sans-serif);
  }
`,
];
