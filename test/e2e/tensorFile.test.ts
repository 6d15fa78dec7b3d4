import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { WORKSPACE, assertEventually, chooseMenuItem, openFile, runCommand, openWorkbench, shot, webview, wordBox, type Session } from './workbench';

const BUTTON = 'Visualize Attention File';

async function visualizeFromTitle(page: Page): Promise<void> {
  await page.locator(`.editor-actions a.action-label[aria-label^="${BUTTON}"]`).first().click();
}

async function matrixPixels(page: Page): Promise<string> {
  return webview(page).locator('attn-matrix canvas').first().evaluate((c: HTMLCanvasElement) => c.toDataURL());
}

describe('Tensor files, in the real VS Code', function () {
  let session: Session;

  before(async () => {
    session = await openWorkbench();
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await shot(session.page, `failed-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });
  after(async () => session?.close());

  it('offers "Visualize Attention File" in the explorer context menu of a JSON file', async () => {
    const { page } = session;
    const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'causal.attention.json' }).first();
    await row.waitFor({ timeout: 90_000 });
    await assertEventually(async () => {
      await row.click({ button: 'right' });
      const found = await page.getByRole('menuitem', { name: BUTTON }).waitFor({ timeout: 1500 }).then(() => true, () => false);
      if (!found) await page.keyboard.press('Escape');
      return found;
    }, 'the explorer menu item', 60_000);
    await page.keyboard.press('Escape');
  });

  it('shows the real GPT-2 layer from the editor title button, with its induction heads in the head grid', async () => {
    const { page } = session;
    await openFile(page, 'gpt2-induction.attention.json');
    await assertEventually(async () => (await page.locator(`.editor-actions a.action-label[aria-label^="${BUTTON}"]`).count()) > 0, 'the title button', 60_000);
    await visualizeFromTitle(page);
    const view = webview(page);
    await view.getByRole('tab', { name: /Heads/ }).click();
    const cards = view.locator('attn-head-grid canvas');
    await cards.first().waitFor({ timeout: 60_000 });
    assert.equal(await cards.count(), 12);
    await assertEventually(async () => (await view.locator('attn-app').textContent() ?? '').length >= 0, 'the app rendered');
    await shot(page, 'gpt2-head-grid');
  });

  it('opens a binary .safetensors export from the explorer, tokens from its metadata', async () => {
    const { page } = session;
    await runCommand(page, 'View: Close All Editors');
    const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'gpt2-induction-binary.safetensors' }).first();
    await row.click({ button: 'right' });
    await chooseMenuItem(page, BUTTON);
    const view = webview(page);
    await view.locator('attn-app').getByText('gpt2-induction-binary.safetensors').first().waitFor({ timeout: 60_000 });
    await view.locator('attn-app').getByText(/37 tokens/).first().waitFor({ timeout: 60_000 });
    await view.getByRole('tab', { name: /Heads/ }).click();
    await assertEventually(async () => (await view.locator('attn-head-grid canvas').count()) === 12, '12 head thumbnails');
    await view.getByRole('tab', { name: /Tokens/ }).click();
    await view.locator('attn-token-view .tok[data-col="q"]', { hasText: 'Help' }).first().waitFor();
  });

  it('redraws on an unsaved edit, and keeps the last view with a banner while the file is broken', async () => {
    const { page } = session;
    await runCommand(page, 'View: Close All Editors');
    const editor = await openFile(page, 'i-am-good.attention.json');
    await visualizeFromTitle(page);
    const view = webview(page);
    await view.getByRole('tab', { name: /Matrix/ }).click();
    await view.locator('attn-matrix canvas').first().waitFor({ timeout: 60_000 });
    const before = await matrixPixels(page);

    const row = editor.locator('.view-line', { hasText: '[1, 0.2, 0, 0.5]' }).first();
    const one = await wordBox(page, row, '1');
    await page.mouse.dblclick(one.x + one.width / 2, one.y + one.height / 2);
    await page.keyboard.type('4');
    await assertEventually(async () => (await matrixPixels(page)) !== before, 'the matrix changes after the edit');
    const edited = await matrixPixels(page);
    await shot(page, 'file-live-edit');

    await page.keyboard.press('Control+Home');
    await page.keyboard.type('oops');
    // The error banner, not the busy ring (also an alert) of a computation still running for a later keystroke.
    const banner = view.locator('.banner.error[role="alert"]');
    await banner.waitFor({ timeout: 15_000 });
    assert.match((await banner.textContent()) ?? '', /line 1, column 1/i);
    assert.equal(await matrixPixels(page), edited, 'the last good view stays');
    await shot(page, 'file-broken-banner');

    for (let i = 0; i < 2; i++) await page.keyboard.press('Control+z');
    await banner.waitFor({ state: 'detached', timeout: 15_000 }).catch(async () => assert.equal(await banner.isVisible(), false));
  });

  it('exports the current matrix as CSV through the save dialog', async () => {
    const { page } = session;
    const before = new Set(fs.readdirSync(WORKSPACE));
    await webview(page).locator('attn-export vscode-button[data-format="csv"]').click();
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 15_000 });
    await assertEventually(async () => /\/e2e\/[^/]+\.csv$/.test(await input.inputValue()), 'the dialog proposes a .csv beside the file');
    await page.keyboard.press('Enter');
    let created: string[] = [];
    await assertEventually(async () => {
      created = fs.readdirSync(WORKSPACE).filter((f) => !before.has(f) && f.endsWith('.csv'));
      return created.length === 1;
    }, 'a new CSV file in the workspace');
    const rows = fs.readFileSync(path.join(WORKSPACE, created[0]), 'utf8').trim().split('\n');
    assert.equal(rows.length, 4, 'a header and one row per query token');
    assert.match(rows[0], /am/);
  });

  it('broke no rule of the webview\'s Content Security Policy along the way', () => {
    assert.deepEqual(session.cspViolations, []);
  });
});
