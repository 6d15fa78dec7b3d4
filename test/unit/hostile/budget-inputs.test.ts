/**
 * The issue 12 inputs (test/fixtures/budgetInputs.ts) in the hostile corpus: through runJob they give a clear message or
 * finite, sane numbers, never a throw, a NaN or an all-zero row. Their dedicated regression tests are in test/unit/budget/.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runJob, type ComputeRequest } from '../../../src/compute/job';
import { payloadProblem } from '../../../src/compute/slice';
import { DEFAULT_COMPUTE_SETTINGS } from '../../../src/shared/settings';
import { deflateBomb, duplicateKeysFile, HEAVY_SETTINGS, hugeNumbersFile, manyTokensFile, npyHeader, zipOfOne } from '../../fixtures/budgetInputs';
import { expectSane, runSafely } from './check';

const MB = 1024 * 1024;

const CORPUS: readonly [string, ComputeRequest][] = [
  ['32,000 duplicate-key objects', { kind: 'file', text: duplicateKeysFile(32_000) }],
  ['32k tokens in 256 KB', { kind: 'file', text: manyTokensFile(32_000) }],
  ['numbers at ±1e9 through 16-wide projections', { kind: 'file', text: hugeNumbersFile(64, 16) }],
  ['a short selection with the heaviest settings', { kind: 'selection', text: 'the cat sat on the mat', settings: { ...DEFAULT_COMPUTE_SETTINGS, ...HEAVY_SETTINGS }, maxTokens: 4096 }],
  ['an .npz whose member inflates past its declared 144 bytes', { kind: 'binary', fileName: 'bomb.npz', bytes: zipOfOne('a.npy', deflateBomb(npyHeader([2, 2]), 64 * MB), 144) }],
  ['an .npz member declaring 512 MB', { kind: 'binary', fileName: 'big.npz', bytes: zipOfOne('a.npy', new Uint8Array(600_000), 512 * MB) }],
];

describe('issue 12 inputs through runJob', () => {
  it.each(CORPUS)('%s: a clear message or sane numbers', (name, request) => {
    const outcome = runSafely(request, name);
    expectSane(outcome, name);
    expect(outcome.ok, name).toBe(false);
  });

  it('fuzz: random token counts, heads and layers are refused before allocating or computed within the budget (seeded)', () => {
    const budget = 32 * MB;
    fc.assert(fc.property(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 1, max: 16 }), fc.integer({ min: 1, max: 12 }), (tokens, heads, layers) => {
      const text = Array.from({ length: tokens }, (_, i) => `w${i % 97}`).join(' ');
      const settings = { ...DEFAULT_COMPUTE_SETTINGS, heads, layers, dModel: 16, dK: 4 };
      const outcome = runJob({ kind: 'selection', text, settings, maxTokens: 4096 }, budget);
      expectSane(outcome, `${tokens} tokens, ${heads} heads × ${layers} layers`);
      if (outcome.ok) expect(payloadProblem(outcome.result, budget)).toBeUndefined();
      else expect(outcome.message).toMatch(/over the budget of 32\.0 MB/);
    }), { seed: 12, numRuns: 25 });
  });
});
