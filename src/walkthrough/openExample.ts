import * as vscode from 'vscode';
import type { AttentionPanel } from '../panel/attentionPanel';
import type { PanelRegistry } from '../panel/panelRegistry';
import { isBinaryAttentionPath } from '../sources/binaryFiles';
import { parseExampleArgs } from './exampleArgs';
import { exampleUri } from './exampleFiles';

/**
 * Context key holding the last example a walkthrough button showed in the panel. Each walkthrough
 * step completes on `onContext:selfAttention.walkthroughExample == '<file>'`, so one button checks
 * off its own step only (an `onCommand` event would check off every step that shares the command).
 */
export const SHOWN_EXAMPLE_CONTEXT = 'selfAttention.walkthroughExample';

/**
 * `selfAttention.openExample`: opens a bundled example read-only (see ExampleFiles), then the panel
 * beside it on the requested view with the requested head and token focused. A text example has its
 * sentence selected and visualized like any selection.
 */
export async function openExample(panels: PanelRegistry, raw: unknown): Promise<AttentionPanel | undefined> {
  if (raw === undefined) {
    // From the Command Palette: pick one.
    const example = await pickExample();
    if (example === undefined) return undefined;
    raw = { example };
  }
  const parsed = parseExampleArgs(raw);
  if (!parsed.ok) {
    void vscode.window.showErrorMessage(parsed.message);
    return undefined;
  }
  const { example, isText, editorOnly, ui } = parsed.request;
  const uri = exampleUri(example);
  try {
    await vscode.workspace.fs.stat(uri);
  } catch {
    void vscode.window.showErrorMessage(vscode.l10n.t('There is no bundled example named "{0}".', example));
    return undefined;
  }
  if (!isBinaryAttentionPath(uri.path)) {
    const editor = await vscode.window.showTextDocument(uri, { viewColumn: vscode.ViewColumn.One, preview: true });
    if (isText) selectSentence(editor);
  }
  if (editorOnly) return undefined;
  const panel = isText ? await panels.visualizeSelection() : await panels.visualizeFile(uri);
  panel?.showUi(ui);
  if (panel) await vscode.commands.executeCommand('setContext', SHOWN_EXAMPLE_CONTEXT, example);
  return panel;
}

/** Selects the text without its surrounding blank space, and scrolls to it. */
function selectSentence(editor: vscode.TextEditor): void {
  const text = editor.document.getText();
  const start = text.length - text.trimStart().length;
  const end = text.trimEnd().length;
  editor.selection = new vscode.Selection(editor.document.positionAt(start), editor.document.positionAt(end));
  editor.revealRange(editor.selection);
}

/** The bundled examples, in a QuickPick. */
async function pickExample(): Promise<string | undefined> {
  const entries = await vscode.workspace.fs.readDirectory(exampleUri(''));
  const names = entries.map(([name]) => name).sort();
  return vscode.window.showQuickPick(names, { placeHolder: vscode.l10n.t('Open a bundled example, read-only') });
}
