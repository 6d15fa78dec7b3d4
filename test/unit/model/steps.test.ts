/**
 * Each family's steps around attention, as the pipeline view gets them from a real run of the tiny checkpoints:
 * the norm, RoPE's dims and θ, which key/value head each query head reads, the MLP, and residual adds that add up.
 */
import { describe, expect, it } from 'vitest';
import { layerSteps, loadModel, runModel, type Matrix, type ModelFamily } from '../../../src/core';
import { folderInput, golden } from './fixtures';

function run(family: ModelFamily) {
  const model = loadModel(folderInput(family));
  const g = golden(family);
  const result = runModel(model, { ids: g.ids, prependBos: false });
  return { model, result, steps: result.layers.map((l) => layerSteps(model.config, l)) };
}

/** Largest |a + b − c| over every cell. */
function addGap(a: Matrix, b: Matrix, c: Matrix): number {
  let gap = 0;
  for (let p = 0; p < c.data.length; p++) gap = Math.max(gap, Math.abs(Math.fround(a.data[p] + b.data[p]) - c.data[p]));
  return gap;
}

describe('layerSteps: what the pipeline shows for each family', () => {
  it.each([
    ['gpt2', 'LayerNorm', null, [0, 1], { activation: 'gelu_new', gated: false, width: 128 }, false],
    ['llama', 'RMSNorm', { dims: 16, headDim: 16, theta: 1000 }, [0, 0, 1, 1], { activation: 'silu', gated: true, width: 64 }, false],
    ['qwen2', 'RMSNorm', { dims: 16, headDim: 16, theta: 1000000 }, [0, 0], { activation: 'silu', gated: true, width: 64 }, false],
    ['gpt_neox', 'LayerNorm', { dims: 8, headDim: 32, theta: 2000 }, [0, 1], { activation: 'gelu', gated: false, width: 128 }, true],
  ] as const)('%s: %s, rotary %o, kv heads %o, MLP %o, parallel residual %s', (family, norm, rotary, kvHeadOf, mlp, parallel) => {
    const { steps } = run(family);
    for (const s of steps) {
      expect({ norm: s.norm, rotary: s.rotary, kvHeadOf: s.kvHeadOf, mlp: s.mlp, parallel: s.parallelResidual }).toEqual({ norm, rotary, kvHeadOf, mlp, parallel });
    }
  });

  it.each(['gpt2', 'llama', 'qwen2'] as const)('%s: X + attention, then + MLP, is exactly the layer output', (family) => {
    const { result, steps } = run(family);
    result.layers.forEach((layer, l) => {
      expect(addGap(layer.input!, layer.attentionOutput!, steps[l].residualMid!)).toBe(0);
      expect(addGap(steps[l].residualMid!, steps[l].mlpOutput!, layer.output!)).toBe(0);
    });
  });

  it('gpt_neox: no X + attention of its own; X + attention + MLP is the layer output (parallel residual)', () => {
    const { result, steps } = run('gpt_neox');
    result.layers.forEach((layer, l) => {
      expect(steps[l].residualMid).toBeNull();
      const mid = { rows: layer.input!.rows, cols: layer.input!.cols, data: layer.input!.data.map((x, p) => x + layer.attentionOutput!.data[p]) };
      expect(addGap(mid, steps[l].mlpOutput!, layer.output!)).toBe(0);
    });
  });

});
