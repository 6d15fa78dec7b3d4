import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AttentionPanel } from '../../src/panel/attentionPanel';
import { api, closeAll, waitFor } from './helpers';

const uri = (name: string) => vscode.Uri.from({ scheme: 'self-attention-example', path: `/${name}` });

describe('selfAttention.openExample (the walkthrough buttons)', () => {
  afterEach(closeAll);

  it('opens a bundled example read-only from the extension, and the panel on it', async () => {
    const { panels } = await api();
    const panel = await vscode.commands.executeCommand<AttentionPanel | undefined>('selfAttention.openExample', {
      example: 'animal-it.attention.json', view: 'tokens', token: 5,
    });
    assert.ok(panel, 'a panel opened');
    const snapshot = await waitFor(() => panel.current, 'a result');
    assert.deepEqual(snapshot.result.tokens, ['The', 'animal', "didn't", 'cross', 'street', 'it', 'was', 'tired']);
    assert.equal(snapshot.source.ref.uri, uri('animal-it.attention.json').toString());
    assert.ok(panels.all().includes(panel));
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.scheme, 'self-attention-example');
    assert.ok(editor?.document.getText().includes('"tokens"'));
  });

  it('refuses every write to the examples', async () => {
    const target = uri('animal-it.attention.json');
    const before = await vscode.workspace.fs.readFile(target);
    await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(target, new Uint8Array([123, 125]))));
    await assert.rejects(Promise.resolve(vscode.workspace.fs.delete(target)));
    await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(uri('new.attention.json'), new Uint8Array([123, 125]))));
    assert.deepEqual(await vscode.workspace.fs.readFile(target), before);
  });

  it('serves only files directly inside examples/', async () => {
    await assert.rejects(Promise.resolve(vscode.workspace.fs.readFile(vscode.Uri.from({ scheme: 'self-attention-example', path: '/../package.json' }))));
    await assert.rejects(Promise.resolve(vscode.workspace.fs.readFile(vscode.Uri.from({ scheme: 'self-attention-example', path: '/sub/x.json' }))));
  });

  it('opens the binary example through the same read-only file system', async () => {
    const panel = await vscode.commands.executeCommand<AttentionPanel | undefined>('selfAttention.openExample', {
      example: 'gpt2-induction-binary.safetensors', view: 'grid',
    });
    assert.ok(panel);
    const snapshot = await waitFor(() => panel.current, 'a result from the .safetensors file', 30_000);
    assert.equal(snapshot.result.tokens.length, 37);
    assert.equal(snapshot.result.layers[0].heads.length, 12);
  });

  it('selects the sentence of a text example and visualizes it as a selection', async () => {
    const panel = await vscode.commands.executeCommand<AttentionPanel | undefined>('selfAttention.openExample', {
      example: 'animal-it.txt', view: 'matrix', token: 7,
    });
    assert.ok(panel);
    const snapshot = await waitFor(() => panel.current, 'a result');
    assert.equal(snapshot.source.kind, 'selection');
    assert.equal(snapshot.result.tokens[7], 'it');
  });

  it('shows no panel for a name outside the examples or bad arguments', async () => {
    const { panels } = await api();
    const before = panels.all().length;
    for (const args of [{ example: '../package.json' }, { example: 'missing.attention.json' }, { example: 'dilated.attention.json', view: 'heatmap' }]) {
      assert.equal(await vscode.commands.executeCommand('selfAttention.openExample', args), undefined);
    }
    assert.equal(panels.all().length, before);
  });
});
