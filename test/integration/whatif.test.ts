import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { DEFAULT_UI } from '../../src/shared/uiState';
import { api, closeAll, openAndSelect, waitFor } from './helpers';

const SENTENCE = "The animal didn't cross the street because it was too tired.";

/** The host's side of "what if": the panel plays the webview's messages and reads what it computed. */
describe('What if, through the panel host', () => {
  afterEach(closeAll);

  it('recomputes with the interventions, a token edit and rollout, names a bad one, and comes back exactly without them', async () => {
    const { panels } = await api();
    await openAndSelect('story.txt', SENTENCE);
    await vscode.commands.executeCommand('selfAttention.visualizeSelection');
    const panel = await waitFor(() => panels.all()[0]?.current && panels.all()[0], 'a panel with a result');
    panel.onMessage({ type: 'updateSettings', settings: { layers: 2 } });
    await waitFor(() => panel.current?.result.layers.length === 2, 'two layers in this panel');
    const original = panel.current!.result.layers.map((l) => l.heads.map((h) => Array.from(h.weights.data)));

    panel.onMessage({ type: 'setInterventions', interventions: [{ kind: 'ablate-head', layer: 0, head: 1 }] });
    const whatIf = await waitFor(() => panel.current?.whatIf, 'the comparison');
    assert.deepEqual(whatIf.headChange[0], [0, 0, 0, 0]);
    assert.ok(Math.max(...whatIf.headChange[1]) > 0, 'layer 1 moved');
    assert.deepEqual(whatIf.original.map((l) => l.map((m) => Array.from(m.data))), original);

    panel.onMessage({ type: 'setInterventions', interventions: [{ kind: 'ablate-head', layer: 0, head: 9 }] });
    await waitFor(() => panel.lastErrorMessage, 'the sentence for a bad one');
    assert.equal(panel.lastErrorMessage, "Intervention 0 (ablate L0H9) names head 9, but layer 0's heads are 0 to 3.");

    panel.onMessage({ type: 'setInterventions', interventions: [], tokenEdit: { kind: 'replace-token', position: 1, token: 'cat' } });
    await waitFor(() => panel.current?.result.tokens[1] === 'cat', 'the replaced token');
    assert.equal(panel.current?.whatIf?.tokenEdit?.kind, 'replace-token');

    panel.onMessage({ type: 'uiState', ui: { ...DEFAULT_UI, rollout: true } });
    await waitFor(() => panel.current?.rollout, 'the rollout');
    assert.equal('layers' in panel.current!.rollout! && panel.current!.rollout.layers.length, 2);

    panel.onMessage({ type: 'setInterventions', interventions: [] });
    await waitFor(() => panel.current && !panel.current.whatIf && panel.current.result.tokens[1] === 'animal', 'the original run');
    assert.deepEqual(panel.current!.result.layers.map((l) => l.heads.map((h) => Array.from(h.weights.data))), original);
  });
});
