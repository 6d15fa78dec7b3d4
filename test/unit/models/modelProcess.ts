import * as path from 'node:path';
import * as esbuild from 'esbuild';

/** Builds the model process and its thread (as esbuild.mjs does) into `dir`; returns the process's script. */
export async function buildModelProcess(dir: string): Promise<string> {
  await esbuild.build({
    entryPoints: { modelProcess: path.resolve(__dirname, '../../../src/compute/modelProcess.ts'), modelWorker: path.resolve(__dirname, '../../../src/compute/modelWorker.ts') },
    bundle: true, platform: 'node', format: 'cjs', outdir: dir, logLevel: 'warning', mainFields: ['module', 'main'],
  });
  return path.join(dir, 'modelProcess.js');
}
