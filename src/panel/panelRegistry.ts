import * as vscode from 'vscode';
import type { TokenDecorations } from '../editor/tokenDecorations';
import type { ModelService } from '../models/modelService';
import type { SourceRef } from '../shared/protocol';
import { isBinaryAttentionPath } from '../sources/binaryFiles';
import { BinarySource } from '../sources/binarySource';
import { FileSource } from '../sources/fileSource';
import { RefusedSource } from '../sources/refusedSource';
import { SelectionSource } from '../sources/selectionSource';
import { sourceKey, type AttentionSource } from '../sources/source';
import { AttentionPanel, VIEW_TYPE, panelTitle } from './attentionPanel';
import { localResourceRoots } from './html';
import { validateRestoredState } from '../shared/validateMessage';
import { MAX_BINARY_FILE_BYTES, MAX_JSON_FILE_BYTES, checkAllowed } from '../sources/workspaceFiles';

/** One panel per source document: visualizing the same source again reuses its panel. */
export class PanelRegistry implements vscode.WebviewPanelSerializer<unknown>, vscode.Disposable {
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
    const source = await openFileSource(target, true);
    if ('message' in source) {
      void vscode.window.showWarningMessage(source.message);
      return undefined;
    }
    return this.open(source);
  }

  /**
   * The saved state (a PersistedState, if the webview is honest) comes from the webview, so it is checked like any message from it, and its document is
   * reopened only if the file rules allow it. Otherwise the panel opens empty and says why.
   */
  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    panel.webview.options = { enableScripts: true, localResourceRoots: localResourceRoots(this.extensionUri) };
    const restored = validateRestoredState(state);
    const source = await this.restoreSource(restored.source);
    this.track(new AttentionPanel(panel, this.extensionUri, source, this.decorations, this.log, this.models, restored.settings)).refresh(0);
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

  private async restoreSource(ref: SourceRef | undefined): Promise<AttentionSource> {
    if (!ref) return new RefusedSource(vscode.l10n.t('This panel could not be restored: its saved state is not valid. Visualize the selection or file again.'));
    try {
      const uri = vscode.Uri.parse(ref.uri, true);
      const allowed = await restorable(uri);
      if (!allowed.ok) return new RefusedSource(vscode.l10n.t('This panel was not restored. {0}', allowed.message));
      if (ref.kind === 'file') {
        const source = await openFileSource(uri, false);
        return 'message' in source ? new RefusedSource(source.message) : source;
      }
      const doc = await vscode.workspace.openTextDocument(uri);
      const range = new vscode.Range(doc.positionAt(ref.start), doc.positionAt(ref.end));
      return new SelectionSource(uri, doc, range);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.log.warn(`Could not restore a panel: ${message}`);
      return new RefusedSource(vscode.l10n.t('This panel could not be restored: {0}', message));
    }
  }
}

/** A restored panel reopens an untitled document only while it is open, and a file only as the file rules allow. */
async function restorable(uri: vscode.Uri): Promise<{ readonly ok: true } | { readonly ok: false; readonly message: string }> {
  const name = uri.path.split('/').pop() || uri.toString();
  if (uri.scheme === 'untitled') {
    return vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString())
      ? { ok: true } : { ok: false, message: vscode.l10n.t('{0} is no longer open.', name) };
  }
  const maxBytes = isBinaryAttentionPath(uri.path) ? MAX_BINARY_FILE_BYTES : MAX_JSON_FILE_BYTES;
  const checked = await checkAllowed(uri, { what: name, maxBytes });
  return checked.ok ? { ok: true } : checked;
}

/** A tensor file: JSON (possibly a sidecar of a binary file) or a .npy / .npz / .safetensors file. */
async function openFileSource(uri: vscode.Uri, chosen: boolean): Promise<AttentionSource | { readonly message: string }> {
  return isBinaryAttentionPath(uri.path) ? new BinarySource(uri, chosen) : FileSource.open(uri, chosen);
}
