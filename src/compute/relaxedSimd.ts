import { setFlagsFromString } from 'node:v8';
import { relaxedSimdSupported } from '../core/kernels';

/**
 * Lets this process's WebAssembly use relaxed SIMD, so the kernels run their fused multiply–add build. Node 20 (the
 * extension host of VS Code 1.100 and of code-server) validates it only behind a V8 flag; Node ≥ 22 and Electron's
 * newer V8 have it on, and then nothing is changed. The flag only widens what WebAssembly accepts, for the whole
 * process: the compute worker's own process, or the extension host for the model worker and the checking threads.
 * Call before the first kernel runs (the kernels load lazily). Returns whether relaxed SIMD is now available.
 */
export function enableRelaxedSimd(): boolean {
  if (relaxedSimdSupported()) return true;
  try {
    setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch {
    // A V8 without the flag: the plain SIMD build runs.
  }
  return relaxedSimdSupported();
}
