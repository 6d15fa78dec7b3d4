import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, closeAll, openAndSelect, waitFor } from './helpers';

/** Short enough for the tiny checkpoint's 32 positions. */
const SENTENCE = 'How are you doing?';
/** The tiny GPT-2 checkpoint (out/test/integration → test/fixtures/models). */
const TINY_GPT2 = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'models', 'gpt2');

async function setModel(value: string | undefined): Promise<void> {
  await vscode.workspace.getConfiguration('selfAttention').update('model', value, vscode.ConfigurationTarget.Global);
}

describe('Selections through a real model folder (selfAttention.model)', () => {
  let scratch: string;
  before(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sav-model-'));
  });
  afterEach(async () => {
    await setModel(undefined);
    await closeAll();
  });
  after(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it('re-runs an open panel through the model when the setting names it, with L0H0 heads and next tokens', async () => {
    const { panels, models } = await api();
    await openAndSelect('story.txt', SENTENCE);
    await vscode.commands.executeCommand('selfAttention.visualizeSelection');
    const panel = await waitFor(() => panels.all()[0]?.current && panels.all()[0], 'a panel with random weights');
    assert.equal(panel.current?.result.provenance.kind, 'random');
    await setModel(TINY_GPT2);
    assert.deepEqual(models.choice(), { kind: 'folder', folder: TINY_GPT2 });
    const snapshot = await waitFor(() => panel.current?.result.provenance.kind === 'model' && panel.current, 'a model result', 60_000);
    assert.match(snapshot.result.provenance.description, /^GPT-2 \(\d+K\) from .*gpt2: learned weights \(F32\)\.$/);
    assert.deepEqual(snapshot.result.layers.map((l) => l.heads.map((h) => h.name)), [['L0H0', 'L0H1'], ['L1H0', 'L1H1']]);
    assert.equal(snapshot.nextTokens?.top.length, 10);
    assert.equal(snapshot.nextTokens?.position, snapshot.result.tokens.length - 1);
    assert.equal(snapshot.source.tokenRanges?.length, snapshot.result.tokens.length, 'every token has its range for editor sync');
    assert.equal(snapshot.settings, undefined, 'the random model\'s settings are not offered for a real model');
  });

  it('a broken folder shows the core’s message and keeps the last good view', async () => {
    const { panels } = await api();
    fs.cpSync(TINY_GPT2, path.join(scratch, 'good'), { recursive: true });
    fs.cpSync(TINY_GPT2, path.join(scratch, 'unknown'), { recursive: true });
    const config = path.join(scratch, 'unknown', 'config.json');
    fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace('"model_type": "gpt2"', '"model_type": "mamba"'));
    await setModel(path.join(scratch, 'good'));
    await openAndSelect('story.txt', SENTENCE);
    await vscode.commands.executeCommand('selfAttention.visualizeSelection');
    const panel = await waitFor(() => panels.all()[0]?.current?.result.provenance.kind === 'model' && panels.all()[0], 'a model result', 60_000);
    const good = panel.current;
    await setModel(path.join(scratch, 'unknown'));
    await waitFor(() => /mamba/.test(panel.lastErrorMessage ?? ''), 'the unknown model_type is named', 60_000);
    assert.equal(panel.current, good, 'the last good view is kept');
    await setModel(path.join(scratch, 'missing'));
    await waitFor(() => /missing: The folder has no config\.json/.test(panel.lastErrorMessage ?? ''), 'a folder without config.json is named', 60_000);
  });
});
