/**
 * The forward pass's building blocks on values worked by hand or from tables: erf and the four activations (relu is
 * in no tiny checkpoint), RoPE's frequencies, angles and rotation, the norms, a biased projection, and a family's steps.
 */
import { describe, expect, it } from 'vitest';
import { fromRows, layerSteps, parseModelConfig, type ModelLayerResult } from '../../../src/core';
import { activate, addInPlace, applyRope, copyMatrix, erf, layerNormAffine, project, rmsNorm } from '../../../src/core/model/ops';
import { ropeAngles, ropeInverseFrequencies } from '../../../src/core/model/rope';

const row = (values: number[]) => fromRows([values]);

describe('erf and the activations', () => {
  it('erf against Abramowitz & Stegun\'s table (within the fit\'s 1.2e-7), odd', () => {
    expect(erf(0)).toBeCloseTo(0, 7);
    expect(erf(0.5)).toBeCloseTo(0.5204998778, 7);
    expect(erf(1)).toBeCloseTo(0.8427007929, 7);
    expect(erf(2)).toBeCloseTo(0.9953222650, 7);
    expect(erf(-1)).toBeCloseTo(-0.8427007929, 7);
    expect(erf(-0.5)).toBeCloseTo(-0.5204998778, 7);
  });

  it('gelu_new (tanh), gelu (erf), silu and relu at −1, 0, 1 and 2', () => {
    const at = (kind: Parameters<typeof activate>[1]) => {
      const m = row([-1, 0, 1, 2]);
      activate(m, kind);
      return [...m.data];
    };
    const tanhGelu = (x: number) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));
    at('gelu_new').forEach((v, i) => expect(v).toBeCloseTo(Math.fround(tanhGelu([-1, 0, 1, 2][i])), 6));
    expect(at('gelu_new')[2]).toBeCloseTo(0.841192, 6);
    // Exact GELU: x·Φ(x); Φ(1) = 0.8413447461, Φ(2) = 0.9772498681, Φ(−1) = 0.1586552539.
    expect(at('gelu')).toEqual([-0.1586552539, 0, 0.8413447461, 2 * 0.9772498681].map((v) => expect.closeTo(v, 6)));
    expect(at('silu')).toEqual([-1 / (1 + Math.E), 0, 1 / (1 + Math.exp(-1)), 2 / (1 + Math.exp(-2))].map((v) => expect.closeTo(v, 6)));
    expect(at('relu')).toEqual([0, 0, 1, 2]);
  });
});

describe('RoPE', () => {
  it('frequencies θ^(−2i/dims) and angles t·freq', () => {
    expect([...ropeInverseFrequencies(4, 100)]).toEqual([1, 0.1]);
    expect([...ropeInverseFrequencies(6, 1000)]).toEqual([1, 0.1, 0.01].map((v) => expect.closeTo(v, 12)));
    const angles = ropeAngles(3, 4, 100);
    expect([angles.rows, angles.cols]).toEqual([3, 2]);
    expect([...angles.data]).toEqual([0, 0, 1, 0.1, 2, 0.2].map((v) => expect.closeTo(v, 6)));
  });

  it('rotates column i with column i + dims/2 by t·freq_i, and leaves the other columns alone', () => {
    // dims 4 of head_dim 5, θ 100: pair 0 turns by t rad, pair 1 by 0.1·t; column 4 is not rotated.
    const x = fromRows([[1, 2, 3, 4, 5], [1, 2, 3, 4, 5]]);
    applyRope(x, 4, 100);
    expect([...x.data.subarray(0, 5)]).toEqual([1, 2, 3, 4, 5]);
    const [c0, s0, c1, s1] = [Math.cos(1), Math.sin(1), Math.cos(0.1), Math.sin(0.1)];
    expect([...x.data.subarray(5)]).toEqual([1 * c0 - 3 * s0, 2 * c1 - 4 * s1, 3 * c0 + 1 * s0, 4 * c1 + 2 * s1, 5].map((v) => expect.closeTo(v, 5)));
  });
});

describe('norms and projections', () => {
  it('LayerNorm: (x − mean) / √(var + ε) · w + b, population variance, per row', () => {
    // Rows [0, 0, 3] and [3, 0, 0]: mean 1, variance 2; with ε 2 the root is 2, so x̂ = [−½, −½, 1] and [1, −½, −½].
    const out = layerNormAffine(fromRows([[0, 0, 3], [3, 0, 0]]), Float32Array.from([2, 1, 1]), Float32Array.from([0.5, -1, 0]), 2);
    expect([...out.data]).toEqual([-0.5, -1.5, 1, 2.5, -1.5, -0.5]);
  });

  it('RMSNorm: x / √(mean(x²) + ε) · w, per row', () => {
    // Row [3, 4]: mean square 12.5; with ε 3.5 the root is 4.
    const out = rmsNorm(fromRows([[3, 4], [0, 0]]), Float32Array.from([2, 0.5]), 3.5);
    expect([...out.data]).toEqual([1.5, 0.5, 0, 0]);
  });

  it('x·W + b for [in, out], x·Wᵀ + b for [out, in]', () => {
    const x = fromRows([[1, 2], [3, 4]]);
    const w = Float32Array.from([1, 0, 2, 0, 1, 1]); // [in 2, out 3]
    expect([...project(x, w, 3, false, Float32Array.from([10, 20, 30])).data]).toEqual([11, 22, 34, 13, 24, 40]);
    const wt = Float32Array.from([1, 0, 0, 1, 2, 1]); // [out 3, in 2]
    expect([...project(x, wt, 3, true).data]).toEqual([1, 2, 4, 3, 4, 10]);
  });

  it('adds in place and copies', () => {
    const a = row([1, 2]);
    const copy = copyMatrix(a);
    addInPlace(a, row([0.5, -2]));
    expect([...a.data, ...copy.data]).toEqual([1.5, 0, 1, 2]);
  });
});

describe('layerSteps', () => {
  const layer = { attentionNormed: row([1]), kvHeadOf: [0], residualMid: row([2]), mlpNormed: row([3]), mlpOutput: row([4]) } as unknown as ModelLayerResult;

  it('gpt2: LayerNorm, no rotary, an ungated MLP, the sequential residual\'s middle', () => {
    const config = parseModelConfig(JSON.stringify({ model_type: 'gpt2', n_layer: 1, n_head: 1, n_embd: 4, vocab_size: 10 }));
    expect(layerSteps(config, layer)).toEqual({
      family: 'gpt2', norm: 'LayerNorm', normEps: 1e-5, attentionNormed: layer.attentionNormed, rotary: null, kvHeadOf: [0], kvHeads: 1,
      mlp: { activation: 'gelu_new', gated: false, width: 16 }, parallelResidual: false, residualMid: layer.residualMid, mlpNormed: layer.mlpNormed, mlpOutput: layer.mlpOutput,
    });
  });

  it('qwen2: RMSNorm, rotary over the head, a gated MLP; gpt_neox: no middle with a parallel residual', () => {
    const qwen = parseModelConfig(JSON.stringify({ model_type: 'qwen2', num_hidden_layers: 1, hidden_size: 8, num_attention_heads: 2, intermediate_size: 16, vocab_size: 10 }));
    expect(layerSteps(qwen, layer)).toMatchObject({ norm: 'RMSNorm', rotary: { dims: 4, headDim: 4, theta: 10000 }, mlp: { activation: 'silu', gated: true, width: 16 } });
    const neox = parseModelConfig(JSON.stringify({ model_type: 'gpt_neox', num_hidden_layers: 1, hidden_size: 16, num_attention_heads: 2, vocab_size: 10 }));
    expect(layerSteps(neox, layer)).toMatchObject({ norm: 'LayerNorm', parallelResidual: true, residualMid: null, mlp: { gated: false } });
  });
});
