import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, closeAll, waitFor, workspaceFile } from './helpers';

async function diagnosticsFor(uri: vscode.Uri, predicate: (d: readonly vscode.Diagnostic[]) => boolean, message: string) {
  return waitFor(() => {
    const all = vscode.languages.getDiagnostics(uri);
    return predicate(all) ? all : undefined;
  }, message, 20_000);
}

describe('Tensor files', () => {
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await closeAll();
  });

  it('visualizes an example file beside it', async () => {
    const { panels } = await api();
    const uri = workspaceFile('i-am-good.attention.json');
    await vscode.window.showTextDocument(uri);
    await vscode.commands.executeCommand('selfAttention.visualizeFile', uri);
    const panel = await waitFor(() => panels.all().find((p) => p.current?.source.kind === 'file'), 'a file panel');
    assert.deepEqual(panel.current?.result.tokens, ['I', 'am', 'good']);
    await waitFor(() => panel.panel.viewColumn === vscode.ViewColumn.Two, 'the panel sits beside the file');
  });

  it('puts a shape error and a schema error in the Problems panel at the right ranges', async () => {
    const doc = await vscode.workspace.openTextDocument(workspaceFile('broken-shapes.attention.json'));
    await vscode.window.showTextDocument(doc);
    const isShape = (d: vscode.Diagnostic) => d.source === 'self-attention' && /heads\[0\]\.wk/.test(d.message);
    const diagnostics = await diagnosticsFor(doc.uri, (d) => d.some(isShape) && d.some((x) => x.source !== 'self-attention'), 'a shape error and a schema error');
    const shape = diagnostics.find(isShape);
    assert.ok(shape);
    assert.match(shape.message, /heads\[0\]\.wk has 3 rows, but embeddings have 2 columns \(d_model = 2\)/);
    assert.equal(doc.getText(shape.range).startsWith('['), true, 'the range covers the wk matrix');
    assert.equal(shape.range.start.line, doc.getText().split('\n').findIndex((l) => l.includes('"wk"')));
    const schema = diagnostics.find((d) => d.source !== 'self-attention');
    assert.ok(schema);
    assert.equal(doc.getText(schema.range).replace(/"/g, ''), 'temperatur');
  });

  it('refreshes the view on an unsaved edit and keeps the last good view while broken', async () => {
    const { panels } = await api();
    const uri = workspaceFile('i-am-good.attention.json');
    const editor = await vscode.window.showTextDocument(uri);
    await vscode.commands.executeCommand('selfAttention.visualizeFile', uri);
    const panel = await waitFor(() => panels.all().find((p) => p.current?.source.kind === 'file'), 'a file panel');
    const before = panel.current!;
    const weightsBefore = Array.from(before.result.layers[0].heads[0].weights.data);

    const text = editor.document.getText();
    const at = text.indexOf('"embeddings"');
    const numberMatch = /-?\d+(\.\d+)?/.exec(text.slice(at));
    assert.ok(numberMatch);
    const offset = at + numberMatch.index;
    await editor.edit((b) => b.replace(new vscode.Range(editor.document.positionAt(offset), editor.document.positionAt(offset + numberMatch[0].length)), '3.5'));
    const after = await waitFor(() => panel.current !== before && panel.current, 'a new snapshot after the edit');
    assert.notDeepEqual(Array.from(after.result.layers[0].heads[0].weights.data), weightsBefore);

    await editor.edit((b) => b.insert(editor.document.positionAt(1), '!!'));
    await waitFor(() => panel.lastErrorMessage, 'an error banner');
    assert.match(panel.lastErrorMessage ?? '', /line \d+, column \d+/);
    assert.equal(panel.current, after, 'the last good result is kept');
    assert.equal(editor.document.isDirty, true, 'the extension never saves the file');
  });
});
