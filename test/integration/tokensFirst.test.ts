import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AttentionPanel } from '../../src/panel/attentionPanel';
import type { Snapshot, ToWebview } from '../../src/shared/protocol';
import { api, closeAll, waitFor } from './helpers';

/** What the panel posts to its webview, in order (the panel's own send, which runs once the webview is ready). */
function recordSent(panel: AttentionPanel): ToWebview[] {
  const sent: ToWebview[] = [];
  const target = panel as unknown as { send(message: ToWebview): void };
  const send = target.send.bind(panel);
  target.send = (message) => {
    sent.push(message);
    send(message);
  };
  return sent;
}

const snapshots = (sent: readonly ToWebview[]): Snapshot[] => sent.flatMap((m) => (m.type === 'snapshot' ? [m.snapshot] : []));

describe('Tokens first (issue 14)', () => {
  afterEach(closeAll);

  it('a large selection\'s tokens reach the webview before its result, which replaces them', async () => {
    await api();
    const words = Array.from({ length: 2000 }, (_, i) => ['the', 'cat', 'sat', 'on', 'a', 'mat'][i % 6]).join(' ');
    const doc = await vscode.workspace.openTextDocument({ content: words, language: 'plaintext' });
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(0, 0, 0, doc.lineAt(0).text.length);
    const panel = (await vscode.commands.executeCommand<AttentionPanel>('selfAttention.visualizeSelection'))!;
    const sent = recordSent(panel);
    // The webview has loaded and the first result reached it: from here on, every message goes out as posted.
    await waitFor(() => snapshots(sent).some((s) => !s.computing) && panel.current !== undefined, 'the first result reaches the webview', 60_000);
    sent.length = 0;
    panel.refresh(0);
    await waitFor(() => snapshots(sent).some((s) => !s.computing), 'the recomputed result reaches the webview', 60_000);
    const shown = snapshots(sent);
    assert.deepEqual(shown.map((s) => s.computing ?? false), [true, false], 'the tokens (computing), then the result');
    const [tokens, result] = shown;
    assert.ok(tokens.seq < result.seq);
    assert.equal(tokens.result.tokens.length, 2000);
    assert.deepEqual(tokens.result.tokens, result.result.tokens);
    assert.ok(tokens.result.layers.every((layer) => layer.heads.every((head) => head.weights.rows === 0)), 'no weights travel with the tokens');
    assert.deepEqual(tokens.source.tokenRanges, result.source.tokenRanges);
    assert.equal(panel.current, result, 'the result is the panel\'s finished snapshot');
  });
});
