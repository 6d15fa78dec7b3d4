// Drives the real VS Code (code-server) the way a person does, with playwright-core and Debian's Chromium.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type FrameLocator, type Locator, type Page } from 'playwright-core';

export const BASE = process.env.SAV_BASE ?? 'http://127.0.0.1:8080';
export const WORKSPACE = process.env.SAV_WORKSPACE ?? '';
export const SHOTS = process.env.SAV_SHOTS ?? path.resolve('test-results');
export const MENU_LABEL = 'Visualize Self-Attention';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'];

export interface Session {
  readonly page: Page;
  readonly context: BrowserContext;
  /** Console messages from any frame that report a Content-Security-Policy violation. */
  readonly cspViolations: string[];
  readonly close: () => Promise<void>;
}

export async function openWorkbench(): Promise<Session> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'sav-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium', headless: true, viewport: { width: 1500, height: 900 }, args: ARGS,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const cspViolations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
  });
  // Wait for the workbench itself, not for the page's load event (past goto's 30 s default on a loaded machine).
  await page.goto(`${BASE}/?folder=${encodeURIComponent(WORKSPACE)}`, { waitUntil: 'commit', timeout: 90_000 });
  await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
  return {
    page, context, cspViolations,
    close: async () => {
      await context.close().catch(() => undefined);
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function openFile(page: Page, name: string): Promise<Locator> {
  const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first();
  await row.waitFor({ timeout: 90_000 });
  await row.click();
  const group = page.locator('.editor-group-container', { has: page.locator('.tab.active', { hasText: name }) }).first();
  const editor = group.locator('.editor-instance .monaco-editor').first();
  await editor.locator('.view-line').first().waitFor({ timeout: 30_000 });
  return editor;
}

/** Selects `text` on the editor's line that contains it, using the keyboard (Home, then Shift+Right). */
export async function selectText(page: Page, editor: Locator, text: string): Promise<Locator> {
  const line = editor.locator('.view-line', { hasText: text }).first();
  const lineText = (await line.textContent())?.replace(/\u00a0/g, ' ') ?? '';
  const column = lineText.indexOf(text);
  await line.click({ position: { x: 2, y: 5 } });
  await page.keyboard.press('Home');
  for (let i = 0; i < column; i++) await page.keyboard.press('ArrowRight');
  for (let i = 0; i < text.length; i++) await page.keyboard.press('Shift+ArrowRight');
  await editor.locator('.selected-text').first().waitFor({ timeout: 10_000 });
  return line;
}

/** Right-clicks inside the selection and clicks our item, retrying while the extension host registers menus. */
export async function runContextMenuItem(page: Page, editor: Locator, text: string, label = MENU_LABEL): Promise<void> {
  const item = page.getByRole('menuitem', { name: label });
  const deadline = Date.now() + 90_000;
  for (;;) {
    const line = await selectText(page, editor, text);
    const box = await wordBox(page, line, text);
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2, { button: 'right' });
    await page.locator('.monaco-menu').first().waitFor({ timeout: 10_000 });
    try {
      await item.waitFor({ timeout: 1500 });
      break;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await page.keyboard.press('Escape');
      await page.waitForTimeout(1000);
    }
  }
  await chooseMenuItem(page, label);
}

/**
 * Runs an item of the open context menu. A click right after the menu opens is sometimes ignored (and the
 * menu's shadow host can fail Playwright's hit test), so: hover to focus the item, press Enter, and check
 * that the menu closed.
 */
export async function chooseMenuItem(page: Page, label: string): Promise<void> {
  const item = page.getByRole('menuitem', { name: label });
  await item.waitFor({ timeout: 10_000 });
  for (let attempt = 0; attempt < 5; attempt++) {
    await item.hover({ force: true });
    await page.keyboard.press('Enter');
    if (await page.locator('.context-view .monaco-menu').waitFor({ state: 'hidden', timeout: 2000 }).then(() => true, () => false)) return;
  }
  assert.fail(`the menu item "${label}" did not run`);
}

/** The screen box of the n-th occurrence of `text` in an editor line (Monaco splits a line into many spans). */
export async function wordBox(page: Page, line: Locator, text: string, occurrence = 0) {
  const handle = await line.elementHandle();
  const box = await page.evaluate(
    ({ el, word, nth }) => {
      const nodes: Text[] = [];
      const walker = document.createTreeWalker(el as Node, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n as Text);
      const full = nodes.map((n) => n.data).join('').replace(/\u00a0/g, ' ');
      let at = -1;
      for (let i = 0; i <= nth; i++) {
        at = full.indexOf(word, at + 1);
        if (at < 0) return null;
      }
      const locate = (offset: number): [Text, number] => {
        let seen = 0;
        for (const n of nodes) {
          if (offset <= seen + n.data.length) return [n, offset - seen];
          seen += n.data.length;
        }
        const last = nodes[nodes.length - 1];
        return [last, last.data.length];
      };
      const range = document.createRange();
      range.setStart(...locate(at));
      range.setEnd(...locate(at + word.length));
      const r = range.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    },
    { el: handle, word: text, nth: occurrence },
  );
  if (!box) throw new Error(`"${text}" not found on the line`);
  return box;
}

/** The panel's content: the webview iframe, then its active frame. */
export function webview(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
}

export function shot(page: Page, name: string): Promise<Buffer> {
  fs.mkdirSync(SHOTS, { recursive: true });
  return page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

/** Polls until the probe holds; fails with the message after the timeout. */
export async function assertEventually(probe: () => Promise<boolean>, message: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`Timed out: ${message}`);
}

/** Runs a command from the command palette by its title. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}
