import * as vscode from 'vscode';
import type { TokenDecorations } from '../editor/tokenDecorations';
import type { ModelService } from '../models/modelService';
import type { PersistedState, SourceRef } from '../shared/protocol';
import { isBinaryAttentionPath } from '../sources/binaryFiles';
import { BinarySource } from '../sources/binarySource';
import { FileSource } from '../sources/fileSource';
import { SelectionSource } from '../sources/selectionSource';
import { sourceKey, type AttentionSource } from '../sources/source';
import { AttentionPanel, VIEW_TYPE, panelTitle } from './attentionPanel';
import { localResourceRoots } from './html';

/** One panel per source document: visualizing the same source again reuses its panel. */
export class PanelRegistry implements vscode.WebviewPanelSerializer<PersistedState>, vscode.Disposable {
  private readonly panels = new Map<string, AttentionPanel>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly decorations: TokenDecorations,
    private readonly log: vscode.LogOutputChannel,
    private readonly models: ModelService,
  ) {}

  all(): readonly AttentionPanel[] {
    return [...this.panels.values()];
  }

  /** The selection, or the word (else the line) under the cursor when nothing is selected. */
  async visualizeSelection(): Promise<AttentionPanel | undefined> {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a file and select some text to visualize its self-attention.'));
      return undefined;
    }
    const doc = editor.document;
    let range: vscode.Range = editor.selection;
    if (editor.selection.isEmpty) {
      range = doc.getWordRangeAtPosition(editor.selection.active) ?? doc.lineAt(editor.selection.active.line).range;
    }
    if (doc.getText(range).trim() === '') {
      void vscode.window.showInformationMessage(vscode.l10n.t('Nothing to visualize here: select some text first.'));
      return undefined;
    }
    const existing = this.panels.get(sourceKey('selection', doc.uri));
    if (existing && existing.current?.source.kind === 'selection') {
      const source = new SelectionSource(doc.uri, doc, range);
      existing.setSource(source);
      existing.reveal();
      return existing;
    }
    return this.open(new SelectionSource(doc.uri, doc, range));
  }

  async visualizeFile(uri?: vscode.Uri): Promise<AttentionPanel | undefined> {
    const target = uri ?? vscode.window.activeTextEditor?.document.uri;
    if (!target) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a tensor file (*.attention.json) to visualize it.'));
      return undefined;
    }
    const existing = this.panels.get(sourceKey('file', target));
    if (existing) {
      existing.reveal();
      existing.refresh(0);
      return existing;
    }
    return this.open(await openFileSource(target));
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: PersistedState | undefined): Promise<void> {
    panel.webview.options = { enableScripts: true, localResourceRoots: localResourceRoots(this.extensionUri) };
    const source = await this.restoreSource(state?.source);
    if (!source) {
      panel.dispose();
      return;
    }
    this.track(new AttentionPanel(panel, this.extensionUri, source, this.decorations, this.log, this.models)).refresh(0);
  }

  dispose(): void {
    this.all().forEach((p) => p.release());
    this.panels.clear();
  }

  private open(source: AttentionSource): AttentionPanel {
    const panel = vscode.window.createWebviewPanel(
      VIEW_TYPE,
      panelTitle(source),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true, localResourceRoots: localResourceRoots(this.extensionUri), retainContextWhenHidden: false },
    );
    const attention = this.track(new AttentionPanel(panel, this.extensionUri, source, this.decorations, this.log, this.models));
    attention.refresh(0);
    return attention;
  }

  private track(panel: AttentionPanel): AttentionPanel {
    const key = panel.key;
    this.panels.get(key)?.dispose();
    this.panels.set(key, panel);
    panel.onDidDispose(() => {
      if (this.panels.get(key) === panel) this.panels.delete(key);
    });
    return panel;
  }

  private async restoreSource(raw: unknown): Promise<AttentionSource | undefined> {
    const ref = raw as SourceRef | undefined;
    if (!ref || typeof ref !== 'object' || typeof ref.uri !== 'string') return undefined;
    try {
      const uri = vscode.Uri.parse(ref.uri, true);
      if (ref.kind === 'file') return await openFileSource(uri);
      if (ref.kind === 'selection' && Number.isInteger(ref.start) && Number.isInteger(ref.end)) {
        const doc = await vscode.workspace.openTextDocument(uri);
        const range = new vscode.Range(doc.positionAt(ref.start), doc.positionAt(ref.end));
        return new SelectionSource(uri, doc, range);
      }
    } catch (error) {
      this.log.warn(`Could not restore a panel: ${error instanceof Error ? error.message : String(error)}`);
    }
    return undefined;
  }
}

/** A tensor file: JSON (possibly a sidecar of a binary file) or a .npy / .npz / .safetensors file. */
async function openFileSource(uri: vscode.Uri): Promise<AttentionSource> {
  return isBinaryAttentionPath(uri.path) ? new BinarySource(uri) : FileSource.open(uri);
}
