import * as esbuild from 'esbuild';
import { writeWasmModule } from './scripts/build-wasm.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'info',
};

const builds = [
  {
    ...common,
    entryPoints: { extension: 'src/extension.ts', worker: 'src/compute/worker.ts', modelProcess: 'src/compute/modelProcess.ts', modelWorker: 'src/compute/modelWorker.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    // Prefer a package's ESM build: esbuild follows and tree-shakes it (some "main" builds are UMD it cannot follow).
    mainFields: ['module', 'main'],
  },
  {
    ...common,
    entryPoints: { webview: 'webview/main.ts' },
    outdir: 'dist',
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
  },
];

// The WebAssembly kernels (src/core/kernels/simd.as) are embedded in both bundles as a generated base64 module.
await writeWasmModule();

if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
