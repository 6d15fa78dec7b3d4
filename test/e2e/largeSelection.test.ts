// A 2,000-token selection in the real VS Code (issue 14): the matrices stay in the compute process, and the webview
// asks for what it draws. The heatmap appears, the tooltip derives a cell from the row it asked for, and the
// extension's log shows that no message carried more than 2 MB.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assertEventually, openFile, openWorkbench, shot, webview, WORKSPACE, type Session } from './workbench';

const FILE = 'tokens-2000.txt';
const USER_SETTINGS = process.env.SAV_USER_SETTINGS ?? '';
const WORDS = 'the cat sat on a mat while dogs ran past some old red barns near quiet green hills and rivers'.split(' ');

/** The extension's log (Output → Self-Attention) of this profile's runs. */
function extensionLog(): string {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/Self-Attention\.log$/.test(e.name)) found.push(fs.readFileSync(p, 'utf8'));
    }
  };
  walk(path.join(path.dirname(USER_SETTINGS), '..', 'logs'));
  return found.join('');
}

describe('A 2,000-token selection, in the real VS Code', function () {
  let session: Session;
  const file = path.join(WORKSPACE, FILE);

  before(async () => {
    const words = Array.from({ length: 2000 }, (_, i) => WORDS[(i * 7 + (i >> 3)) % WORDS.length]);
    const lines: string[] = [];
    for (let i = 0; i < words.length; i += 12) lines.push(words.slice(i, i + 12).join(' '));
    fs.writeFileSync(file, lines.join('\n') + '\n');
    session = await openWorkbench();
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await shot(session.page, `failed-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });
  after(async () => {
    await session?.close();
    fs.rmSync(file, { force: true });
  });

  it('draws the heatmap it asked for, derives a hovered cell from its row, and no message carries more than 2 MB', async () => {
    const { page } = session;
    const editor = await openFile(page, FILE);
    const firstLine = editor.locator('.view-line').first();
    const item = page.getByRole('menuitem', { name: 'Visualize Self-Attention' });
    // Select all, right-click, run the item (retried while the extension host registers its menus).
    await assertEventually(async () => {
      await firstLine.click();
      await page.keyboard.press('Control+a');
      await firstLine.click({ button: 'right', position: { x: 10, y: 5 } });
      if (await item.waitFor({ timeout: 2000 }).then(() => true, () => false)) return true;
      await page.keyboard.press('Escape');
      return false;
    }, 'the menu offers Visualize Self-Attention', 90_000);
    await item.hover();
    await page.keyboard.press('Enter');
    const view = webview(page);
    await view.locator('attn-app header .meta').filter({ hasText: '2000 tokens' }).waitFor({ timeout: 120_000 });

    await view.getByRole('tab', { name: /Matrix/ }).click();
    const matrix = view.locator('attn-matrix');
    const canvas = matrix.locator('canvas.base');
    await canvas.waitFor({ timeout: 60_000 });
    // The final picture: the heatmap painted (not just waiting) and no "asking" note left.
    await assertEventually(async () => matrix.evaluate((el) => {
      const root = el.shadowRoot as ShadowRoot;
      const c = root.querySelector('canvas.base') as HTMLCanvasElement | null;
      if (!c || c.width < 8 || root.querySelector('p.note[role=status]')) return false;
      const px = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let coloured = 0;
      for (let k = 0; k < px.length; k += 4 * 13) if (px[k + 3] > 0 && (px[k] !== px[0] || px[k + 1] !== px[1] || px[k + 2] !== px[2])) coloured++;
      return coloured > px.length / (4 * 13) / 4;
    }), 'the heatmap is painted over most of the canvas', 90_000);

    // The last query's cell under key 6: its tooltip comes with the row the view asked for.
    const centre = await matrix.evaluate((el) => (el as unknown as { cellCenter(i: number, j: number): { x: number; y: number } }).cellCenter(1999, 5));
    await canvas.hover({ position: centre });
    const weight = matrix.locator('.tooltip [data-key=weight] .text');
    await weight.waitFor({ timeout: 30_000 });
    assert.match((await weight.textContent()) ?? '', /= \d\.\d{4}/);
    assert.match((await matrix.locator('.tooltip .head').textContent()) ?? '', /query 2000/);
    await shot(page, 'vscode-matrix-2000-tokens');

    // The host's own account: the raster and the row it forwarded, and every message's size.
    let log = '';
    await assertEventually(async () => {
      log = extensionLog();
      return /raster \d+ of snapshot \d+ carries [\d.]+ MB/.test(log) && /row \d+ of snapshot \d+ carries [\d.]+ MB/.test(log);
    }, 'the log names the raster and the row it answered', 30_000);
    const sizes = [...log.matchAll(/carries ([\d.]+) MB/g)].map((m) => Number(m[1]));
    console.log(`      2,000 tokens: messages of ${sizes.join(', ')} MB`);
    assert.ok(Math.max(...sizes) <= 2, `no message over 2 MB: ${sizes.join(', ')}`);
  });
});
