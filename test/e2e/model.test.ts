import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { assertEventually, openFile, openWorkbench, runCommand, selectText, shot, webview, type Session } from './workbench';

/** Short enough for the tiny checkpoint's 32 positions. */
const TEXT = 'How are you doing?';
const MODEL_ID = 'tiny/gpt2';
const USER_SETTINGS = process.env.SAV_USER_SETTINGS ?? '';

/** The status bar item naming the active model. */
function modelStatus(page: Page): Locator {
  return page.locator('.statusbar-item', { hasText: /Random weights|tiny\/gpt2/ }).first();
}

/** Opens "Self-Attention: Choose Model…" and accepts the row whose label contains `label`. */
async function chooseModel(page: Page, label: string): Promise<void> {
  await runCommand(page, 'Self-Attention: Choose Model…');
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
  await row.waitFor({ timeout: 30_000 });
  await row.click();
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
}

describe('A real model on the selection, in the real VS Code', function () {
  let session: Session;
  let editor: Locator;
  let original = '';

  before(async () => {
    original = fs.readFileSync(USER_SETTINGS, 'utf8');
    session = await openWorkbench();
    editor = await openFile(session.page, 'story.txt');
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await shot(session.page, `failed-model-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });
  after(async () => {
    await session?.close();
    // Choosing a model writes the user settings, which the other test files share: put them back as they were.
    fs.writeFileSync(USER_SETTINGS, original);
  });

  it('the status bar names the random weights, and the picker lists the cached model with its family', async () => {
    const { page } = session;
    await modelStatus(page).waitFor({ timeout: 60_000 });
    assert.match((await modelStatus(page).textContent()) ?? '', /Random weights/);
    await runCommand(page, 'Self-Attention: Choose Model…');
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: MODEL_ID }).first();
    await row.waitFor({ timeout: 30_000 });
    assert.match((await row.textContent()) ?? '', /GPT-2 · 2 layers × 32/);
    assert.equal(await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Browse…' }).count(), 1);
    await shot(page, 'model-picker');
    await page.keyboard.press('Escape');
  });

  it('choosing the model with a selection opens a panel with its attention: L0H0 labels, next tokens, the banner', async () => {
    const { page } = session;
    await selectText(page, editor, TEXT);
    await chooseModel(page, MODEL_ID);
    const view = webview(page);
    const banner = view.locator('.banner[data-provenance="model"]');
    await banner.waitFor({ timeout: 90_000 });
    assert.match((await banner.textContent()) ?? '', /GPT-2 \(\d+K\) from .*tiny\/gpt2: learned weights/);
    await assertEventually(async () => /tiny\/gpt2/.test((await modelStatus(page).textContent()) ?? ''), 'the status bar names tiny/gpt2');
    const heads = await view.locator('attn-controls #head vscode-option').allTextContents();
    assert.deepEqual(heads.map((h) => h.trim()), ['L0H0', 'L0H1']);
    const next = view.locator('attn-next-tokens li');
    await next.first().waitFor();
    assert.equal(await next.count(), 10);
    assert.match((await view.locator('attn-next-tokens h2').textContent()) ?? '', /Next token after/);
    await shot(page, 'model-panel');
  });

  it('hovering a token in the panel tints the editor and lists that position’s next tokens', async () => {
    const { page } = session;
    const view = webview(page);
    const first = view.locator('attn-token-view .tok[data-col="q"]').nth(1);
    await first.hover();
    await assertEventually(async () => /\(position 1\)/.test((await view.locator('attn-next-tokens h2').textContent()) ?? ''), 'the next-token list follows the hovered token');
    await assertEventually(async () => (await editor.locator('.view-overlays .cdr').count()) >= 2, 'the editor shows the focused token and its tints');
    await shot(page, 'model-editor-sync');
  });
});
