/**
 * The extension host starts, reads files and talks (issue 14): its bundle holds no tokenizer, no core math, no
 * parser and no WebAssembly. Built here as esbuild.mjs builds it for the .vsix (minified), with a metafile that says
 * what went in.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../../..');
/** Issue 14's target for dist/extension.js, minified. */
const MAX_HOST_BUNDLE_BYTES = 150 * 1024;

let bytes = 0;
let inputs: string[] = [];

beforeAll(async () => {
  const built = await esbuild.build({
    absWorkingDir: ROOT, entryPoints: ['src/extension.ts'], bundle: true, minify: true, platform: 'node', format: 'cjs', target: 'node20',
    external: ['vscode'], mainFields: ['module', 'main'], write: false, metafile: true, outfile: 'dist/extension.js', logLevel: 'silent',
  });
  bytes = built.outputFiles[0].contents.byteLength;
  inputs = Object.keys(built.metafile.inputs);
});

/** The core modules src/shared/core.ts re-exports: the only part of the core the host may reach. */
function sharedFaceOfCore(): string[] {
  const text = readFileSync(path.join(ROOT, 'src/shared/core.ts'), 'utf8');
  return [...text.matchAll(/from '\.\.\/core\/([^']+)'/g)].map((m) => `src/core/${m[1]}.ts`);
}

describe('the extension host bundle', () => {
  it(`is at most ${MAX_HOST_BUNDLE_BYTES / 1024} KB minified`, () => {
    expect(bytes).toBeGreaterThan(10_000);
    expect(bytes).toBeLessThanOrEqual(MAX_HOST_BUNDLE_BYTES);
  });

  it('bundles no package: no tokenizer, no JSON parser, no zip reader', () => {
    expect(inputs.filter((f) => f.includes('node_modules'))).toEqual([]);
  });

  it('reaches the core only through src/shared/core.ts: no math, parsers, tokenizers or WebAssembly', () => {
    const allowed = new Set(sharedFaceOfCore());
    expect(allowed.size).toBeGreaterThan(3);
    expect(inputs.filter((f) => f.startsWith('src/core/') && !allowed.has(f))).toEqual([]);
  });

  it('leaves the computation to the worker: no job and no worker code', () => {
    expect(inputs).not.toContain('src/compute/job.ts');
    expect(inputs).not.toContain('src/compute/worker.ts');
    expect(inputs).toContain('src/compute/computeClient.ts');
  });
});
