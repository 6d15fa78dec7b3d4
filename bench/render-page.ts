// Page side of bench/render.mjs: mounts <attn-matrix> with synthetic N×N results and times first paint and hover.
import '../webview/components/attn-matrix';
import type { AttnMatrix } from '../webview/components/attn-matrix';
import type { AttentionResult, Matrix } from '../src/core';
import { mulberry32 as random } from '../src/core/random';

function matrix(rows: number, cols: number, data = new Float32Array(rows * cols)): Matrix {
  return { rows, cols, data };
}

/** A causal single-head result whose scores, scaled scores and weights are consistent (softmax of scaled). */
function synthetic(n: number, seed: number): AttentionResult {
  const r = random(seed);
  const d = 16;
  const q = matrix(n, d);
  const k = matrix(n, d);
  const v = matrix(n, d);
  for (const m of [q, k, v]) for (let p = 0; p < m.data.length; p++) m.data[p] = r() * 2 - 1;
  const scores = matrix(n, n);
  const scaled = matrix(n, n);
  const weights = matrix(n, n);
  const scale = 1 / Math.sqrt(d);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j <= i; j++) {
      const s = (r() * 2 - 1) * 4;
      scores.data[i * n + j] = s;
      scaled.data[i * n + j] = s * scale;
      sum += Math.exp(s * scale);
    }
    for (let j = 0; j <= i; j++) weights.data[i * n + j] = Math.exp(scaled.data[i * n + j]) / sum;
    for (let j = i + 1; j < n; j++) {
      const s = (r() * 2 - 1) * 4;
      scores.data[i * n + j] = s;
      scaled.data[i * n + j] = -Infinity;
    }
  }
  const output = matrix(n, d);
  const tokens = Array.from({ length: n }, (_, i) => `tok${i}`);
  return {
    tokens,
    keyTokens: tokens,
    options: { scale: true, mask: { kind: 'causal' }, temperature: 1 },
    cost: { computedPairs: (n * (n + 1)) / 2, fullPairs: n * n },
    provenance: { kind: 'random', description: 'synthetic benchmark data' },
    layers: [{ input: null, heads: [{ name: 'head 1', q, k, v, scores, scaled, weights, output, scale }], concat: null, attentionOutput: null, output: null }],
  };
}

const nextFrame = () => new Promise<number>((resolve) => requestAnimationFrame(() => resolve(performance.now())));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

export interface RenderTimes {
  n: number;
  /** Setting `result` until updateComplete (canvas drawn), median. */
  paintDrawnMs: number;
  /** Setting `result` until the requestAnimationFrame after updateComplete, median. */
  firstPaintMs: number;
  /** Fastest first paint / drawn (less sensitive to other load on the machine). */
  firstPaintMinMs: number;
  paintDrawnMinMs: number;
  /** pointermove over a cell until updateComplete (overlay and tooltip drawn), median over many cells. */
  hoverDrawnMs: number;
  hoverP95Ms: number;
  /** pointermove until the next animation frame. */
  hoverFrameMs: number;
  paints: number;
  hovers: number;
}

async function run(n: number, paints: number, hovers: number): Promise<RenderTimes> {
  const host = document.getElementById('host') as HTMLElement;
  const drawn: number[] = [];
  const painted: number[] = [];
  let el: AttnMatrix | null = null;
  for (let rep = 0; rep < paints; rep++) {
    el?.remove();
    el = document.createElement('attn-matrix');
    el.kind = 'weights';
    host.append(el);
    await el.updateComplete;
    await nextFrame();
    const result = synthetic(n, 1000 + rep); // fresh matrices: nothing cached
    await nextFrame();
    const t0 = performance.now();
    el.result = result;
    await el.updateComplete;
    drawn.push(performance.now() - t0);
    painted.push((await nextFrame()) - t0);
  }
  const m = el as AttnMatrix;
  const canvas = m.shadowRoot?.querySelector('canvas.base') as HTMLCanvasElement;
  const viewport = m.shadowRoot?.querySelector('.viewport') as HTMLElement;
  const rect = canvas.getBoundingClientRect();
  const r = random(7);
  const hoverDrawn: number[] = [];
  const hoverFrame: number[] = [];
  for (let h = 0; h < hovers; h++) {
    const i = Math.floor(r() * n);
    const j = Math.floor(r() * n);
    const c = m.cellCenter(i, j);
    await nextFrame();
    const t0 = performance.now();
    viewport.dispatchEvent(new PointerEvent('pointermove', { clientX: rect.left + c.x, clientY: rect.top + c.y, bubbles: true, composed: true, pointerId: 1 }));
    await m.updateComplete;
    hoverDrawn.push(performance.now() - t0);
    hoverFrame.push((await nextFrame()) - t0);
  }
  const sorted = [...hoverDrawn].sort((a, b) => a - b);
  return {
    n,
    paintDrawnMs: median(drawn),
    firstPaintMs: median(painted),
    firstPaintMinMs: Math.min(...painted),
    paintDrawnMinMs: Math.min(...drawn),
    hoverDrawnMs: median(hoverDrawn),
    hoverP95Ms: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))],
    hoverFrameMs: median(hoverFrame),
    paints,
    hovers,
  };
}

(window as unknown as { runBench: typeof run }).runBench = run;

/** Where first-paint time goes (diagnostics for bench/render.mjs --profile): wraps the component's private steps. */
(window as unknown as { profileSteps: (n: number) => Promise<Record<string, number>> }).profileSteps = async (n: number) => {
  const proto = customElements.get('attn-matrix')!.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
  const spent: Record<string, number> = {};
  for (const name of ['willUpdate', 'fit', 'updated', 'render']) {
    const original = proto[name];
    proto[name] = function (this: unknown, ...a: unknown[]) {
      const t = performance.now();
      try {
        return original.apply(this, a);
      } finally {
        spent[name] = (spent[name] ?? 0) + performance.now() - t;
      }
    };
  }
  await run(n, 3, 0).catch(() => undefined);
  for (const k of Object.keys(spent)) spent[k] /= 3;
  return spent;
};
