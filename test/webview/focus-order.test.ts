import { afterEach, describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import { cleanup, mountApp, selectionSnapshot, settle, tokenView } from './app-fixtures';

afterEach(cleanup);

/** The focused element, inside shadow roots. */
function deepActive(): Element | null {
  let a: Element | null = document.activeElement;
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
  return a;
}

/** Presses Tab from the top of the page until the first query token has focus; returns what each stop was. */
async function stopsToFirstToken(): Promise<Element[]> {
  (document.activeElement as HTMLElement | null)?.blur();
  const stops: Element[] = [];
  for (let k = 0; k < 30; k++) {
    await userEvent.tab();
    const a = deepActive();
    if (!a || a === document.body) break;
    stops.push(a);
    if (a.matches('.tok[data-col="q"]')) return stops;
  }
  throw new Error(`no token reached in ${stops.length} stops: ${stops.map((s) => s.localName).join(', ')}`);
}

describe('keyboard path into the panel', () => {
  it('reaches the first token on the 7th Tab (it was the 13th), with no empty stop, however many heads there are', async () => {
    for (const heads of [4, 12]) {
      await mountApp(selectionSnapshot(undefined, { heads, dModel: 48, dK: 4 }));
      const stops = await stopsToFirstToken();
      // Export toolbar, head, line rule, overlay heads, the Computation header, the Tokens tab; then the first token.
      expect(stops.map((s) => s.localName), `${heads} heads`).toEqual(['vscode-button', 'div', 'div', 'input', 'summary', 'vscode-tab-header', 'div']);
      // No stop without a name: the old empty stop was the tab panel around the view.
      expect(stops.some((s) => s.localName === 'vscode-tab-panel')).toBe(false);
      cleanup();
    }
  });

  it('arrow keys move within the export toolbar and the overlay heads; Tab leaves them', async () => {
    await mountApp(selectionSnapshot());
    (document.activeElement as HTMLElement | null)?.blur();
    await userEvent.tab();
    expect(deepActive()?.getAttribute('data-format')).toBe('png');
    await userEvent.keyboard('{ArrowRight}{ArrowRight}');
    expect(deepActive()?.getAttribute('data-format')).toBe('csv');
    await userEvent.tab({ shift: true });
    await userEvent.tab();
    expect(deepActive()?.getAttribute('data-format')).toBe('csv'); // the toolbar remembers its place
  });

  it('entering the panel again returns to the element that last had focus', async () => {
    const app = await mountApp(selectionSnapshot());
    const token = tokenView(app).query(3);
    token.focus();
    await settle(app);
    expect(deepActive()).toBe(token);
    // Leaving the webview: focus goes to the body; coming back, the window gets focus.
    (document.activeElement as HTMLElement).blur();
    expect(deepActive()).toBe(document.body);
    window.dispatchEvent(new FocusEvent('focus'));
    expect(deepActive()).toBe(token);
  });
});
