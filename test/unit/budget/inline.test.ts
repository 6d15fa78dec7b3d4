/**
 * Issue 12 row 3: selections under 500 characters ran inline on the extension host whatever the settings, so a
 * workspace's settings (dModel 1024, dK 512, 16 heads, 12 layers) stalled the host 14.7 s on every update. Issue 12
 * kept trivial jobs inline; issue 14 moved every job to the worker (the host bundle holds no core math at all).
 * The stand-in compute process (test/fixtures/crashing-worker.cjs) answers with its pid, so the answer shows where the job ran.
 */
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ComputeClient } from '../../../src/compute/computeClient';
import { runJob, type ComputeOutcome } from '../../../src/compute/job';
import { TRIVIAL_JOB_BYTES } from '../../../src/core';
import { DEFAULT_COMPUTE_SETTINGS } from '../../../src/shared/settings';
import { HEAVY_SETTINGS } from '../../fixtures/budgetInputs';

const SCRIPT = path.resolve(__dirname, '../../fixtures/crashing-worker.cjs');
const ranOn = (o: ComputeOutcome) => (o.ok && /^process \d+$/.test(o.result.provenance.description) ? 'worker' : 'host');

let client: ComputeClient | undefined;
afterEach(() => client?.dispose());

describe('no job runs on the extension host', () => {
  it('the workspace-settings case (dModel 1024, dK 512, 16 heads, 12 layers, a short selection) runs in the worker', async () => {
    client = new ComputeClient(SCRIPT);
    const settings = { ...DEFAULT_COMPUTE_SETTINGS, ...HEAVY_SETTINGS };
    const outcome = await client.compute({ kind: 'selection', text: 'the cat sat on the mat', settings, maxTokens: 4096 }, 1024 * 1024 * 1024);
    expect(ranOn(outcome)).toBe('worker');
  });

  it('two layers of default-sized heads are already over the trivial size: the worker', async () => {
    client = new ComputeClient(SCRIPT);
    const settings = { ...DEFAULT_COMPUTE_SETTINGS, layers: 12 };
    expect(ranOn(await client.compute({ kind: 'selection', text: 'a b', settings, maxTokens: 4096 }))).toBe('worker');
  });

  it('a short selection with default settings runs in the worker too', async () => {
    client = new ComputeClient(SCRIPT);
    const outcome = await client.compute({ kind: 'selection', text: 'the cat sat', settings: DEFAULT_COMPUTE_SETTINGS, maxTokens: 4096 });
    expect(ranOn(outcome)).toBe('worker');
  });

  it('the job refuses what is over the budget before allocating it, with the budget message', () => {
    const settings = { ...DEFAULT_COMPUTE_SETTINGS, layers: 12 };
    const outcome = runJob({ kind: 'selection', text: 'a b', settings, maxTokens: 4096 }, TRIVIAL_JOB_BYTES);
    expect(outcome.ok ? '' : outcome.message).toMatch(/^This selection needs about [\d.]+ MB of memory, over the budget of 1\.0 MB/);
  });
});
