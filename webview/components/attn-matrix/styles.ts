import { css } from 'lit';
import { hostStyles, srOnlyStyles } from '../base.styles';

export const matrixStyles = [
  hostStyles, srOnlyStyles,
  css`
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px;
    margin-bottom: 6px;
  }
  .title {
    font-weight: 600;
    margin-right: auto;
  }
  .note {
    color: var(--vscode-descriptionForeground, #9d9d9d);
    margin: 0 0 6px;
  }
  button {
    min-width: 26px;
    height: 24px;
    padding: 0 6px;
    border: 1px solid var(--vscode-button-border, transparent);
    border-radius: 2px;
    background: var(--vscode-button-secondaryBackground, #313131);
    color: var(--vscode-button-secondaryForeground, #cccccc);
    font: inherit;
    cursor: pointer;
  }
  button:hover {
    background: var(--vscode-button-secondaryHoverBackground, var(--vscode-list-hoverBackground, #3c3c3c));
  }
  button:focus-visible,
  .viewport:focus-visible {
    outline: 2px solid var(--vscode-focusBorder, #0078d4);
    outline-offset: 2px;
  }
  .legend {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 6px 12px;
    margin: 6px 0;
    font-size: 0.92em;
  }
  .ramp {
    display: inline-flex;
    align-items: center;
    gap: 4px;
  }
  .bar {
    display: inline-block;
    width: 140px;
    height: 10px;
    border: 1px solid var(--vscode-widget-border, #454545);
  }
  .swatch {
    display: inline-block;
    width: 14px;
    height: 10px;
    border: 1px solid var(--vscode-widget-border, #454545);
    background-color: rgb(128, 128, 128);
    background-image: repeating-linear-gradient(45deg, rgba(40, 40, 40, 0.55) 0 2px, transparent 2px 5px);
  }
  .viewport {
    position: relative;
    display: inline-block;
    max-width: 100%;
    touch-action: none;
    cursor: crosshair;
    border-radius: 2px;
  }
  .viewport.panning {
    cursor: grabbing;
  }
  canvas {
    display: block;
  }
  canvas.overlay {
    position: absolute;
    left: 0;
    top: 0;
    pointer-events: none;
  }
  /* In the top layer (popover), so no ancestor clips it; placed by placePopup with a translate, so its width
     is measured against the whole viewport and never squeezed into the space right of the cell. */
  .tooltip {
    position: fixed;
    inset: 0 auto auto 0;
    margin: 0;
    box-sizing: border-box;
    width: max-content;
    min-width: min(20rem, calc(100vw - 8px));
    max-width: min(460px, calc(100vw - 8px));
    max-height: calc(100vh - 8px);
    overflow: hidden;
    padding: 6px 8px;
    pointer-events: none;
    background: var(--vscode-editorHoverWidget-background, var(--vscode-editorWidget-background, #202020));
    color: var(--vscode-editorHoverWidget-foreground, var(--vscode-foreground, #cccccc));
    border: 1px solid var(--vscode-editorHoverWidget-border, var(--vscode-widget-border, #454545));
    border-radius: 3px;
    box-shadow: 0 2px 8px var(--vscode-widget-shadow, rgba(0, 0, 0, 0.36));
    font-size: 0.92em;
    line-height: 1.4;
  }
  .tooltip .head {
    font-weight: 600;
    margin-bottom: 2px;
  }
  .tooltip .line {
    display: grid;
    grid-template-columns: 7.5em 1fr;
    gap: 6px;
  }
  .tooltip .label {
    color: var(--vscode-descriptionForeground, #9d9d9d);
  }
  .tooltip .text {
    font-family: var(--vscode-editor-font-family, monospace);
    overflow-wrap: break-word;
  }
  /* A narrow panel: each label above its expression, so the numbers get the full width. */
  @media (max-width: 420px) {
    .tooltip .line {
      grid-template-columns: 1fr;
      gap: 0;
      margin-bottom: 2px;
    }
  }
  .empty {
    color: var(--vscode-descriptionForeground, #9d9d9d);
    padding: 12px 0;
  }
`,
];
