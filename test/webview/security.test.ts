import { afterEach, describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import { displayToken } from '../../src/core';
import type { ViewName } from '../../src/shared/protocol';
import { applyMessage } from '../../webview/host';
import { cleanup, deepAll, fileSnapshot, mountApp, resultFor, settle, tokenView } from './app-fixtures';

declare global {
  interface Window {
    __pwned?: unknown;
  }
}

const HOSTILE = [
  '<img src=x onerror="window.__pwned=1">',
  '<script>window.__pwned=1</script>',
  'javascript:alert(1)',
  'url(javascript:window.__pwned=1)',
  '\u202Eevil\u202C',
  'zero\u200Bwidth',
  '👩🏽‍💻e\u0301\u0308',
  '\n\t',
  '"><svg onload=window.__pwned=1>',
  '{{constructor.constructor("window.__pwned=1")()}}',
];

afterEach(() => {
  cleanup();
  delete window.__pwned;
});

/** Elements that data could have smuggled in. */
function dangerous(root: Element): Element[] {
  return deepAll(root, 'img, script, iframe, object, embed, a[href], svg svg, foreignObject');
}

function handlerAttributes(root: Element): string[] {
  const out: string[] = [];
  for (const el of deepAll(root, '*')) {
    for (const a of el.getAttributeNames()) if (a.startsWith('on')) out.push(`${el.localName}[${a}]`);
  }
  return out;
}

describe('hostile tokens are shown as text in every view', () => {
  const views: ViewName[] = ['tokens', 'matrix', 'pipeline', 'grid'];
  for (const view of views) {
    it(`${view} view`, async () => {
      const result = resultFor(HOSTILE, 3, 1);
      const app = await mountApp(fileSnapshot(result, '<img src=x onerror="window.__pwned=1">.attention.json'));
      app.setUi({ view, lockedToken: 0 });
      await settle(app);
      if (view === 'tokens') {
        const tv = tokenView(app);
        for (let i = 0; i < HOSTILE.length; i++) {
          await userEvent.hover(tv.query(i));
          expect(tv.query(i).querySelector('.text')?.textContent).toBe(displayToken(HOSTILE[i]));
          expect(tv.key(i).querySelector('.text')?.textContent).toBe(displayToken(HOSTILE[i]));
          expect(tv.query(i).getAttribute('aria-label')).toContain(`Token ${i + 1}: `);
        }
        // Exported SVG keeps them as text too.
        const svg = await app.exportCurrent('svg');
        const doc = new DOMParser().parseFromString(svg!.content, 'image/svg+xml');
        expect(doc.getElementsByTagName('parsererror').length).toBe(0);
        expect(doc.querySelectorAll('script, img, foreignObject').length).toBe(0);
        expect([...doc.querySelectorAll('text')].some((t) => t.textContent?.startsWith('<script>window.__pw'))).toBe(true);
        const texts = [...doc.querySelectorAll('text')].map((t) => t.textContent);
        expect(texts).toContain(displayToken(HOSTILE[0]).slice(0, 21) + '…');
      }
      await new Promise((r) => setTimeout(r, 50));
      expect(window.__pwned).toBeUndefined();
      expect(dangerous(app)).toEqual([]);
      expect(handlerAttributes(app)).toEqual([]);
      expect(app.shadowRoot!.querySelector('h1')?.textContent).toBe('<img src=x onerror="window.__pwned=1">.attention.json');
    });
  }

  it('hostile error messages and problem texts render as text', async () => {
    const app = await mountApp(null);
    applyMessage(app, {
      type: 'error',
      message: '<img src=x onerror="window.__pwned=1">',
      problems: [{ severity: 'error', message: '<script>window.__pwned=1</script>', location: { offset: 0, length: 1, line: 0, column: 0, path: [] } }],
    });
    await settle(app);
    const alert = app.shadowRoot!.querySelector('[role=alert]') as HTMLElement;
    expect(alert.textContent).toContain('<img src=x onerror="window.__pwned=1">');
    expect(alert.textContent).toContain('Line 1, column 1: <script>window.__pwned=1</script>');
    expect(dangerous(app)).toEqual([]);
    expect(window.__pwned).toBeUndefined();
  });

  it('bidi overrides in tokens are isolated from the surrounding UI', async () => {
    const app = await mountApp(fileSnapshot(resultFor(HOSTILE, 1)));
    const tok = tokenView(app).query(4);
    expect(getComputedStyle(tok).unicodeBidi).toBe('isolate');
    expect(getComputedStyle(tok.querySelector('.text')!).unicodeBidi).toBe('isolate');
  });
});
