import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AttentionPanel } from '../../src/panel/attentionPanel';
import { isWithheld, type RasterAnswer, type RowAnswer, type SliceLayers, type ToWebview } from '../../src/shared/protocol';
import { DEFAULT_UI } from '../../src/shared/uiState';
import { api, closeAll, waitFor } from './helpers';

/** What a message carries in typed arrays (what dominates its time on code-server's channel). */
function binaryBytes(value: unknown, seen = new Set<unknown>()): number {
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (typeof value !== 'object' || value === null || seen.has(value)) return 0;
  seen.add(value);
  return Object.values(value).reduce((sum: number, v) => sum + binaryBytes(v, seen), 0);
}

/** Every message the panel posts to its webview from now on, with its bytes. */
function recordPosts(panel: AttentionPanel): { type: string; bytes: number; message: ToWebview }[] {
  const posted: { type: string; bytes: number; message: ToWebview }[] = [];
  const webview = panel.panel.webview;
  const post = webview.postMessage.bind(webview);
  Object.assign(webview, {
    postMessage: (message: ToWebview) => {
      posted.push({ type: message.type, bytes: binaryBytes(message), message });
      return post(message);
    },
  });
  return posted;
}

const MB = 1024 * 1024;

const WORDS_2000 = Array.from({ length: 2000 }, (_, i) => ['the', 'cat', 'sat', 'on', 'a', 'mat', 'while', 'dogs', 'ran'][(i * 7) % 9]);

/** Selects `words` in a new editor and visualizes them: the panel, once a result of at least `tokens` tokens is shown. */
async function visualize(words: readonly string[], tokens: number): Promise<AttentionPanel> {
  const { panels } = await api();
  const doc = await vscode.workspace.openTextDocument({ content: words.join(' '), language: 'plaintext' });
  const editor = await vscode.window.showTextDocument(doc);
  editor.selection = new vscode.Selection(0, 0, 0, doc.lineAt(0).text.length);
  await vscode.commands.executeCommand('selfAttention.visualizeSelection');
  return waitFor(() => panels.all().find((p) => (p.current?.result.tokens.length ?? 0) >= tokens), `a result of ${tokens} tokens or more`, 120_000);
}

/** Issue 14: a 2,000-token selection's matrices stay in the compute process; the webview asks for what it draws. */
describe('The webview asks for what it draws, through the panel host', () => {
  afterEach(closeAll);

  it('a 2,000-token selection: the heatmap raster and a row come on request, and no message carries more than 2 MB', async function () {
    this.timeout(180_000);
    const panel = await visualize(WORDS_2000, 2000);
    const posted = recordPosts(panel);
    const seq = panel.current!.seq;
    assert.ok(binaryBytes(panel.current) <= 2 * MB, 'the snapshot carries at most 2 MB');
    const first = panel.current!.result.layers[0].heads[0].weights;
    assert.ok(isWithheld(first), 'the snapshot withholds the weights by name');
    assert.deepEqual([first.withheld.rows, first.withheld.cols], [2000, 2000]);

    // Play the webview: the Matrix view, then the raster it draws and the row under the pointer.
    panel.onMessage({ type: 'uiState', ui: { ...DEFAULT_UI, view: 'matrix', matrix: 'weights' } });
    panel.onMessage({ type: 'raster', request: { requestId: 1_000_000, seq, layer: 0, head: 0, matrix: 'weights', rows: [0, 2000], cols: [0, 2000], outWidth: 700, outHeight: 700 } });
    panel.onMessage({ type: 'row', request: { requestId: 1_000_001, seq, layer: 0, head: 0, query: 1999 } });
    const raster = await waitFor(() => posted.find((p) => p.type === 'raster' && (p.message as { answer: RasterAnswer }).answer.requestId === 1_000_000), 'the raster answer', 60_000);
    const answer = (raster.message as { answer: RasterAnswer }).answer;
    assert.deepEqual([answer.block, answer.width, answer.height], [3, 667, 667]);
    assert.ok(answer.values.every((v) => v === -Infinity || (v >= 0 && v <= 1)), 'block maxima of weights, or masked');
    const row = await waitFor(() => posted.find((p) => p.type === 'row' && (p.message as { answer: RowAnswer }).answer.requestId === 1_000_001), 'the row answer', 60_000);
    const weights = (row.message as { answer: RowAnswer }).answer.weights;
    assert.equal(weights.length, 2000);
    assert.ok(Math.abs(weights.reduce((s, w) => s + w, 0) - 1) < 1e-4, 'the row is a softmax row');

    // A stale request (another snapshot) is refused in one sentence, not answered with data.
    panel.onMessage({ type: 'row', request: { requestId: 1_000_002, seq: seq + 99, layer: 0, head: 0, query: 0 } });
    const refused = await waitFor(() => posted.find((p) => p.type === 'row' && (p.message as { answer: { requestId: number } }).answer.requestId === 1_000_002), 'the refusal');
    assert.deepEqual(refused.message, { type: 'row', answer: { requestId: 1_000_002, seq: seq + 99, problem: 'That result is no longer on screen.' } });

    const largest = Math.max(...posted.map((p) => p.bytes));
    console.log(`data requests at 2,000 tokens: ${posted.map((p) => `${p.type} ${(p.bytes / MB).toFixed(2)} MB`).join(', ')}`);
    assert.ok(largest <= 2 * MB, `every message carries at most 2 MB (largest: ${(largest / MB).toFixed(2)} MB)`);
  });

  it('a 2,000-token selection in the pipeline view: its slice carries no n×n matrix, and its thumbnails and traced row come on request', async function () {
    this.timeout(180_000);
    const panel = await visualize(WORDS_2000, 2000);
    const posted = recordPosts(panel);
    const seq = panel.current!.seq;

    // Play the webview: the Pipeline view, focused on head 2; its slice comes.
    panel.onMessage({ type: 'uiState', ui: { ...DEFAULT_UI, view: 'pipeline', head: 2 } });
    const sliced = await waitFor(() => posted.find((p) => p.type === 'slice' && (p.message as { layers: SliceLayers }).layers[0].heads[2].q !== null), 'the pipeline view\'s slice', 60_000);
    const layer = (sliced.message as { layers: SliceLayers }).layers[0];
    const head = layer.heads[2];
    assert.ok([head.weights, head.scores, head.scaled].every((m) => isWithheld(m) && m.withheld.reason === 'on-request'), 'the focused head\'s n×n matrices are withheld on request');
    assert.ok(layer.heads.every((h) => isWithheld(h.weights)), 'no head of the layer carries its weights');
    // What travels: X, Q, K, V, Z, concat, ·W_O and the encoder's steps (d_model 64, d_k 16, feed-forward 256), W_Q, W_K, W_V.
    assert.equal(sliced.bytes, 2000 * 4 * (64 + 4 * 16 + 64 + 64 + (64 + 256 + 64 + 64)) + 3 * 64 * 16 * 4, 'the slice carries the n×d steps only (5.6 MB; 53.6 MB with the n×n matrices)');

    // The thumbnails, one after another (the host answers the newest raster request), and the traced row.
    const answers: RasterAnswer[] = [];
    for (const [k, matrix] of (['scores', 'scaled', 'weights'] as const).entries()) {
      const requestId = 2_000_000 + k;
      panel.onMessage({ type: 'raster', request: { requestId, seq, layer: 0, head: 2, matrix, rows: [0, 2000], cols: [0, 2000], outWidth: 64, outHeight: 64 } });
      const raster = await waitFor(() => posted.find((p) => p.type === 'raster' && (p.message as { answer: RasterAnswer }).answer.requestId === requestId), `the ${matrix} thumbnail`, 60_000);
      answers.push((raster.message as { answer: RasterAnswer }).answer);
    }
    assert.deepEqual(answers.map((a) => [a.matrix, a.block, a.width, a.height]), [['scores', 32, 63, 63], ['scaled', 32, 63, 63], ['weights', 32, 63, 63]]);
    panel.onMessage({ type: 'row', request: { requestId: 2_000_003, seq, layer: 0, head: 2, query: 1234 } });
    const row = await waitFor(() => posted.find((p) => p.type === 'row' && (p.message as { answer: RowAnswer }).answer.requestId === 2_000_003), 'the traced row', 60_000);
    const traced = (row.message as { answer: RowAnswer }).answer;
    assert.deepEqual([traced.weights.length, traced.scores?.length, traced.scaled?.length], [2000, 2000, 2000]);

    console.log(`pipeline view at 2,000 tokens: ${posted.map((p) => `${p.type} ${(p.bytes / MB).toFixed(2)} MB`).join(', ')}`);
    const answersLargest = Math.max(...posted.filter((p) => p.type !== 'slice').map((p) => p.bytes));
    assert.ok(answersLargest <= 2 * MB, `every answer carries at most 2 MB (largest: ${(answersLargest / MB).toFixed(2)} MB)`);
  });

  it('the CSV of a withheld matrix is written by the compute process to the file the user picks', async function () {
    this.timeout(180_000);
    // "=the" may be two tokens: the count is the tokenizer's.
    const panel = await visualize(Array.from({ length: 600 }, (_, i) => ['=the', 'cat', 'sat', 'on', 'a', 'mat'][i % 6]), 600);
    const seq = panel.current!.seq;
    const n = panel.current!.result.tokens.length;
    assert.ok(isWithheld(panel.current!.result.layers[0].heads[0].weights));

    // The save dialog answers with a file in a scratch folder (the real one needs a person).
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'sav-matrix-file-'));
    const target = path.join(folder, 'weights.csv');
    const window = vscode.window as { showSaveDialog: typeof vscode.window.showSaveDialog };
    const showSaveDialog = window.showSaveDialog;
    window.showSaveDialog = () => Promise.resolve(vscode.Uri.file(target));
    try {
      panel.onMessage({ type: 'exportMatrix', request: { seq, layer: 0, head: 0, matrix: 'weights', format: 'csv', suggestedName: 'w', hiddenTokens: [], headName: 'L0H0', source: 'sel' } });
      const text = await waitFor(() => fs.existsSync(target) && fs.statSync(target).size > 0 && fs.readFileSync(target, 'utf8').endsWith('\r\n') && fs.readFileSync(target, 'utf8'), 'the written file', 60_000);
      const lines = text.trimEnd().split('\r\n');
      assert.equal(lines.length, n + 1, 'a header and a row per token');
      assert.equal(lines[0].split(',').length, n + 1);
      assert.match(lines[1].split(',')[0], /^"'=/, 'a formula character is defused');
      for (const line of [lines[1], lines[300], lines[n]]) {
        const sum = line.split(',').slice(1).reduce((s, c) => s + Number(c), 0);
        assert.ok(Math.abs(sum - 1) < 1e-4, `a softmax row sums to 1 (${sum})`);
      }
    } finally {
      window.showSaveDialog = showSaveDialog;
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});
