import { afterEach, describe, expect, it } from 'vitest';
import type { FromWebview, NextTokens, Snapshot } from '../../src/shared/protocol';
import { applyMessage, connectHost } from '../../webview/host';
import { tokenText } from '../../webview/token-text';
import { cleanup, deep, mountApp, resultFor, settle, tokenView } from './app-fixtures';

afterEach(cleanup);

const TOKENS = ['The', ' cat', ' sat'];

function top(position: number, words: readonly string[]): NextTokens {
  let left = 1;
  return { position, top: words.map((text, id) => ({ id, text, probability: (left /= 2) })) };
}

/** A model result as the host sends it: heads named L0H0…, provenance "model", next tokens for the last position. */
function modelSnapshot(): Snapshot {
  const result = resultFor(TOKENS, 2, 2);
  return {
    seq: 1,
    source: { kind: 'selection', ref: { kind: 'selection', uri: 'file:///story.md', start: 0, end: 11 }, label: 'story.md, line 1', tokenRanges: [[0, 3], [3, 7], [7, 11]] },
    result: { ...result, provenance: { kind: 'model', description: 'GPT-2 (36K) from ~/…/tiny/gpt2: learned weights (F32).' } },
    warnings: [],
    nextTokens: top(2, [' on', ' down', 'Ġthere']),
  };
}

function rows(app: HTMLElement): string[][] {
  const list = deep(app, 'attn-next-tokens');
  return [...list.shadowRoot!.querySelectorAll('li')].map((li) => [...li.querySelectorAll('span')].map((s) => s.textContent!.trim()).filter(Boolean));
}

describe('attn-next-tokens in the app', () => {
  it('lists the last position’s next tokens with their probabilities and names the token', async () => {
    const app = await mountApp(modelSnapshot());
    expect(rows(app)).toEqual([[tokenText(' on'), '50.0%'], [tokenText(' down'), '25.0%'], [tokenText('Ġthere'), '12.5%']].map(([t, p]) => [t.trim(), p]));
    expect(deep(app, 'attn-next-tokens').shadowRoot!.querySelector('h2')?.textContent).toMatch(/Next token after\s+“.*sat”\s+\(position 2\)/);
    expect((app.shadowRoot!.querySelector('[data-provenance]') as HTMLElement).textContent?.trim()).toBe('GPT-2 (36K) from ~/…/tiny/gpt2: learned weights (F32).');
  });

  it('asks the host for a hovered token’s list once and shows it when it arrives', async () => {
    const app = await mountApp(modelSnapshot());
    const sent: FromWebview[] = [];
    connectHost(app, (m) => sent.push(m));
    tokenView(app).query(0).dispatchEvent(new MouseEvent('mouseenter', { bubbles: true, composed: true }));
    await settle(app);
    expect(sent.filter((m) => m.type === 'nextTokens')).toEqual([{ type: 'nextTokens', position: 0 }]);
    expect(applyMessage(app, { type: 'nextTokens', nextTokens: top(0, [' dog']) })).toBe(true);
    await settle(app);
    expect(rows(app)).toEqual([[tokenText(' dog').trim(), '50.0%']]);
  });

  it('refuses malformed next-token messages', async () => {
    const app = await mountApp(modelSnapshot());
    expect(applyMessage(app, { type: 'nextTokens', nextTokens: { position: -1, top: [] } })).toBe(false);
    expect(applyMessage(app, { type: 'nextTokens', nextTokens: { position: 0, top: [{ id: 1, text: 'x', probability: 2 }] } })).toBe(false);
  });

  it('names heads L0H0… in the head picker, the grid and the pipeline title', async () => {
    const app = await mountApp(modelSnapshot());
    const controls = deep(app, 'attn-controls');
    const options = [...controls.shadowRoot!.querySelectorAll('#head vscode-option')].map((o) => o.textContent?.trim());
    expect(options).toEqual(['L0H0', 'L0H1']);
    const layers = [...controls.shadowRoot!.querySelectorAll('#layer vscode-option')].map((o) => o.textContent?.trim());
    expect(layers).toEqual(['Layer 0', 'Layer 1']);
    app.setUi({ view: 'grid' });
    await settle(app);
    const names = [...deep(app, 'attn-head-grid').shadowRoot!.querySelectorAll('.card .name')].map((n) => n.textContent?.trim());
    expect(names).toEqual(['L0H0', 'L0H1', 'L1H0', 'L1H1']);
    app.setUi({ view: 'pipeline', layer: 1, head: 1 });
    await settle(app);
    expect(deep(app, 'attn-pipeline').shadowRoot!.querySelector('h2')?.textContent).toMatch(/^L1H1: how the numbers flow/);
  });
});
