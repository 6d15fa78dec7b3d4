/** Fixtures for the shell tests (app, token view, export, a11y, security): real core results. */
import { buildSelectionSpec, evaluate } from '../../src/core';
import { DEFAULT_COMPUTE_SETTINGS } from '../../src/shared/settings';
import { embedTokens } from '../../src/core/embed';
import type { AttentionResult, ComputeSpec } from '../../src/core/types';
import type { ComputeSettings, Snapshot } from '../../src/shared/protocol';
import '../../webview/components/attn-app';
import type { AttnApp } from '../../webview/components/attn-app';
import { DEFAULT_UI } from '../../src/shared/uiState';

export const SENTENCE = "The animal didn't cross the street because it was too tired.";

export function settings(patch: Partial<ComputeSettings> = {}): ComputeSettings {
  return { ...DEFAULT_COMPUTE_SETTINGS, ...patch };
}

export function selectionSnapshot(text = SENTENCE, patch: Partial<ComputeSettings> = {}, seq = 1): Snapshot {
  const s = settings(patch);
  const { spec, tokens } = buildSelectionSpec(text, s);
  return {
    seq,
    source: {
      kind: 'selection',
      ref: { kind: 'selection', uri: 'file:///story.md', start: 0, end: text.length },
      label: 'story.md, line 1',
      tokenRanges: tokens.map((t) => [t.start, t.end] as const),
    },
    result: evaluate(spec),
    settings: s,
    followSelection: true,
    warnings: [],
  };
}

/** A result for arbitrary token strings (not produced by a tokenizer), with random layers. */
export function resultFor(tokens: readonly string[], heads = 4, layers = 1): AttentionResult {
  const base = buildSelectionSpec('a b', settings({ heads, layers, dModel: 16, dK: 4 })).spec;
  const spec: ComputeSpec = { ...base, tokens, embeddings: embedTokens(tokens, 16, true) };
  return evaluate(spec);
}

export function fileSnapshot(result: AttentionResult, label = 'model.attention.json', seq = 1): Snapshot {
  return { seq, source: { kind: 'file', ref: { kind: 'file', uri: `file:///${label}` }, label }, result, warnings: [] };
}

export async function mountApp(snapshot: Snapshot | null, width = 1000): Promise<AttnApp> {
  const app = document.createElement('attn-app');
  app.style.width = `${width}px`;
  app.ui = { ...DEFAULT_UI };
  app.snapshot = snapshot;
  document.body.append(app);
  await settle(app);
  return app;
}

/** Waits for the app and every Lit element below it to finish rendering. */
export async function settle(root: Element): Promise<void> {
  for (let pass = 0; pass < 3; pass++) {
    const els = deepAll(root, '*').filter((e): e is Element & { updateComplete: Promise<unknown> } => 'updateComplete' in e);
    if ('updateComplete' in root) els.unshift(root as Element & { updateComplete: Promise<unknown> });
    await Promise.all(els.map((e) => e.updateComplete));
  }
  await new Promise((r) => requestAnimationFrame(() => r(null)));
}

/** querySelectorAll that also looks inside open shadow roots. */
export function deepAll(root: Element | ShadowRoot | Document, selector: string): Element[] {
  const out: Element[] = [];
  const visit = (node: Element | ShadowRoot | Document): void => {
    for (const el of node.querySelectorAll('*')) {
      if (el.matches(selector)) out.push(el);
      if (el.shadowRoot) visit(el.shadowRoot);
    }
  };
  if (root instanceof Element && root.shadowRoot) visit(root.shadowRoot);
  visit(root);
  return out;
}

export function deep<T extends Element = HTMLElement>(root: Element, selector: string): T {
  const el = deepAll(root, selector)[0];
  if (!el) throw new Error(`not found: ${selector}`);
  return el as T;
}

export function tokenView(app: AttnApp) {
  const view = deep<HTMLElement & import('../../webview/components/attn-token-view').AttnTokenView>(app, 'attn-token-view');
  const root = view.shadowRoot as ShadowRoot;
  return {
    view,
    query: (i: number) => root.querySelector(`.tok[data-col="q"][data-index="${i}"]`) as HTMLElement,
    key: (j: number) => root.querySelector(`.tok[data-col="k"][data-index="${j}"]`) as HTMLElement,
    lines: () => [...root.querySelectorAll('svg.lines line')] as SVGLineElement[],
  };
}

export function cleanup(): void {
  document.body.replaceChildren();
}
