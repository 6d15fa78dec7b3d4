// Soak in the real VS Code: 2,000 rapid unsaved edits to a visualized tensor file (some break the JSON, the next fixes it).
// At the end the panel shows exactly what the final text computes, host memory is back near the start, and closing
// the panel empties the registry and detaches it from the document.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { runJob } from '../../src/compute/job';
import { api, closeAll, waitFor, workspaceFile } from './helpers';

const EDITS = 2000;
const FILE = 'multi-head.attention.json';

function heapAfterGc(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

/** A few weights of every head, rounded, to compare a snapshot with a fresh computation. */
function sample(result: { layers: readonly { heads: readonly { weights: { data: Float32Array } }[] }[] }): number[][] {
  return result.layers.flatMap((l) => l.heads.map((h) => Array.from(h.weights.data.subarray(0, 8), (x) => Math.round(x * 1e6) / 1e6)));
}

describe('Soak: rapid edits to a visualized tensor file', function () {
  this.timeout(180_000);

  after(async () => {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === workspaceFile(FILE).toString());
    if (doc?.isDirty) {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
    await closeAll();
  });

  it(`${EDITS.toLocaleString('en')} edits, never saved: the panel ends on the final text, memory returns, closing cleans up`, async () => {
    const started = Date.now();
    const { panels } = await api();
    await closeAll();
    const uri = workspaceFile(FILE);
    const editor = await vscode.window.showTextDocument(uri, { viewColumn: vscode.ViewColumn.One });
    const doc = editor.document;
    await vscode.commands.executeCommand('selfAttention.visualizeFile', uri);
    const panel = await waitFor(() => panels.all().find((p) => p.current?.source.ref.uri === uri.toString()), 'a panel for the file');
    const first = panel.current!;
    const heap0 = heapAfterGc();

    // The number edited: the last column of the second embedding row ("0.2"). The break: a stray "!" before "tokens".
    const text0 = doc.getText();
    const row = text0.indexOf('[0, 1, 0, 0, 0.2]');
    assert.ok(row > 0, 'the embedding row is in the file');
    const offset = row + '[0, 1, 0, 0, '.length;
    const at = doc.positionAt(offset);
    const breakAt = doc.positionAt(text0.indexOf('"tokens"'));
    let current = '0.2';
    let broken = false;
    let model = text0; // what the document must hold once every edit has landed

    // One edit at a time: VS Code refuses a workspace edit made against an older version of the document, so edits cannot
    // be pipelined. Each is a WorkspaceEdit on one line, computed against the text the previous edits left.
    let errorsSeen = 0;
    for (let i = 0; i < EDITS; i++) {
      const edit = new vscode.WorkspaceEdit();
      const breakOffset = doc.offsetAt(breakAt);
      if (i % 50 === 25) {
        edit.insert(uri, breakAt, '!');
        model = model.slice(0, breakOffset) + '!' + model.slice(breakOffset);
        broken = true;
      } else if (broken) {
        edit.delete(uri, new vscode.Range(breakAt, breakAt.translate(0, 1)));
        model = model.slice(0, breakOffset) + model.slice(breakOffset + 1);
        broken = false;
      } else {
        const next = String(((i * 37) % 1000) / 100);
        edit.replace(uri, new vscode.Range(at, at.translate(0, current.length)), next);
        model = model.slice(0, offset) + next + model.slice(offset + current.length);
        current = next;
      }
      assert.equal(await vscode.workspace.applyEdit(edit), true, `edit ${i} applied`);
      if (panel.lastErrorMessage) errorsSeen++;
    }
    assert.equal(doc.getText(), model, 'every edit landed, in order');
    assert.equal(doc.getText().slice(offset, offset + current.length), current, 'the edits landed where intended');
    assert.equal(doc.isDirty, true, 'never saved');

    // The final edit made the file valid again: after the debounce, the panel shows exactly what the final text computes.
    const expected = runJob({ kind: 'file', text: doc.getText() });
    assert.ok(expected.ok, 'the final text is a valid file');
    const want = sample(expected.result);
    await waitFor(() => panel.current && JSON.stringify(sample(panel.current.result)) === JSON.stringify(want) && !panel.lastErrorMessage, 'the panel shows the final text', 20_000);
    assert.notEqual(panel.current, first);
    assert.equal(panel.lastErrorMessage, undefined);
    assert.deepEqual(panel.current!.result.tokens, expected.result.tokens);
    assert.equal(panel.current!.result.layers[0].heads.length, expected.result.layers[0].heads.length);
    console.log(`soak: ${EDITS} edits in ${((Date.now() - started) / 1000).toFixed(1)} s; error banner seen during ${errorsSeen} edits`);

    // Host memory returns near the start.
    await new Promise((r) => setTimeout(r, 500));
    const growth = heapAfterGc() - heap0;
    const bound = (globalThis as { gc?: unknown }).gc ? 10 * 1024 * 1024 : 50 * 1024 * 1024;
    console.log(`soak: heap growth ${(growth / 1024 / 1024).toFixed(1)} MB (bound ${bound / 1024 / 1024} MB, gc ${(globalThis as { gc?: unknown }).gc ? 'available' : 'not available'})`);
    assert.ok(growth < bound, `heap grew by ${(growth / 1024 / 1024).toFixed(1)} MB`);

    // Close the panel: the registry empties and the panel no longer follows the document.
    let disposed = false;
    panel.onDidDispose(() => (disposed = true));
    panel.panel.dispose();
    await waitFor(() => disposed && panels.all().length === 0, 'the registry is empty after closing the panel');
    const last = panel.current;
    await editor.edit((b) => b.replace(new vscode.Range(at, at.translate(0, current.length)), '7.5'));
    await new Promise((r) => setTimeout(r, 600)); // well past the 120 ms debounce
    assert.equal(panel.current, last, 'a closed panel recomputes nothing: its document listener is gone');
    assert.equal(panel.lastErrorMessage, undefined);

    // Revert the document.
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await waitFor(() => !vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString() && d.isDirty), 'the document is reverted');
  });
});
