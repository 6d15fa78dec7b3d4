import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { AttentionPanel } from '../../src/panel/attentionPanel';

export const EXTENSION_ID = 'attention-lab.self-attention-visualizer';

export function workspaceFile(name: string): vscode.Uri {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  assert.ok(root, 'a workspace folder is open');
  return vscode.Uri.joinPath(root, ...name.split(path.sep));
}

export async function api(): Promise<ExtensionApi> {
  const ext = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is installed`);
  return ext.isActive ? ext.exports : await ext.activate();
}

export async function openAndSelect(name: string, text: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(workspaceFile(name));
  const editor = await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
  const start = doc.getText().indexOf(text);
  assert.ok(start >= 0, `"${text}" is in ${name}`);
  editor.selection = new vscode.Selection(doc.positionAt(start), doc.positionAt(start + text.length));
  return editor;
}

/** Waits until the condition holds, polling; fails with the message after the timeout. */
export async function waitFor<T>(probe: () => T | undefined | false, message: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out: ${message}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function closeAll(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

export function snapshotOf(panel: AttentionPanel) {
  return panel.current;
}
