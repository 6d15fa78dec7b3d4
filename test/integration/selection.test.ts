import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, closeAll, openAndSelect, waitFor } from './helpers';

const SENTENCE = "The animal didn't cross the street because it was too tired.";

describe('Visualize Self-Attention on a selection', () => {
  afterEach(async () => {
    await vscode.workspace.getConfiguration('selfAttention').update('heads', undefined, vscode.ConfigurationTarget.Global);
    await closeAll();
  });

  it('contributes the command to the editor context menu only with a selection', async () => {
    const ext = vscode.extensions.all.find((e) => e.packageJSON.name === 'self-attention-visualizer');
    assert.ok(ext);
    const menu = ext.packageJSON.contributes.menus['editor/context'];
    assert.deepEqual(menu.map((m: { command: string; when: string }) => [m.command, m.when]), [['selfAttention.visualizeSelection', 'editorHasSelection']]);
    const palette = ext.packageJSON.contributes.menus.commandPalette.find((m: { command: string }) => m.command === 'selfAttention.visualizeSelection');
    assert.equal(palette.when, 'editorHasSelection');
  });

  it('opens one panel beside the editor with the tokens, and reuses it', async () => {
    const { panels } = await api();
    const editor = await openAndSelect('story.txt', SENTENCE);
    await vscode.commands.executeCommand('selfAttention.visualizeSelection');
    const panel = await waitFor(() => panels.all()[0]?.current && panels.all()[0], 'a panel with a result');
    assert.deepEqual(panel.current?.result.tokens, ['The', 'animal', "didn't", 'cross', 'the', 'street', 'because', 'it', 'was', 'too', 'tired', '.']);
    await waitFor(() => panel.panel.viewColumn === vscode.ViewColumn.Two, 'the panel sits beside the editor');
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), editor.document.uri.toString(), 'focus stays in the editor');
    assert.match(panel.panel.title, /story\.txt:1/);

    await openAndSelect('story.txt', 'How are you doing?');
    await vscode.commands.executeCommand('selfAttention.visualizeSelection');
    await waitFor(() => panel.current?.result.tokens.length === 5, 'the same panel shows the new selection');
    assert.equal(panels.all().length, 1);
  });

  it('recomputes when settings change', async () => {
    const { panels } = await api();
    await openAndSelect('story.txt', 'How are you doing?');
    await vscode.commands.executeCommand('selfAttention.visualizeSelection');
    const panel = await waitFor(() => panels.all()[0]?.current && panels.all()[0], 'a result');
    assert.equal(panel.current?.result.layers[0].heads.length, 4);
    await vscode.workspace.getConfiguration('selfAttention').update('heads', 2, vscode.ConfigurationTarget.Global);
    await waitFor(() => panel.current?.result.layers[0].heads.length === 2, 'two heads after the setting changed');
  });

  it('follows edits of the selected text', async () => {
    const { panels } = await api();
    const editor = await openAndSelect('story.txt', 'How are you doing?');
    await vscode.commands.executeCommand('selfAttention.visualizeSelection');
    const panel = await waitFor(() => panels.all()[0]?.current && panels.all()[0], 'a result');
    const at = editor.document.getText().indexOf('doing');
    await editor.edit((b) => b.insert(editor.document.positionAt(at), 'really '));
    await waitFor(() => panel.current?.result.tokens.includes('really'), 'the edited word appears');
    await vscode.commands.executeCommand('undo');
  });

  it('refuses a 5,000-token selection with the count and the limit', async () => {
    const { panels } = await api();
    const doc = await vscode.workspace.openTextDocument({ content: 'word '.repeat(5000), language: 'plaintext' });
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(0, 0, 0, doc.lineAt(0).text.length);
    await vscode.commands.executeCommand('selfAttention.visualizeSelection');
    const panel = await waitFor(() => panels.all().find((p) => p.lastErrorMessage), 'a limit message');
    assert.match(panel.lastErrorMessage ?? '', /5,000 tokens, more than the limit of 4,096/);
  });
});
