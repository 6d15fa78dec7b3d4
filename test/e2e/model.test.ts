import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type { Frame, Locator, Page } from 'playwright-core';
import { assertEventually, openFile, openWorkbench, runCommand, selectText, shot, webview, type Session } from './workbench';

/** Short enough for the tiny checkpoint's 32 positions. */
const TEXT = 'How are you doing?';
const MODEL_ID = 'tiny/gpt2';
const USER_SETTINGS = process.env.SAV_USER_SETTINGS ?? '';

/** The status bar item naming the active model. */
function modelStatus(page: Page): Locator {
  return page.locator('.statusbar-item', { hasText: /Random weights|tiny\/(gpt2|llama)/ }).first();
}

/** Opens "Self-Attention: Choose Model…" and accepts the row whose label contains `label`. */
async function chooseModel(page: Page, label: string): Promise<void> {
  await runCommand(page, 'Self-Attention: Choose Model…');
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
  await row.waitFor({ timeout: 30_000 });
  await row.click();
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
}

/** What the panel's webview recorded of each snapshot it received (see recordSnapshots). */
interface Received {
  readonly seq: number;
  readonly layers: number;
  readonly tokens: string;
  readonly progress: { readonly done: number; readonly total: number } | null;
}

/** Starts recording, inside the panel's webview, every snapshot message it receives from the extension. */
async function recordSnapshots(page: Page): Promise<Frame> {
  const frame = await (await webview(page).locator('attn-app').elementHandle())?.ownerFrame();
  assert.ok(frame, 'the panel webview frame');
  await frame.evaluate(() => {
    const store = window as unknown as { savReceived: unknown[] };
    store.savReceived = [];
    window.addEventListener('message', (e: MessageEvent) => {
      const m = e.data as { type?: string; snapshot?: { seq: number; result: { layers: unknown[]; tokens: string[] }; progress?: unknown } };
      if (m?.type !== 'snapshot' || !m.snapshot) return;
      const s = m.snapshot;
      store.savReceived.push({ seq: s.seq, layers: s.result.layers.length, tokens: s.result.tokens.join('|'), progress: s.progress ?? null });
    });
  });
  return frame;
}

const received = (frame: Frame): Promise<Received[]> => frame.evaluate(() => (window as unknown as { savReceived: Received[] }).savReceived);

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

  it('streams the layers: every finished result is preceded by its layer 0 alone, marked 1 of 2 layers', async () => {
    const { page } = session;
    const frame = await recordSnapshots(page);
    await selectText(page, editor, 'The animal didn');
    await runCommand(page, 'Self-Attention: Visualize Self-Attention');
    const view = webview(page);
    // The final condition: the panel is idle and the last snapshot it received is a whole result.
    await assertEventually(async () => {
      const all = await received(frame);
      return all.length > 0 && all[all.length - 1].progress === null && (await view.locator('header .busy').count()) === 0;
    }, 'the whole result arrives after the streamed layers', 90_000);
    const all = await received(frame);
    const finished = all.filter((r) => r.progress === null);
    assert.ok(finished.length > 0);
    for (const r of finished) {
      const before = all[all.indexOf(r) - 1];
      assert.deepEqual(before && { layers: before.layers, tokens: before.tokens, progress: before.progress }, { layers: 1, tokens: r.tokens, progress: { done: 1, total: 2 } },
        `snapshot ${r.seq} (whole) follows its own layer 0, sent on its own while layer 1 ran`);
      assert.ok(before.seq < r.seq);
      assert.equal(r.layers, 2);
    }
    assert.ok(all.every((r) => r.progress === null || (r.progress.done === r.layers && r.progress.total === 2)), 'every partial snapshot says how many of the 2 layers it holds');
  });

  it('with the tiny Llama, the pipeline shows RMSNorm, RoPE with its dims and θ, the shared K/V head and SwiGLU', async () => {
    const { page } = session;
    await selectText(page, editor, TEXT);
    await chooseModel(page, 'tiny/llama');
    const view = webview(page);
    await assertEventually(async () => /Llama \(\d+K\) from .*tiny\/llama/.test((await view.locator('.banner[data-provenance="model"]').textContent())?.trim() ?? ''), 'the banner names the tiny Llama', 90_000);
    await view.getByRole('tab', { name: /Pipeline/ }).click();
    const pipeline = view.locator('attn-pipeline');
    await pipeline.getByText('RoPE (16 of 16 dims, θ = 1000)').waitFor({ timeout: 30_000 });
    for (const name of ['RMSNorm', 'W_K (kv head 0)', 'K (after RoPE), kv head 0', 'MLP (SwiGLU)', 'X + attention', '+ MLP']) {
      assert.ok((await pipeline.locator('.name', { hasText: name }).count()) > 0, `the pipeline names ${name}`);
    }
    const k = pipeline.locator('li[data-step="k"] .explain');
    assert.match((await k.textContent()) ?? '', /4 query heads share 2 key\/value heads, 2 per key\/value head; L0H0 reads key\/value head 0, shared by L0H0, L0H1\./);
    await pipeline.locator('li[data-step="rope"]').scrollIntoViewIfNeeded();
    await shot(page, 'model-llama-pipeline');
  });
});
