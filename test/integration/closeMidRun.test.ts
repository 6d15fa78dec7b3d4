// Closing a panel while its run is still computing: the run's end must not touch the closed webview.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AttentionPanel } from '../../src/panel/attentionPanel';
import { api, closeAll, waitFor } from './helpers';

describe('Closing a panel mid-run', () => {
  afterEach(closeAll);

  it('leaves no rejected promise behind when the run ends after the panel closed', async () => {
    const rejections: unknown[] = [];
    const record = (reason: unknown): void => void rejections.push(reason);
    process.on('unhandledRejection', record);
    try {
      await api();
      const words = Array.from({ length: 1500 }, (_, i) => ['the', 'cat', 'sat', 'on', 'a', 'mat'][i % 6]).join(' ');
      const doc = await vscode.workspace.openTextDocument({ content: words, language: 'plaintext' });
      const editor = await vscode.window.showTextDocument(doc);
      editor.selection = new vscode.Selection(0, 0, 0, doc.lineAt(0).text.length);
      const panel = (await vscode.commands.executeCommand<AttentionPanel>('selfAttention.visualizeSelection'))!;
      await waitFor(() => panel.current, 'the first result', 60_000);
      let closed = false;
      panel.onDidDispose(() => (closed = true));
      const sent: string[] = [];
      const target = panel as unknown as { session: { send(message: { type: string }): void } };
      const post = target.session.send;
      target.session.send = (message) => {
        sent.push(message.type);
        post(message);
      };
      panel.refresh(0);
      await waitFor(() => sent.includes('busy') && sent, 'the new run starts');
      panel.panel.dispose();
      await waitFor(() => closed, 'the panel closes');
      // The run's end (its compute process gone) comes within moments; the host reports a rejection after 1 s.
      await new Promise((resolve) => setTimeout(resolve, 2500));
      const messages = rejections.map((r) => (r instanceof Error ? r.message : String(r)));
      assert.deepEqual(messages, [], 'no unhandled rejection');
    } finally {
      process.off('unhandledRejection', record);
    }
  });
});
