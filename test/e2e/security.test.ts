// Hostile text in the real VS Code: the webview's CSP, no script runs, no element or request comes from data,
// and the tokens show the hostile strings verbatim, as text.
import * as assert from 'node:assert/strict';
import type { Locator, Page, Request } from 'playwright-core';
import { displayToken, tokenize } from '../../src/core';
import { HOSTILE_LINE } from '../fixtures/hostile';
import { BASE, MENU_LABEL, chooseMenuItem, openFile, openWorkbench, shot, webview, wordBox, type Session } from './workbench';

/** Requests the workbench and its webviews may make: code-server itself and the webview resource hosts. */
function allowed(url: string): boolean {
  const origin = new URL(BASE).origin;
  // Same-origin blob: URLs are in-memory objects the workbench creates (e.g. for its own workers), not network requests.
  if (url.startsWith(origin) || url.startsWith(`blob:${origin}/`)) return true;
  if (/^(data|blob):/.test(url)) return false;
  try {
    const host = new URL(url).hostname;
    return host.endsWith('.vscode-cdn.net') || host.endsWith('.vscode-resource.vscode-cdn.net') || url.startsWith('vscode-resource:') || url.startsWith('vscode-webview:');
  } catch {
    return false;
  }
}

/** Selects the whole hostile line, the first (Ctrl+Home, Shift+End), right-clicks inside the selection and picks our menu item. */
async function visualizeLine(page: Page, editor: Locator): Promise<void> {
  const item = page.getByRole('menuitem', { name: MENU_LABEL });
  const deadline = Date.now() + 90_000;
  for (;;) {
    const line = editor.locator('.view-line', { hasText: 'javascript' }).first();
    await editor.click({ position: { x: 80, y: 8 } });
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('Shift+End');
    await editor.locator('.selected-text').first().waitFor({ timeout: 10_000 });
    const box = await wordBox(page, line, 'javascript:alert(1)');
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
  await chooseMenuItem(page, MENU_LABEL);
}

describe('Hostile text in the real VS Code', function () {
  let session: Session;
  const dialogs: string[] = [];
  const requests: { url: string; frame: string }[] = [];

  before(async () => {
    session = await openWorkbench();
    session.page.on('dialog', (d) => {
      dialogs.push(`${d.type()}: ${d.message()}`);
      void d.dismiss().catch(() => undefined);
    });
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await shot(session.page, `failed-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });
  after(async () => session?.close());

  it('visualizes hostile.txt: CSP in force, nothing runs, nothing loads, tokens verbatim', async () => {
    const { page } = session;
    const editor = await openFile(page, 'hostile.txt');
    const record = (r: Request) => {
      let frame = '';
      try {
        frame = r.frame().url();
      } catch {
        // service-worker requests have no frame
      }
      requests.push({ url: r.url(), frame });
    };
    page.on('request', record);
    await visualizeLine(page, editor);

    const view = webview(page);
    const expected = tokenize(HOSTILE_LINE, 'words').map((t) => displayToken(t.text));
    const tokens = view.locator('attn-token-view .tok[data-col="q"] .text');
    await tokens.first().waitFor({ timeout: 60_000 });
    await page.waitForTimeout(1000); // let any injected handler (onerror, a script) have its chance

    // Tokens: the hostile strings verbatim, as text.
    assert.deepEqual(await tokens.allTextContents(), expected);
    for (const piece of ['<', 'img', 'onerror', 'script', 'javascript', 'alert', '\u202E', 'evil', '\u200B', '👩', 'é']) {
      assert.ok(expected.includes(piece), `the view shows "${piece}" as a token`);
    }

    // The CSP meta tag: default-src 'none', scripts by nonce only, nothing unsafe.
    const csp = await view.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    assert.ok(csp, 'the webview has a CSP meta tag');
    assert.match(csp, /(^|;\s*)default-src 'none'(;|$)/);
    assert.match(csp, /(^|;\s*)script-src 'nonce-[A-Za-z0-9+/=]{16,}'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-|https?:\/\/(?!\*\.vscode-cdn\.net)/);

    // No script ran: not in the panel's frame, not in its host frame, not in the workbench.
    assert.equal(await view.locator('html').evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned), undefined);
    assert.equal(await page.locator('iframe.webview.ready').last().contentFrame().locator('html').evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned), undefined);
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned), undefined);
    assert.deepEqual(dialogs, [], 'no alert or other dialog appeared');

    // No element was created from data: walk attn-app and every shadow tree under it.
    const found = await view.locator('attn-app').evaluate((app) => {
      const hits: string[] = [];
      let elements = 0;
      const walk = (root: Element | ShadowRoot) => {
        for (const el of Array.from(root.querySelectorAll('*'))) {
          elements++;
          const tag = el.localName;
          if (['img', 'script', 'iframe', 'object', 'embed', 'foreignobject', 'link', 'base', 'meta'].includes(tag)) hits.push(tag);
          if (tag === 'a' && el.hasAttribute('href')) hits.push(`a[href=${el.getAttribute('href')}]`);
          for (const name of el.getAttributeNames()) if (name.startsWith('on')) hits.push(`${tag}[${name}]`);
          if (el.shadowRoot) walk(el.shadowRoot);
        }
      };
      if (app.shadowRoot) walk(app.shadowRoot);
      walk(app);
      return { hits, elements };
    });
    assert.ok(found.elements > 50, `walked the shadow trees (${found.elements} elements)`);
    assert.deepEqual(found.hits, []);

    // No network request other than code-server and the webview's own resources.
    page.off('request', record);
    const foreign = requests.filter((r) => !allowed(r.url));
    assert.deepEqual(foreign, [], 'no request left for anywhere else');
    assert.ok(!requests.some((r) => /\/x$|alert|__pwned/.test(r.url)), 'nothing was requested from the hostile text');

    await shot(page, 'security-hostile-tokens');
  });
});
