/** Shared fixtures for the matrix, pipeline and head-grid tests: real core results from handmade specs. */
import { evaluate } from '../../src/core/evaluate';
import { parseTensorFile } from '../../src/core/tensorFile';
import type { Matrix } from '../../src/core/matrix';
import axe from 'axe-core';
import { THEME_PRESETS, type ThemeName } from '../../webview/theme';
import type { AttnMatrix } from '../../webview/components/attn-matrix';
import type { Rgb } from '../../webview/render/colour-scale';
import type { AttentionOptions, AttentionResult, ComputeSpec, MaskSpec, PrecomputedSpec } from '../../src/core/types';

/** Colour of `<attn-matrix>`'s base canvas near the top-left corner of cell (i, j), away from value text and hatching. */
export function pixel(el: AttnMatrix, i: number, j: number): Rgb {
  const base = el.shadowRoot!.querySelector('canvas.base') as HTMLCanvasElement;
  const c = el.cellCenter(i, j);
  const s = el.cellSize;
  const off = s >= 8 ? Math.min(3, s * 0.2) - s / 2 : 0;
  const dpr = base.width / parseFloat(base.style.width);
  const ctx = base.getContext('2d') as CanvasRenderingContext2D;
  const d = ctx.getImageData(Math.floor((c.x + off) * dpr), Math.floor((c.y + off) * dpr), 1, 1).data;
  return [d[0], d[1], d[2]];
}

/** Sum of each row. */
export function rowSums(m: Matrix): number[] {
  const out: number[] = [];
  for (let i = 0; i < m.rows; i++) {
    let s = 0;
    for (let j = 0; j < m.cols; j++) s += m.data[i * m.cols + j];
    out.push(s);
  }
  return out;
}

/** Deterministic pseudo-random matrix with entries in [-1, 1]. */
export function det(rows: number, cols: number, seed: number): Matrix {
  const data = new Float32Array(rows * cols);
  let s = seed >>> 0 || 1;
  for (let p = 0; p < data.length; p++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[p] = (s / 0xffffffff) * 2 - 1;
  }
  return { rows, cols, data };
}

export const TOKENS = ['The', ' cat', ' sat', ' on', ' the', ' mat'];

export function computeResult(opts: Partial<AttentionOptions> = {}, heads = 2, dK = 3, encoder = true): AttentionResult {
  const dModel = 4;
  const n = TOKENS.length;
  const options: AttentionOptions = { scale: true, mask: { kind: 'causal' }, temperature: 1.5, ...opts };
  const spec: ComputeSpec = {
    kind: 'compute',
    tokens: TOKENS,
    options,
    provenance: { kind: 'random', description: 'Test weights.' },
    embeddings: det(n, dModel, 7),
    layers: [
      {
        heads: Array.from({ length: heads }, (_, h) => ({
          name: `h${h}`,
          wq: det(dModel, dK, 11 + h),
          wk: det(dModel, dK, 23 + h),
          wv: det(dModel, dK, 37 + h),
        })),
        wo: det(heads * dK, dModel, 41),
        ffn: encoder ? { w1: det(dModel, 8, 43), b1: new Float32Array(8).fill(0.1), w2: det(8, dModel, 47), b2: new Float32Array(dModel) } : undefined,
      },
    ],
  };
  return evaluate(spec);
}

/** A result whose single head is given directly as Q, K, V of n tokens (for big-N tests). */
export function bigResult(n: number, mask: MaskSpec = { kind: 'causal' }, d = 16): AttentionResult {
  const tokens = Array.from({ length: n }, (_, i) => `t${i}`);
  const spec: ComputeSpec = {
    kind: 'compute',
    tokens,
    options: { scale: true, mask, temperature: 1 },
    provenance: { kind: 'random', description: 'Big test.' },
    layers: [{ heads: [{ name: 'big', query: det(n, d, 3), key: det(n, d, 5), value: det(n, d, 9) }] }],
  };
  return evaluate(spec);
}

/** Precomputed weights (as from a model export): no Q, K, V. */
export function precomputedResult(layers = 2, heads = 3): AttentionResult {
  const n = 5;
  const tokens = ['a', 'b', 'c', 'd', 'e'];
  const attention: Matrix[][] = [];
  for (let l = 0; l < layers; l++) {
    const row: Matrix[] = [];
    for (let h = 0; h < heads; h++) {
      const m = det(n, n, 100 + l * 10 + h);
      // causal softmax-ish rows: exp, masked, normalised
      for (let i = 0; i < n; i++) {
        let sum = 0;
        for (let j = 0; j < n; j++) {
          const v = j <= i ? Math.exp(m.data[i * n + j] * (1 + h * 2)) : 0;
          m.data[i * n + j] = v;
          sum += v;
        }
        for (let j = 0; j < n; j++) m.data[i * n + j] /= sum;
      }
      row.push(m);
    }
    attention.push(row);
  }
  const spec: PrecomputedSpec = {
    kind: 'precomputed',
    tokens,
    options: { scale: 1, mask: { kind: 'causal' }, temperature: 1 },
    provenance: { kind: 'model', description: 'Fake model export.' },
    attention,
  };
  return evaluate(spec);
}

export async function mount<T extends HTMLElement & { updateComplete: Promise<boolean> }>(el: T): Promise<T> {
  document.body.appendChild(el);
  await el.updateComplete;
  await new Promise((r) => requestAnimationFrame(() => r(null)));
  await el.updateComplete;
  return el;
}

export function cleanup(): void {
  document.body.replaceChildren();
}

/** Sets the VS Code theme variables of a preset on the document, as the webview host would. */
export function applyTheme(name: ThemeName): void {
  const vars = THEME_PRESETS[name];
  for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty(`--vscode-${k}`, v);
  document.body.style.background = vars['editor-background'] ?? '';
  document.body.style.color = vars['foreground'] ?? '';
}

export function at(m: Matrix, i: number, j: number): number {
  return m.data[i * m.cols + j];
}

/** Runs axe-core on an element and returns serious/critical violations. */
export async function seriousViolations(el: Element): Promise<{ id: string; impact?: string | null; help: string }[]> {
  const res = await axe.run(el, { resultTypes: ['violations'] });
  return res.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help }));
}

/** Evaluates one of the shipped examples (imported as JSON, re-serialised for the real parser). */
export function exampleResult(json: unknown): AttentionResult {
  const r = parseTensorFile(JSON.stringify(json));
  if (!r.ok) throw new Error(r.problems.map((p) => p.message).join('\n'));
  return evaluate(r.spec);
}

/** A matrix from its values, row by row. */
export const matrixOf = (rows: number, cols: number, values: number[]): Matrix => ({ rows, cols, data: Float32Array.from(values) });

/** Every pixel of a raster or canvas as [r, g, b, a], row by row. */
export function rasterPixels(raster: OffscreenCanvas | HTMLCanvasElement): number[][] {
  const ctx = raster.getContext('2d') as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;
  const data = ctx.getImageData(0, 0, raster.width, raster.height).data;
  const out: number[][] = [];
  for (let p = 0; p < data.length; p += 4) out.push([data[p], data[p + 1], data[p + 2], data[p + 3]]);
  return out;
}
