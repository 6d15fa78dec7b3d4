/** Attention rollout for the panel: computed in the worker's job, refused over the memory budget or the multiply-add cap. */
import { describe, expect, it } from 'vitest';
import { runJob } from '../../../src/compute/job';
import { attentionRollout, MAX_ROLLOUT_OPS, rolloutProblem } from '../../../src/core';
import { DEFAULT_COMPUTE_SETTINGS } from '../../../src/shared/settings';

const settings = { ...DEFAULT_COMPUTE_SETTINGS, dModel: 16, dK: 4, heads: 2, layers: 3 };

describe('rollout in the worker', () => {
  it('a selection with rollout: the core\'s rollout after every layer', () => {
    const outcome = runJob({ kind: 'selection', text: 'the cat sat on the mat', settings, maxTokens: 4096, rollout: true });
    if (!outcome.ok || !outcome.rollout || !('layers' in outcome.rollout)) throw new Error('no rollout');
    expect(outcome.rollout.layers).toEqual(attentionRollout(outcome.result.layers));
    const plain = runJob({ kind: 'selection', text: 'the cat sat on the mat', settings, maxTokens: 4096 });
    expect(plain.ok && plain.rollout).toBe(undefined);
  });

  it('is refused with one sentence over the memory budget or the n³·layers cap', () => {
    expect(rolloutProblem(100, 12, 2 ** 30)).toBe(undefined);
    // 13 matrices of 4,096² float32 = 832 MB.
    expect(rolloutProblem(4096, 12, 512 * 1024 * 1024)).toBe(
      'Attention rollout over 4,096 tokens × 12 layers needs about 832 MB, over the memory budget of 512 MB (setting selfAttention.memoryBudgetMB): select about 3,213 tokens or fewer.',
    );
    // 2,048³ × 11 = 9.4e10 multiply-adds, over 2^34 = 1.7e10.
    expect(rolloutProblem(2048, 12, 2 ** 32)).toBe(
      `Attention rollout over 2,048 tokens × 12 layers takes about 9.4e+10 multiply-adds (n³ per layer), more than the ${MAX_ROLLOUT_OPS.toExponential(1)} it may use: select about 1,160 tokens or fewer.`,
    );
  });
});
