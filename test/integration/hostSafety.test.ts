// Host safety in the real VS Code: the file rules, a forged restore state, and panel-local settings.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { VIEW_TYPE } from '../../src/panel/attentionPanel';
import { api, closeAll, openAndSelect, waitFor, workspaceFile } from './helpers';

const made: string[] = [];

/** Creates a workspace entry for this test run; removed afterwards. */
function make(name: string, create: (file: string) => void): vscode.Uri {
  const uri = workspaceFile(name);
  fs.rmSync(uri.fsPath, { force: true });
  create(uri.fsPath);
  made.push(uri.fsPath);
  return uri;
}

describe('Host safety', () => {
  let outside: string;

  before(() => {
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'sav-outside-'));
    fs.writeFileSync(path.join(outside, 'secret.npy'), 'not for the panel');
  });
  afterEach(async () => {
    await vscode.workspace.getConfiguration('selfAttention').update('heads', undefined, vscode.ConfigurationTarget.Global);
    await closeAll();
  });
  after(() => {
    made.forEach((f) => fs.rmSync(f, { force: true }));
    fs.rmSync(outside, { recursive: true, force: true });
  });

  async function errorOf(uri: vscode.Uri): Promise<string> {
    const { panels } = await api();
    await vscode.commands.executeCommand('selfAttention.visualizeFile', uri);
    const panel = await waitFor(() => panels.all().find((p) => p.key.endsWith(path.basename(uri.fsPath)) && p.lastErrorMessage), `an error for ${uri.fsPath}`, 30_000);
    return panel.lastErrorMessage ?? '';
  }

  it('refuses a binary file that is a symlink out of the workspace, and a sidecar naming one', async () => {
    const link = make('secret-link.npy', (f) => fs.symlinkSync(path.join(outside, 'secret.npy'), f));
    assert.match(await errorOf(link), /secret-link\.npy was not read: its real path is .*secret\.npy, outside the workspace folder/);
    const sidecar = make('secret-link.attention.json', (f) => fs.writeFileSync(f, JSON.stringify({ tokens: ['a'], attention_file: 'secret-link.npy' })));
    assert.match(await errorOf(sidecar), /attention_file "secret-link\.npy" was not read: its real path is .*outside the workspace folder/);
  });

  it('refuses /dev/zero and a FIFO by their type, without reading them', async () => {
    const zero = make('zero.npy', (f) => fs.symlinkSync('/dev/zero', f));
    assert.match(await errorOf(zero), /zero\.npy was not read: its real path is \/dev\/zero, outside the workspace folder/);
    const fifo = make('pipe.npy', (f) => execFileSync('mkfifo', [f]));
    assert.match(await errorOf(fifo), /pipe\.npy was not read: it is not a regular file/);
    // The host's file I/O still answers.
    assert.ok((await vscode.workspace.fs.stat(workspaceFile('story.txt'))).size > 0);
  });

  it('restores a panel whose saved state names a file outside the workspace empty, with a message, opening nothing', async () => {
    const { panels } = await api();
    const forged = [
      { source: { kind: 'selection', uri: 'file:///etc/passwd', start: 0, end: 200 } },
      { source: { kind: 'file', uri: vscode.Uri.file(path.join(outside, 'secret.npy')).toString() } },
      { source: 'file:///etc/passwd' },
    ];
    for (const state of forged) {
      const webview = vscode.window.createWebviewPanel(VIEW_TYPE, 'restored', vscode.ViewColumn.Two, { enableScripts: true });
      await panels.deserializeWebviewPanel(webview, state);
      const panel = await waitFor(() => panels.all().find((p) => p.panel === webview && p.lastErrorMessage), 'the restored panel says why it is empty');
      assert.match(panel.lastErrorMessage ?? '', /This panel (was not restored\. .* outside the workspace folder|could not be restored: its saved state is not valid)/);
      assert.equal(panel.current, undefined, 'nothing was computed');
    }
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.fsPath === '/etc/passwd'), '/etc/passwd was never opened');
  });

  it('restores a panel inside the workspace with its own settings, once they pass validation', async () => {
    const { panels } = await api();
    const uri = workspaceFile('story.txt').toString();
    const text = 'How are you doing?';
    const start = (await vscode.workspace.openTextDocument(workspaceFile('story.txt'))).getText().indexOf(text);
    for (const [settings, heads] of [[{ heads: 2 }, 2], [{ heads: 99 }, 4]] as const) {
      const webview = vscode.window.createWebviewPanel(VIEW_TYPE, 'restored', vscode.ViewColumn.Two, { enableScripts: true });
      await panels.deserializeWebviewPanel(webview, { source: { kind: 'selection', uri, start, end: start + text.length }, settings });
      const panel = await waitFor(() => panels.all().find((p) => p.panel === webview && p.current), 'the restored panel computes');
      assert.deepEqual(panel.current?.result.tokens, ['How', 'are', 'you', 'doing', '?']);
      assert.equal(panel.current?.result.layers[0].heads.length, heads);
      panel.dispose();
    }
  });

  it('a control changes only its own panel, and no settings file', async () => {
    const { panels } = await api();
    await openAndSelect('story.txt', 'How are you doing?');
    await vscode.commands.executeCommand('selfAttention.visualizeSelection');
    const first = await waitFor(() => panels.all().find((p) => p.current), 'the first panel');
    const doc = await vscode.workspace.openTextDocument({ content: 'one two three four', language: 'plaintext' });
    const editor = await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
    editor.selection = new vscode.Selection(0, 0, 0, doc.lineAt(0).text.length);
    await vscode.commands.executeCommand('selfAttention.visualizeSelection');
    const second = await waitFor(() => panels.all().find((p) => p !== first && p.current), 'the second panel');

    first.onMessage({ type: 'updateSettings', settings: { heads: 2 } });
    await waitFor(() => first.current?.result.layers[0].heads.length === 2, 'the first panel computes with 2 heads');
    assert.deepEqual(first.current?.panelSettings, { heads: 2 });
    second.refresh(0);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(second.current?.result.layers[0].heads.length, 4, 'the other panel keeps 4 heads');
    const heads = vscode.workspace.getConfiguration('selfAttention').inspect('heads');
    assert.equal(heads?.globalValue, undefined, 'the user settings are untouched');
    assert.equal(heads?.workspaceValue, undefined, 'the workspace settings are untouched');

    // Back to the user's value: the panel follows the user's settings again.
    first.onMessage({ type: 'updateSettings', settings: { heads: 4 } });
    await waitFor(() => first.current?.result.layers[0].heads.length === 4, 'back to 4 heads');
    assert.deepEqual(first.current?.panelSettings, {});
  });
});
