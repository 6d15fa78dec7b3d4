import * as vscode from 'vscode';
import { TensorDiagnostics, isTensorDocument } from './editor/tensorDiagnostics';
import { TokenDecorations } from './editor/tokenDecorations';
import { PanelRegistry } from './panel/panelRegistry';
import { ExampleFiles } from './walkthrough/exampleFiles';
import { openExample } from './walkthrough/openExample';

export interface ExtensionApi {
  /** The open panels, for integration tests. */
  readonly panels: PanelRegistry;
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const log = vscode.window.createOutputChannel('Self-Attention', { log: true });
  const decorations = new TokenDecorations();
  const panels = new PanelRegistry(context.extensionUri, decorations, log);
  const updateTensorContext = () => {
    const doc = vscode.window.activeTextEditor?.document;
    void vscode.commands.executeCommand('setContext', 'selfAttention.activeIsTensorFile', !!doc && isTensorDocument(doc));
  };
  context.subscriptions.push(
    log,
    decorations,
    panels,
    new TensorDiagnostics(log),
    vscode.commands.registerCommand('selfAttention.visualizeSelection', () => panels.visualizeSelection()),
    vscode.commands.registerCommand('selfAttention.visualizeFile', (uri?: vscode.Uri) => panels.visualizeFile(uri)),
    ExampleFiles.register(context.extensionUri),
    vscode.commands.registerCommand('selfAttention.openExample', (args: unknown) => openExample(panels, args)),
    vscode.window.registerWebviewPanelSerializer('selfAttention.panel', panels),
    vscode.window.onDidChangeActiveTextEditor(updateTensorContext),
  );
  updateTensorContext();
  return { panels };
}

export function deactivate(): void {}
