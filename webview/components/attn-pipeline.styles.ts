import { css } from 'lit';
import { hostStyles } from './base.styles';

export const pipelineStyles = [
  hostStyles,
  css`
  h2,
  h3 {
    font-size: 1.05em;
    font-weight: 600;
    margin: 4px 0 8px;
  }
  .note,
  .empty {
    color: var(--vscode-descriptionForeground, #9d9d9d);
  }
  ol.steps {
    list-style: none;
    display: flex;
    flex-wrap: wrap;
    gap: 10px;
    margin: 0;
    padding: 0;
  }
  li.step {
    position: relative;
    display: flex;
    flex-direction: column;
    gap: 4px;
    width: 168px;
    padding: 8px;
    border: 1px solid var(--vscode-widget-border, var(--vscode-panel-border, #454545));
    border-radius: 4px;
    background: var(--vscode-editorWidget-background, transparent);
  }
  li.step.group-start {
    border-left: 3px solid var(--vscode-focusBorder, #0078d4);
  }
  li.step:not(:last-child)::after {
    content: '→';
    position: absolute;
    right: -10px;
    top: 10px;
    color: var(--vscode-descriptionForeground, #9d9d9d);
    font-size: 12px;
  }
  .name {
    font-weight: 600;
  }
  .shape {
    font-family: var(--vscode-editor-font-family, monospace);
    color: var(--vscode-descriptionForeground, #9d9d9d);
  }
  .thumb {
    min-height: 20px;
    display: flex;
    align-items: center;
  }
  canvas {
    display: block;
    border: 1px solid var(--vscode-widget-border, #454545);
  }
  .missing {
    font-style: italic;
    color: var(--vscode-descriptionForeground, #9d9d9d);
  }
  p.explain {
    margin: 0;
    line-height: 1.35;
  }
  .trace {
    font-family: var(--vscode-editor-font-family, monospace);
    font-size: 0.9em;
    overflow-wrap: anywhere;
    color: var(--vscode-foreground, #cccccc);
    border-top: 1px dashed var(--vscode-widget-border, #454545);
    padding-top: 3px;
  }
  section.cost {
    margin-top: 14px;
  }
  table {
    border-collapse: collapse;
    font-variant-numeric: tabular-nums;
  }
  th,
  td {
    text-align: right;
    padding: 2px 10px 2px 0;
  }
  th:first-child,
  td:first-child {
    text-align: left;
  }
  .bar {
    display: inline-block;
    height: 8px;
    min-width: 1px;
    background: var(--vscode-charts-blue, var(--vscode-focusBorder, #0078d4));
    vertical-align: middle;
  }
  .bar-cell {
    width: 140px;
    text-align: left;
  }
`,
];
