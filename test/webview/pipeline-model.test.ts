/**
 * The pipeline of a real model's layer shows its family's own steps, with this run's shapes: the tiny checkpoints'
 * configurations (test/fixtures/models/*), six tokens. Names, shapes and sentences are literal per family.
 */
import { afterEach, describe, expect, it } from 'vitest';
import '../../webview/components/attn-pipeline';
import type { AttnPipeline } from '../../webview/components/attn-pipeline';
import { attentionHead } from '../../src/core/attention';
import { concatColumns } from '../../src/core/matrix';
import type { AttentionResult, ModelLayerSteps } from '../../src/shared/core';
import { applyTheme, cleanup, det, mount, seriousViolations, TOKENS } from './attn-fixtures';

afterEach(cleanup);

interface Family {
  readonly hidden: number;
  readonly heads: number;
  readonly kvHeads: number;
  readonly headDim: number;
  readonly steps: Omit<ModelLayerSteps, 'attentionNormed' | 'residualMid' | 'mlpNormed' | 'mlpOutput' | 'kvHeadOf' | 'kvHeads'>;
}

const FAMILIES: Record<string, Family> = {
  gpt2: { hidden: 32, heads: 2, kvHeads: 2, headDim: 16, steps: { family: 'gpt2', norm: 'LayerNorm', normEps: 1e-5, rotary: null, mlp: { activation: 'gelu_new', gated: false, width: 128 }, parallelResidual: false } },
  llama: { hidden: 32, heads: 4, kvHeads: 2, headDim: 16, steps: { family: 'llama', norm: 'RMSNorm', normEps: 1e-5, rotary: { dims: 16, headDim: 16, theta: 1000 }, mlp: { activation: 'silu', gated: true, width: 64 }, parallelResidual: false } },
  qwen2: { hidden: 32, heads: 2, kvHeads: 1, headDim: 16, steps: { family: 'qwen2', norm: 'RMSNorm', normEps: 1e-6, rotary: { dims: 16, headDim: 16, theta: 1000000 }, mlp: { activation: 'silu', gated: true, width: 64 }, parallelResidual: false } },
  gpt_neox: { hidden: 64, heads: 2, kvHeads: 2, headDim: 32, steps: { family: 'gpt_neox', norm: 'LayerNorm', normEps: 1e-5, rotary: { dims: 8, headDim: 32, theta: 2000 }, mlp: { activation: 'gelu', gated: false, width: 128 }, parallelResidual: true } },
};

/** One causal layer of six tokens in the family's shapes, its family steps filled with deterministic numbers. */
function modelResult(f: Family): AttentionResult {
  const T = TOKENS.length;
  const group = f.heads / f.kvHeads;
  const kvHeadOf = Array.from({ length: f.heads }, (_, h) => Math.floor(h / group));
  const k = Array.from({ length: f.kvHeads }, (_, g) => det(T, f.headDim, 200 + g));
  const v = Array.from({ length: f.kvHeads }, (_, g) => det(T, f.headDim, 300 + g));
  const heads = kvHeadOf.map((g, h) => ({ ...attentionHead(`L0H${h}`, det(T, f.headDim, 100 + h), k[g], v[g], { scale: true, mask: { kind: 'causal' }, temperature: 1 }) }));
  const concat = concatColumns(heads.map((h) => h.output!));
  const D = f.hidden;
  return {
    tokens: TOKENS, keyTokens: TOKENS,
    layers: [{
      input: det(T, D, 1), heads, concat, attentionOutput: det(T, D, 2), output: det(T, D, 3),
      model: {
        ...f.steps, kvHeadOf, kvHeads: f.kvHeads,
        attentionNormed: det(T, D, 4), residualMid: f.steps.parallelResidual ? null : det(T, D, 5), mlpNormed: det(T, D, 6), mlpOutput: det(T, D, 7),
      },
    }],
    options: { scale: true, mask: { kind: 'causal' }, temperature: 1 },
    cost: { computedPairs: 21, fullPairs: 36 },
    provenance: { kind: 'model', description: 'A tiny checkpoint.' },
  };
}

async function pipeline(family: string, head: number, activeToken: number | null = null): Promise<AttnPipeline> {
  const el = document.createElement('attn-pipeline');
  Object.assign(el, { result: modelResult(FAMILIES[family]), layer: 0, head, activeToken });
  return mount(el);
}

/** [id, name, shape] of every step, in order. */
function steps(el: AttnPipeline): string[][] {
  return [...el.shadowRoot!.querySelectorAll<HTMLElement>('li.step')].map((li) => [
    li.dataset.step!, li.querySelector('.name')!.textContent!.trim(), li.querySelector('.shape')!.textContent!.trim(),
  ]);
}

const explain = (el: AttnPipeline, id: string) => el.shadowRoot!.querySelector(`li[data-step="${id}"] .explain`)!.textContent!.trim();
const trace = (el: AttnPipeline, id: string) => el.shadowRoot!.querySelector(`li[data-step="${id}"] .trace`)?.textContent?.trim() ?? '';
const ATTENTION = (d: number) => [['scores', 'Q·Kᵀ', '6×6'], ['scaled', '÷√d_k', '6×6'], ['mask', 'mask', '6×6'], ['weights', 'softmax', '6×6'], ['z', '·V → Z', `6×${d}`]];

describe('attn-pipeline on a real model’s layer', () => {
  it('GPT-2: LayerNorm, learned positions, GELU (tanh) MLP, two residual adds', async () => {
    const el = await pipeline('gpt2', 1);
    expect(steps(el)).toEqual([
      ['x', 'X (residual stream)', '6×32'], ['norm1', 'LayerNorm', '6×32'],
      ['wq', 'W_Q', '32×16'], ['wk', 'W_K', '32×16'], ['wv', 'W_V', '32×16'],
      ['q', 'Q', '6×16'], ['k', 'K', '6×16'], ['v', 'V', '6×16'], ...ATTENTION(16),
      ['concat', 'concat (2 heads)', '6×32'], ['wo', '·W_O', '6×32'],
      ['add1', 'X + attention', '6×32'], ['norm2', 'LayerNorm', '6×32'], ['mlp', 'MLP (gelu_new)', '6×32'], ['add2', '+ MLP', '6×32'],
    ]);
    expect(explain(el, 'x')).toBe("Each token's row of the embedding table, plus its learned position row: the residual stream entering layer 0.");
    expect(explain(el, 'norm1')).toBe('Each row is shifted to mean 0 and scaled to variance 1 (ε = 0.00001), then multiplied by a learned gain and shifted by a learned bias. Q, K and V are made from this.');
    expect(explain(el, 'wq')).toBe('A learned matrix that turns each row of LayerNorm(X) into a query.');
    expect(explain(el, 'mlp')).toBe('Each token on its own: GELU (tanh approximation, gelu_new) of x·W_in + b, 128 wide, then ·W_out + b back to 32.');
    expect(explain(el, 'add2')).toBe("Residual add: the MLP's output is added to X + attention: what layer 1 (or the final norm) reads.");
  });

  it('Llama: RMSNorm, RoPE over all 16 dims with θ = 1000, 4 query heads on 2 key/value heads, SwiGLU', async () => {
    const el = await pipeline('llama', 3, 2);
    expect(steps(el)).toEqual([
      ['x', 'X (residual stream)', '6×32'], ['norm1', 'RMSNorm', '6×32'],
      ['wq', 'W_Q', '32×16'], ['wk', 'W_K (kv head 1)', '32×16'], ['wv', 'W_V (kv head 1)', '32×16'],
      ['rope', 'RoPE (16 of 16 dims, θ = 1000)', '6×8'],
      ['q', 'Q (after RoPE)', '6×16'], ['k', 'K (after RoPE), kv head 1', '6×16'], ['v', 'V, kv head 1', '6×16'], ...ATTENTION(16),
      ['concat', 'concat (4 heads)', '6×64'], ['wo', '·W_O', '6×32'],
      ['add1', 'X + attention', '6×32'], ['norm2', 'RMSNorm', '6×32'], ['mlp', 'MLP (SwiGLU)', '6×32'], ['add2', '+ MLP', '6×32'],
    ]);
    expect(explain(el, 'x')).toBe("Each token's row of the embedding table: the residual stream entering layer 0.");
    expect(explain(el, 'norm1')).toBe('Each row is divided by its root mean square (ε = 0.00001), then multiplied by a learned gain; no mean is removed, no bias added. Q, K and V are made from this.');
    expect(explain(el, 'k')).toBe('Keys: how each token describes itself to the queries. Grouped-query attention: 4 query heads share 2 key/value heads, 2 per key/value head; L0H3 reads key/value head 1, shared by L0H2, L0H3.');
    expect(explain(el, 'rope')).toBe("Rotary positions: in every query and key row, column i and column i + 8 (i < 8) are rotated together by the angle position × 1000^(−2i/16). Shown: each position's 8 angles, in radians.");
    // Token 2's angles: 2 · 1000^(−i/8) for i = 0, 1, 2, 3, …
    expect(trace(el, 'rope')).toBe('row 3: [2.000, 0.843, 0.356, 0.150, …]');
    expect(explain(el, 'mlp')).toBe('Each token on its own: SiLU(x·W_gate) ⊙ (x·W_up), 64 wide, then ·W_down back to 32.');
  });

  it('Llama: head L0H0 reads key/value head 0', async () => {
    const el = await pipeline('llama', 0);
    expect(steps(el).slice(3, 9).map((s) => s[1])).toEqual(['W_K (kv head 0)', 'W_V (kv head 0)', 'RoPE (16 of 16 dims, θ = 1000)', 'Q (after RoPE)', 'K (after RoPE), kv head 0', 'V, kv head 0']);
  });

  it('Qwen2: RMSNorm, RoPE with θ = 1000000, both query heads on one key/value head', async () => {
    const el = await pipeline('qwen2', 1);
    expect(steps(el).map((s) => s[1])).toEqual([
      'X (residual stream)', 'RMSNorm', 'W_Q', 'W_K (kv head 0)', 'W_V (kv head 0)', 'RoPE (16 of 16 dims, θ = 1000000)',
      'Q (after RoPE)', 'K (after RoPE), kv head 0', 'V, kv head 0', 'Q·Kᵀ', '÷√d_k', 'mask', 'softmax', '·V → Z',
      'concat (2 heads)', '·W_O', 'X + attention', 'RMSNorm', 'MLP (SwiGLU)', '+ MLP',
    ]);
    expect(explain(el, 'k')).toContain('2 query heads share 1 key/value head, 2 per key/value head; L0H1 reads key/value head 0, shared by L0H0, L0H1.');
    expect(explain(el, 'norm1')).toContain('(ε = 0.000001)');
  });

  it('GPT-NeoX: partial RoPE (8 of 32 dims, θ = 2000), exact GELU, one parallel residual add', async () => {
    const el = await pipeline('gpt_neox', 0, 5);
    expect(steps(el)).toEqual([
      ['x', 'X (residual stream)', '6×64'], ['norm1', 'LayerNorm', '6×64'],
      ['wq', 'W_Q', '64×32'], ['wk', 'W_K', '64×32'], ['wv', 'W_V', '64×32'],
      ['rope', 'RoPE (8 of 32 dims, θ = 2000)', '6×4'],
      ['q', 'Q (after RoPE)', '6×32'], ['k', 'K (after RoPE)', '6×32'], ['v', 'V', '6×32'], ...ATTENTION(32),
      ['concat', 'concat (2 heads)', '6×64'], ['wo', '·W_O', '6×64'],
      ['norm2', "LayerNorm (MLP's own)", '6×64'], ['mlp', 'MLP (gelu)', '6×64'], ['add', 'X + attention + MLP', '6×64'],
    ]);
    expect(explain(el, 'rope')).toContain('; the other 24 columns pass unrotated.');
    // Token 5's angles: 5 · 2000^(−2i/8) for i = 0…3.
    expect(trace(el, 'rope')).toBe('row 6: [5.000, 0.748, 0.112, 0.017]');
    expect(explain(el, 'norm2')).toContain('Parallel residual: the MLP reads X itself, the same X attention read, not X + attention.');
    expect(explain(el, 'mlp')).toBe('Each token on its own: exact GELU (erf) of x·W_in + b, 128 wide, then ·W_out + b back to 64.');
    expect(explain(el, 'add')).toBe('Parallel residual (GPT-NeoX): both branches are added to X in one step: what layer 1 (or the final norm) reads.');
  });

  it('every family step draws its matrix and traces the hovered token’s values', async () => {
    const el = await pipeline('llama', 2, 4);
    for (const id of ['norm1', 'rope', 'add1', 'norm2', 'mlp', 'add2']) {
      const canvas = el.shadowRoot!.querySelector<HTMLCanvasElement>(`canvas[data-step="${id}"]`);
      expect(canvas?.width, id).toBeGreaterThan(0);
      expect(trace(el, id), id).toMatch(/^row 5: \[-?\d\.\d{3}, /);
    }
    const mlp = modelResult(FAMILIES.llama).layers[0].model!.mlpOutput!;
    expect(trace(el, 'mlp')).toBe(`row 5: [${[...mlp.data.subarray(4 * 32, 4 * 32 + 4)].map((x) => x.toFixed(3).replace(/^-0\.000$/, '0.000')).join(', ')}, …]`);
  });

  for (const theme of ['dark', 'light', 'high-contrast'] as const) {
    it(`has no serious or critical axe violations with the family steps (${theme})`, async () => {
      applyTheme(theme);
      expect(await seriousViolations(await pipeline('gpt_neox', 1, 3))).toEqual([]);
    });
  }
});
