import * as vscode from 'vscode';
import { ComputeClient } from './compute/computeClient';
import { TensorDiagnostics, isTensorDocument } from './editor/tensorDiagnostics';
import { TokenDecorations } from './editor/tokenDecorations';
import { ModelService } from './models/modelService';
import { PanelRegistry } from './panel/panelRegistry';
import { ExampleFiles } from './walkthrough/exampleFiles';
import { openExample } from './walkthrough/openExample';

export interface ExtensionApi {
  /** The open panels, for integration tests. */
  readonly panels: PanelRegistry;
  /** The active model, for integration tests. */
  readonly models: ModelService;
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const log = vscode.window.createOutputChannel('Self-Attention', { log: true });
  const decorations = new TokenDecorations();
  const models = new ModelService(log);
  const panels = new PanelRegistry(context.extensionUri, decorations, log, models);
  const updateTensorContext = () => {
    const doc = vscode.window.activeTextEditor?.document;
    void vscode.commands.executeCommand('setContext', 'selfAttention.activeIsTensorFile', !!doc && isTensorDocument(doc));
  };
  context.subscriptions.push(
    // The first panel then takes a compute process that has started (activation runs after start-up, not on a click).
    ComputeClient.prewarm(),
    log,
    decorations,
    panels,
    models,
    new TensorDiagnostics(log),
    vscode.commands.registerCommand('selfAttention.visualizeSelection', () => panels.visualizeSelection()),
    vscode.commands.registerCommand('selfAttention.visualizeFile', (uri?: vscode.Uri) => panels.visualizeFile(uri)),
    vscode.commands.registerCommand('selfAttention.chooseModel', () => chooseModel(models, panels)),
    ExampleFiles.register(context.extensionUri),
    vscode.commands.registerCommand('selfAttention.openExample', (args: unknown) => openExample(panels, args)),
    vscode.window.registerWebviewPanelSerializer('selfAttention.panel', panels),
    vscode.window.onDidChangeActiveTextEditor(updateTensorContext),
  );
  updateTensorContext();
  return { panels, models };
}

/** Choosing re-runs the open selection panels (the setting changed); with none open, it opens one for the selection. */
async function chooseModel(models: ModelService, panels: PanelRegistry): Promise<void> {
  if (!(await models.choose())) return;
  const selection = vscode.window.activeTextEditor?.selection;
  const open = panels.all().some((p) => p.current?.source.kind === 'selection');
  if (!open && selection && !selection.isEmpty) await panels.visualizeSelection();
}

export function deactivate(): void {}
