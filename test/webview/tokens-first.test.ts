/**
 * Tokens first (issue 14): while a large run computes, the panel draws its tokens from the result's frame (every head
 * 0 × 0) and says, visibly and to screen readers, that the weights are being computed; the result then fills them in.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { buildSelectionSpec, resultFrame } from '../../src/core';
import type { Snapshot } from '../../src/shared/protocol';
import { applyMessage } from '../../webview/host';
import { cleanup, deep, mountApp, selectionSnapshot, settings, settle, SENTENCE, tokenView } from './app-fixtures';

afterEach(cleanup);

/** What the host posts while the worker computes `selectionSnapshot()`: the same source, the frame, `computing`. */
function computingSnapshot(seq: number): Snapshot {
  const done = selectionSnapshot(SENTENCE, {}, seq);
  return { ...done, result: resultFrame(buildSelectionSpec(SENTENCE, settings()).spec), computing: true };
}

describe('tokens first', () => {
  it('draws the tokens at once with a "computing" status, then the result fills in the weights', async () => {
    const app = await mountApp(null);
    expect(applyMessage(app, { type: 'snapshot', snapshot: computingSnapshot(1) })).toBe(true);
    await settle(app);
    const done = selectionSnapshot(SENTENCE, {}, 2);
    const view = tokenView(app);
    expect(done.result.tokens.map((_, i) => view.query(i)?.textContent?.trim())).toEqual(done.result.tokens.map((t) => t.trim()));
    const status = app.shadowRoot!.querySelector('[role=status].busy') as HTMLElement;
    expect(status.textContent).toContain('Computing the attention weights');
    expect(status.getBoundingClientRect().height).toBeGreaterThan(0);
    expect(app.shadowRoot!.querySelector('.view')?.getAttribute('aria-busy')).toBe('true');
    expect(deep(app, 'attn-export').hasAttribute('disabled')).toBe(true);
    // Hovering a token before its weights exist draws no line and breaks nothing.
    view.query(2).dispatchEvent(new MouseEvent('mouseenter'));
    await settle(app);
    expect(view.lines()).toHaveLength(0);
    expect(view.query(2).getAttribute('aria-label')).toContain('Token 3');

    app.setUi({ view: 'matrix' });
    await settle(app);
    expect(app.shadowRoot!.querySelector('[data-computing]')?.textContent).toContain('matrix view appears when the attention weights are computed');

    app.setUi({ view: 'tokens', lockedToken: 2 });
    expect(applyMessage(app, { type: 'snapshot', snapshot: done })).toBe(true);
    await settle(app);
    expect(app.shadowRoot!.querySelector('[role=status].busy')).toBeNull();
    expect(tokenView(app).lines().length).toBeGreaterThan(0);
    expect(deep(app, 'attn-export').hasAttribute('disabled')).toBe(false);
  });

  it('a withdrawn computing snapshot leaves the panel empty; a withdraw of another snapshot is ignored', async () => {
    const app = await mountApp(null);
    applyMessage(app, { type: 'snapshot', snapshot: computingSnapshot(3) });
    expect(applyMessage(app, { type: 'withdraw', seq: 2 })).toBe(false);
    expect(app.snapshot?.seq).toBe(3);
    expect(applyMessage(app, { type: 'withdraw', seq: 3 })).toBe(true);
    expect(app.snapshot).toBeNull();
    // A finished snapshot is never withdrawn.
    applyMessage(app, { type: 'snapshot', snapshot: selectionSnapshot(SENTENCE, {}, 4) });
    expect(applyMessage(app, { type: 'withdraw', seq: 4 })).toBe(false);
    expect(app.snapshot?.seq).toBe(4);
  });
});
