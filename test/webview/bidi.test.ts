// Bidi isolation: a token with a right-to-left override (U+202E) or an isolate (U+2066) must not reorder the
// text around it, wherever it is shown: token view, pipeline note, matrix tooltip, banners, title.
import { afterEach, describe, expect, it } from 'vitest';
import { displayToken } from '../../src/core';
import type { Problem } from '../../src/core/types';
import type { AttnMatrix } from '../../webview/components/attn-matrix';
import { cleanup, deep, deepAll, fileSnapshot, mountApp, resultFor, settle } from './app-fixtures';

const RLO = '\u202Eevil';
const LRI = '\u2066abc';
const TOKENS = ['plain', RLO, LRI, 'end'];

afterEach(cleanup);

/** The nearest element around `node` that isolates its bidi text: a <bdi>, or unicode-bidi: isolate. */
function isolatingAncestor(node: Node): Element | null {
  for (let el = node.parentElement; el; el = el.parentElement) {
    if (el.localName === 'bdi') return el;
    const bidi = getComputedStyle(el).unicodeBidi;
    if (bidi === 'isolate' || bidi === 'isolate-override' || bidi === 'plaintext') return el;
    if (getComputedStyle(el).display !== 'inline') return null;
  }
  return null;
}

/** Every text node under `root` (shadow trees included) that contains `text`. */
function textNodes(root: Element, text: string): Text[] {
  const out: Text[] = [];
  for (const el of [root, ...deepAll(root, '*')]) {
    for (const scope of el.shadowRoot ? [el, el.shadowRoot] : [el]) {
      for (const child of Array.from(scope.childNodes)) if (child instanceof Text && child.data.includes(text)) out.push(child);
    }
  }
  return out;
}

/** Asserts `text` appears under `root`, and each time inside an isolate that holds no text other than it and its quotes. */
function expectIsolated(root: Element, text: string, where: string): void {
  const nodes = textNodes(root, text);
  expect(nodes.length, `${where}: "${text}" is shown`).toBeGreaterThan(0);
  for (const node of nodes) {
    const isolate = isolatingAncestor(node);
    expect(isolate, `${where}: "${text}" is isolated`).not.toBeNull();
    expect(isolate!.textContent!.replace(/^["“]|["”]$/g, ''), `${where}: only the untrusted text is inside the isolate`).toBe(text);
  }
}

describe('bidi isolation of token text', () => {
  it('token view: every query and key token', async () => {
    const app = await mountApp(fileSnapshot(resultFor(TOKENS, 2, 1)));
    const view = deep(app, 'attn-token-view');
    for (const t of [RLO, LRI]) expectIsolated(view, displayToken(t), 'token view');
  });

  it('pipeline: the "Tracing token …" note', async () => {
    const app = await mountApp(fileSnapshot(resultFor(TOKENS, 2, 1)));
    app.setUi({ view: 'pipeline', lockedToken: 1 });
    await settle(app);
    const note = deepAll(deep(app, 'attn-pipeline'), '.note[role=status]')[0];
    expect(note.textContent).toContain('Tracing token 2');
    expectIsolated(note, displayToken(RLO), 'pipeline note');
    expect(note.textContent!.endsWith('through every step.')).toBe(true);
  });

  it('matrix: the tooltip naming the query and key', async () => {
    const app = await mountApp(fileSnapshot(resultFor(TOKENS, 2, 1)));
    app.setUi({ view: 'matrix' });
    await settle(app);
    const matrix = deep<AttnMatrix>(app, 'attn-matrix');
    const root = matrix.shadowRoot!;
    const base = root.querySelector('canvas.base')!.getBoundingClientRect();
    const c = matrix.cellCenter(1, 2);
    root.querySelector('.viewport')!.dispatchEvent(new PointerEvent('pointermove', { clientX: base.left + c.x, clientY: base.top + c.y, bubbles: true, pointerId: 1 }));
    await settle(app);
    const head = root.querySelector('.tooltip .head')!;
    expectIsolated(head, displayToken(RLO), 'matrix tooltip (query)');
    expectIsolated(head, displayToken(LRI), 'matrix tooltip (key)');
  });

  it('banners: the error, its problem, a warning; and the title', async () => {
    const warning: Problem = { severity: 'warning', message: `Token "${RLO}" appears twice.` };
    const snapshot = { ...fileSnapshot(resultFor(TOKENS, 2, 1), `${RLO}.attention.json`), warnings: [warning] };
    const app = await mountApp(snapshot);
    app.error = { message: `The key "${LRI}" is unknown, and so is ${RLO}x.`, problems: [] };
    await settle(app);
    const error = deepAll(app, '.banner.error')[0];
    expectIsolated(error, `"${LRI}"`.slice(1, -1), 'error banner (quoted)');
    expectIsolated(error, `${RLO}x.`, 'error banner (unquoted word)');
    expect(error.textContent).toContain('is unknown, and so is');
    expectIsolated(deepAll(app, '.banner.warning')[0], RLO, 'warning banner');
    expectIsolated(deepAll(app, 'header h1')[0], `${RLO}.attention.json`, 'title');

    app.error = { message: 'Broken.', problems: [{ severity: 'error', message: `Unknown token "${RLO}".`, location: { line: 2, column: 4, offset: 30, length: 5, path: ['tokens', 1] } }] };
    await settle(app);
    expectIsolated(deepAll(app, '.banner.error')[0], RLO, 'problem in the error banner');
  });
});
