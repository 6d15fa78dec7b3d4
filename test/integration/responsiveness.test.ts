/**
 * Issue 12 rows 1 and 10, in the real VS Code: a 438 KB *.attention.json of 32,000 objects like {"a":0,"a":0} stalled
 * the extension host's thread for 11.4 s when it opened, and again on every edit (its diagnostics were parsed there).
 * Parsing now runs in a worker, so a command round trip from this extension host still answers in under 200 ms. The
 * command is registered here, so the round trip measures the extension host's thread, not the busy renderer's.
 *
 * Under load a single round trip can be slow for reasons of its own, so each attempt measures many round trips while the
 * file opens (or is edited) and keeps the slowest; the test passes when one of three attempts stays under 200 ms. A
 * stall of the host would be in every attempt (each one re-opens or edits the file). A median would hide the stall.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { duplicateKeysFile } from '../fixtures/budgetInputs';
import { api, closeAll, waitFor, workspaceFile } from './helpers';

const LIMIT_MS = 200;

/** A command registered here, in the extension host: its round trip waits only for the host's own thread. */
const PING = 'selfAttention.test.ping';

/** The slowest of the command round trips made over `windowMs`, starting right after `trigger` is started. */
async function slowestRoundTrip(trigger: () => Thenable<unknown>, windowMs: number): Promise<number> {
  let slowest = 0;
  const started = Date.now();
  const pending = trigger();
  while (Date.now() - started < windowMs) {
    const t0 = Date.now();
    await vscode.commands.executeCommand(PING);
    slowest = Math.max(slowest, Date.now() - t0);
    await new Promise((r) => setTimeout(r, 10));
  }
  await pending;
  return slowest;
}

describe('The extension host stays responsive', () => {
  const uri = workspaceFile('duplicate-keys.attention.json');
  let ping: vscode.Disposable | undefined;

  before(async () => {
    await api();
    ping = vscode.commands.registerCommand(PING, () => true);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(duplicateKeysFile(32_000)));
  });

  after(async () => {
    ping?.dispose();
    await closeAll();
    await vscode.workspace.fs.delete(uri);
  });

  it('while the 32,000-duplicate-key file opens and is edited, command round trips answer in under 200 ms', async () => {
    const attempts: number[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      await closeAll();
      const opened = await slowestRoundTrip(() => vscode.window.showTextDocument(uri, { preview: false }), 3000);
      const editor = vscode.window.activeTextEditor;
      assert.ok(editor && editor.document.uri.toString() === uri.toString(), 'the duplicate-key file is open');
      const edited = await slowestRoundTrip(() => editor.edit((b) => b.insert(new vscode.Position(0, 1), ' ')), 3000);
      attempts.push(Math.max(opened, edited));
      if (attempts[attempt] < LIMIT_MS) break;
    }
    console.log(`responsiveness: slowest command round trip per attempt: ${attempts.join(', ')} ms`);
    assert.ok(Math.min(...attempts) < LIMIT_MS, `slowest command round trip per attempt: ${attempts.join(', ')} ms`);
    // The checks did run (in the worker): the duplicates are in the Problems panel.
    await waitFor(() => vscode.languages.getDiagnostics(uri).some((d) => d.source === 'self-attention' && /Duplicate key "a"/.test(d.message)), 'duplicate-key diagnostics');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
