/**
 * The unit tests run the kernels the workers run. The compute and model workers turn relaxed SIMD on at start-up
 * (src/compute/relaxedSimd.ts) and the V8 flag behind it is process-wide, so a test that compares a worker thread's
 * numbers with a direct run in the test's own thread needs both on the same build of the kernels, from the start.
 * The plain SIMD build is tested on purpose in test/unit/core/relaxed-simd.test.ts.
 */
import { enableRelaxedSimd } from '../../src/compute/relaxedSimd';

enableRelaxedSimd();
