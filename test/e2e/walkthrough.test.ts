// The Get Started walkthrough, followed as a newcomer would: in an empty window with no workspace open.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { MENU_LABEL, SHOTS, assertEventually, chooseMenuItem, openWorkbench, runCommand, shot, webview, wordBox, type Session } from './workbench';

const TITLE = 'Self-attention, step by step';

/** Help: Welcome, then our walkthrough (VS Code may first show its own "Setup" walkthrough). */
async function openWalkthrough(page: Page): Promise<void> {
  await runCommand(page, 'Help: Welcome');
  const container = page.locator('.gettingStartedContainer').first();
  await container.waitFor({ timeout: 60_000 });
  const ours = container.locator('.getting-started-category', { hasText: TITLE }).first();
  await assertEventually(async () => {
    if (await container.locator('.getting-started-step[data-step-id*="#stepByStep#"]').first().isVisible()) return true;
    if (await ours.isVisible()) await ours.click();
    else if (await container.locator('.prev-button').isVisible()) await container.locator('.prev-button').click();
    return false;
  }, `the walkthrough "${TITLE}" on the Welcome page`, 60_000);
}

function step(page: Page, id: string): Locator {
  return page.locator(`.gettingStartedContainer .getting-started-step[data-step-id$="#stepByStep#${id}"]`);
}

async function isChecked(page: Page, id: string): Promise<boolean> {
  return (await page.locator(`.gettingStartedContainer [data-done-step-id$="#stepByStep#${id}"]`).getAttribute('aria-checked')) === 'true';
}

/** Back to the walkthrough's tab, with only it open: earlier examples and panels closed. */
async function backToWalkthrough(page: Page): Promise<void> {
  await page.locator('.tabs-container .tab', { hasText: 'Walkthrough' }).first().click();
  await runCommand(page, 'View: Close Editors in Other Groups');
  await page.locator('iframe.webview').first().waitFor({ state: 'detached', timeout: 30_000 }).catch(() => undefined);
}

async function clickStepButton(page: Page, id: string, button: RegExp): Promise<void> {
  if (!(await step(page, id).isVisible())) await openWalkthrough(page);
  await step(page, id).click();
  await page.locator('.gettingStartedContainer .getting-started-step.expanded').getByRole('button', { name: button }).first().click();
}

/** A picture for the walkthrough's media: the part of the window that shows what the step teaches. */
async function mediaShot(page: Page, id: string, area: Locator, maxHeight = Infinity): Promise<void> {
  const box = await area.boundingBox();
  assert.ok(box, `the area to photograph for step ${id} is on screen`);
  fs.mkdirSync(path.join(SHOTS, 'walkthrough'), { recursive: true });
  const clip = { x: box.x, y: box.y, width: Math.min(box.width, 726), height: Math.min(box.height, maxHeight) };
  await page.screenshot({ path: path.join(SHOTS, 'walkthrough', `${id}.png`), clip });
}

const panelArea = (page: Page) => page.locator('.editor-group-container').last();

describe('The Get Started walkthrough, in the real VS Code without a workspace', function () {
  let session: Session;

  before(async () => {
    session = await openWorkbench(null);
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await shot(session.page, `failed-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });
  after(async () => session?.close());

  it('step 3 opens animal-it read-only with "it" focused in the panel, and checks off that step only', async () => {
    const { page } = session;
    assert.equal(await page.locator('.explorer-folders-view').count(), 0, 'no workspace folder is open');
    await openWalkthrough(page);
    await clickStepButton(page, 'qkv', /Show what "it" looks at/);

    const view = webview(page);
    const locked = view.locator('attn-token-view .tok.locked');
    await locked.first().waitFor({ timeout: 90_000 });
    assert.equal((await locked.allTextContents()).map((t) => t.trim()).join(), 'it');
    assert.match(await locked.first().getAttribute('aria-label') ?? '', /it, attends most to tired \(token 8, 0\.23\), locked/);
    await view.locator('attn-app').getByText('animal-it.attention.json').first().waitFor();
    const json = page.locator('.editor-instance .monaco-editor', { has: page.locator('.view-line', { hasText: '"tokens"' }) }).first();
    await json.locator('.view-line').first().click();
    await page.keyboard.type('x');
    await json.locator('.monaco-editor-overlaymessage', { hasText: /read-only/i }).waitFor({ timeout: 10_000 });
    await mediaShot(page, 'qkv', panelArea(page));
    await shot(page, 'walkthrough-step3-panel');

    await page.locator('.tabs-container .tab', { hasText: 'Walkthrough' }).first().click();
    await assertEventually(() => isChecked(page, 'qkv'), 'step 3 is checked off', 30_000);
    for (const other of ['select', 'embeddings', 'softmax', 'heads', 'encoder', 'cost', 'model']) {
      assert.equal(await isChecked(page, other), false, `step ${other} stays unchecked`);
    }
    await shot(page, 'walkthrough-step3-checked');
    await backToWalkthrough(page);
  });

  it('step 1 opens a sentence selected; right-click, Visualize Self-Attention checks it off', async () => {
    const { page } = session;
    await clickStepButton(page, 'select', /Open a sentence/);
    const editor = page.locator('.editor-group-container .editor-instance .monaco-editor', { has: page.locator('.selected-text') }).first();
    await editor.locator('.selected-text').first().waitFor({ timeout: 30_000 });
    const line = editor.locator('.view-line', { hasText: 'animal' }).first();
    const box = await wordBox(page, line, 'animal');
    await assertEventually(async () => {
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2, { button: 'right' });
      const shown = await page.getByRole('menuitem', { name: MENU_LABEL }).waitFor({ timeout: 2000 }).then(() => true, () => false);
      if (!shown) await page.keyboard.press('Escape');
      return shown;
    }, 'the context menu offers Visualize Self-Attention', 60_000);
    await mediaShot(page, 'select', page.locator('.editor-group-container').first(), 360);
    await chooseMenuItem(page, MENU_LABEL);
    await webview(page).locator('attn-token-view .tok[data-col="q"]').first().waitFor({ timeout: 90_000 });
    await page.locator('.tabs-container .tab', { hasText: 'Walkthrough' }).first().click();
    await assertEventually(() => isChecked(page, 'select'), 'step 1 is checked off', 30_000);
    await backToWalkthrough(page);
  });

  // The other steps: each button shows its example on its view, checks off its step, and gives the step its picture.
  const steps: { id: string; button: RegExp; label: string; ready: string; hover?: string }[] = [
    { id: 'embeddings', button: /Show the scores of "it"/, label: 'embeddings-only.attention.json', ready: 'attn-matrix canvas' },
    { id: 'softmax', button: /Change the temperature/, label: 'animal-it.txt', ready: 'attn-matrix canvas', hover: 'attn-matrix canvas' },
    { id: 'heads', button: /Show three heads/, label: 'multi-head.attention.json', ready: 'attn-head-grid canvas' },
    { id: 'encoder', button: /Follow "How"/, label: 'encoder-2-layers.attention.json', ready: 'attn-pipeline .trace' },
    { id: 'cost', button: /Show a dilated window/, label: 'dilated.attention.json', ready: 'attn-matrix canvas' },
    { id: 'model', button: /Open real GPT-2 attention/, label: 'gpt2-induction.attention.json', ready: 'attn-head-grid canvas' },
  ];
  for (const { id, button, label, ready, hover } of steps) {
    it(`step "${id}" shows ${label} and checks itself off`, async () => {
      const { page } = session;
      await clickStepButton(page, id, button);
      const view = webview(page);
      await view.locator('attn-app').getByText(label).first().waitFor({ timeout: 90_000 });
      await view.locator(ready).first().waitFor({ timeout: 90_000 });
      if (hover) {
        // Show the computation settings, then the tooltip that derives one weight.
        await view.locator('attn-controls details.computation > summary').first().click();
        const target = view.locator(hover).first();
        const box = await target.boundingBox();
        assert.ok(box);
        await page.mouse.move(box.x + box.width * 0.85, box.y + box.height * 0.15);
        await view.locator('attn-matrix .tooltip').first().waitFor({ timeout: 10_000 });
      }
      await mediaShot(page, id, panelArea(page));
      await page.locator('.tabs-container .tab', { hasText: 'Walkthrough' }).first().click();
      await assertEventually(() => isChecked(page, id), `step ${id} is checked off`, 30_000);
      await backToWalkthrough(page);
    });
  }
});
