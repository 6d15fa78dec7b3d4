import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as vscode from 'vscode';
import type { AttentionPanel } from '../../src/panel/attentionPanel';
import { api, closeAll, waitFor } from './helpers';

/** The compute processes this extension host forked (dist/worker.js), by pid. */
function computeProcesses(): number[] {
  const out = execFileSync('ps', ['--ppid', String(process.pid), '-o', 'pid=,args='], { encoding: 'utf8' });
  return out.split('\n').filter((line) => /dist\/worker\.js/.test(line)).map((line) => Number(line.trim().split(/\s+/)[0]));
}

describe('A pre-warmed compute process (issue 14)', () => {
  afterEach(closeAll);

  it('one waits with no panel open; a new panel takes it, and another then waits', async () => {
    const { panels } = await api();
    await closeAll();
    await waitFor(() => panels.all().length === 0, 'no panel is open');
    const [waiting] = await waitFor(() => (computeProcesses().length === 1 ? computeProcesses() : undefined), 'exactly one compute process waits');
    const doc = await vscode.workspace.openTextDocument({ content: 'The cat sat on the mat.', language: 'plaintext' });
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(0, 0, 0, doc.lineAt(0).text.length);
    const panel = (await vscode.commands.executeCommand<AttentionPanel>('selfAttention.visualizeSelection'))!;
    await waitFor(() => panel.current, 'the panel has its result');
    // The panel's process is the one that waited: after its first result another is started for the next panel.
    const after = await waitFor(() => (computeProcesses().length === 2 ? computeProcesses() : undefined), 'the panel\'s process and a new waiting one');
    assert.ok(after.includes(waiting), `the panel took the waiting process ${waiting} (now ${after.join(', ')})`);
  });
});
