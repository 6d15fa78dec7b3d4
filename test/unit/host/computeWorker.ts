import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { afterAll, beforeAll } from 'vitest';
import { ComputeClient } from '../../../src/compute/computeClient';

/** The real compute worker script, bundled with esbuild (as esbuild.mjs does) for this test file, and a client of it. */
export function useComputeWorker(prefix: string): { readonly client: () => ComputeClient } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const script = path.join(dir, 'worker.js');
  let client: ComputeClient | undefined;
  beforeAll(async () => {
    await esbuild.build({
      entryPoints: [path.resolve(__dirname, '../../../src/compute/worker.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: script, logLevel: 'warning',
      mainFields: ['module', 'main'],
    });
    client = new ComputeClient(script);
  });
  afterAll(() => {
    client?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });
  return { client: () => client as ComputeClient };
}
