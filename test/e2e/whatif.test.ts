import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator, Locator } from 'playwright-core';
import { assertEventually, openFile, openWorkbench, runContextMenuItem, shot, SHOTS, webview, type Session } from './workbench';

const SENTENCE = "The animal didn't cross the street because it was too tired.";
/** The README's picture of this feature: copied from the run's screenshot. */
const README_IMAGE = path.resolve('docs', 'images', 'vscode-whatif.png');

/** What the head grid shows of every head: statistics and, in a "what if" run, how far it moved. */
async function cardTexts(view: FrameLocator): Promise<string[]> {
  return view.locator('attn-head-grid button.card').evaluateAll((cards) => cards.map((c) => `${(c as HTMLElement).dataset.layer}/${(c as HTMLElement).dataset.head} ${c.textContent?.replace(/\s+/g, ' ').trim()}`));
}

/** Every head's weights in the snapshot on screen, as plain numbers. */
async function weights(view: FrameLocator): Promise<number[][][]> {
  return view.locator('attn-app').evaluate((el) => {
    const app = el as HTMLElement & { snapshot: { result: { layers: { heads: { weights: { data: Float32Array } }[] }[] } } };
    return app.snapshot.result.layers.map((layer) => layer.heads.map((h) => Array.from(h.weights.data)));
  });
}

/** Whether the element is what a person sees at its centre (not covered, not scrolled away). */
async function hitVisible(el: Locator): Promise<boolean> {
  await el.scrollIntoViewIfNeeded();
  return el.evaluate((node) => {
    const r = node.getBoundingClientRect();
    let hit: Element | null = (node.getRootNode() as Document | ShadowRoot).elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    while (hit && hit !== node && !node.contains(hit)) hit = hit.parentElement;
    return r.width > 0 && hit !== null;
  });
}

describe('What if, in the real VS Code', function () {
  let session: Session;

  before(async () => {
    session = await openWorkbench();
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await shot(session.page, `failed-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });
  after(async () => {
    await session?.close();
  });

  it('ablates a head from its card in two clicks, shows the difference downstream, and removing the chip brings the original back', async () => {
    const { page } = session;
    const editor = await openFile(page, 'story.txt');
    await runContextMenuItem(page, editor, SENTENCE);
    const view = webview(page);
    const meta = view.locator('attn-app header .meta');
    await meta.filter({ hasText: '4 heads' }).waitFor({ timeout: 60_000 });

    // Two layers, in this panel only, so that a head of layer 0 has a layer downstream.
    await view.locator('details.computation > summary').first().click();
    const layers = view.locator('vscode-textfield#f-layers input');
    await layers.fill('2');
    await layers.press('Enter');
    await meta.filter({ hasText: '2 layers' }).waitFor({ timeout: 30_000 });
    await view.locator('details.computation > summary').first().click();

    await view.locator('vscode-tab-header[data-view="grid"]').click();
    const card = (l: number, h: number) => view.locator(`attn-head-grid button.card[data-layer="${l}"][data-head="${h}"]`);
    await card(1, 3).waitFor({ timeout: 30_000 });
    const originalCards = await cardTexts(view);
    const originalWeights = await weights(view);

    // Click 1: right-click the card. Click 2: the menu item.
    await card(0, 1).click({ button: 'right' });
    await view.getByRole('menuitem', { name: 'Ablate head L0H1' }).click();

    const chip = view.locator('attn-whatif-bar .chip', { hasText: 'ablate L0H1' });
    await chip.waitFor({ timeout: 30_000 });
    const difference = view.locator('attn-whatif-bar [role="radio"][data-mode="difference"]');
    await assertEventually(async () => (await difference.getAttribute('aria-checked')) === 'true', 'the difference is chosen', 30_000);
    // The final state: every card has its Δ, and some head of layer 1 moved.
    const moved = view.locator('attn-head-grid button.card[data-layer="1"] .change').filter({ hasNotText: 'Δ 0.000' }).first();
    await assertEventually(async () => (await view.locator('attn-head-grid .change').count()) === 8 && (await moved.count()) === 1,
      'every head shows its change and a head of layer 1 moved', 60_000);
    assert.ok(await hitVisible(moved), 'the changed head is visible');
    assert.equal(await view.locator('attn-head-grid button.card[data-layer="0"][data-head="1"] .change').textContent(), 'Δ 0.000', 'an ablation changes no weight of its own layer');
    await assertEventually(async () => {
      const changed = await weights(view);
      return JSON.stringify(changed[0]) === JSON.stringify(originalWeights[0]) && JSON.stringify(changed[1]) !== JSON.stringify(originalWeights[1]);
    }, 'layer 0 keeps its weights and layer 1 changed', 30_000);
    const picture = await shot(page, 'whatif-difference');
    fs.mkdirSync(path.dirname(README_IMAGE), { recursive: true });
    fs.copyFileSync(path.join(SHOTS, 'whatif-difference.png'), README_IMAGE);
    assert.ok(picture.length > 0);

    // Remove the chip: the original run comes back, number for number.
    await chip.getByRole('button', { name: 'Remove ablate L0H1' }).click();
    await assertEventually(async () => (await view.locator('attn-whatif-bar .chip').count()) === 0
      && (await view.locator('attn-head-grid .change').count()) === 0
      && JSON.stringify(await weights(view)) === JSON.stringify(originalWeights), 'the original weights are back', 60_000);
    assert.deepEqual(await cardTexts(view), originalCards);
    await shot(page, 'whatif-removed');
  });
});
