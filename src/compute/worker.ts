import { parentPort } from 'node:worker_threads';
import type { AttentionResult, HeadSummaries } from '../core';
import { kernels } from '../core/kernels';
import type { DataRefusal, MatrixFileOutcome, MatrixFileRequest, RasterAnswer, RasterRequest, RowAnswer, RowRequest, SliceLayers } from '../shared/protocol';
import { writeMatrixFile } from './matrixFile';
import { answerRaster, answerRow, answerTransferables } from './raster';
import { checkTensorText, runJob, type ComputeOutcome, type ComputeRequest, type JobTokens, type TensorCheck } from './job';
import { enableRelaxedSimd } from './relaxedSimd';
import { slimResult, tokensOnly, type Focus } from './slice';
import { slimWhatIf } from './whatIfSlice';

/** What the host asks this process: a job (whose result it then keeps), a slice of the kept result, or a file's check. */
export type ToComputeWorker =
  | { readonly id: number; readonly request: ComputeRequest; readonly budget: number; readonly first: Focus | 'tokens' }
  | { readonly id: number; readonly slice: { readonly of: number; readonly focus: Focus } }
  | { readonly id: number; readonly check: string }
  | { readonly id: number; readonly raster: { readonly of: number; readonly request: RasterRequest } }
  | { readonly id: number; readonly row: { readonly of: number; readonly request: RowRequest } }
  | { readonly id: number; readonly matrixFile: { readonly of: number; readonly request: MatrixFileRequest; readonly path: string; readonly budget: number } };

/**
 * The answer to message `id`: one of outcome, slice, raster, row, matrixFile (null: that result is no longer kept), check
 * or crash.
 * A large job first sends its `tokens` (not an answer: its outcome follows).
 */
export interface FromComputeWorker {
  readonly id: number;
  readonly tokens?: JobTokens;
  readonly outcome?: ComputeOutcome;
  readonly slice?: SliceLayers | null;
  readonly raster?: RasterAnswer | DataRefusal | null;
  readonly row?: RowAnswer | DataRefusal | null;
  readonly matrixFile?: MatrixFileOutcome | null;
  readonly check?: TensorCheck;
  readonly crash?: string;
}

/**
 * The last result computed here (each panel has its own worker), so the host holds no matrices: it gets the slice
 * the focused views draw with the outcome, and asks for another slice when the focus moves.
 */
let kept: { readonly id: number; readonly result: AttentionResult; readonly summaries?: HeadSummaries } | undefined;

function answer(message: ToComputeWorker, post: (message: FromComputeWorker) => void): FromComputeWorker {
  if ('check' in message) return { id: message.id, check: checkTensorText(message.check) };
  if ('slice' in message) {
    const { of, focus } = message.slice;
    return { id: message.id, slice: kept?.id === of ? slimResult(kept.result, focus, kept.summaries).layers : null };
  }
  if ('raster' in message) return { id: message.id, raster: kept?.id === message.raster.of ? answerRaster(kept.result, message.raster.request) : null };
  if ('row' in message) return { id: message.id, row: kept?.id === message.row.of ? answerRow(kept.result, message.row.request) : null };
  if ('matrixFile' in message) {
    const { of, request, path, budget } = message.matrixFile;
    return { id: message.id, matrixFile: kept?.id === of ? writeMatrixFile(kept.result, request, path, budget) : null };
  }
  kept = undefined;
  const outcome = runJob(message.request, message.budget, (tokens) => post({ id: message.id, tokens }));
  if (!outcome.ok) return { id: message.id, outcome };
  kept = { id: message.id, result: outcome.result, ...(outcome.headSummaries ? { summaries: outcome.headSummaries } : {}) };
  // Copied, not transferred, to the host: the kept result stays whole here.
  const { first } = message;
  const result = first === 'tokens' ? tokensOnly(outcome.result) : slimResult(outcome.result, first, outcome.headSummaries);
  // A what-if comparison goes with the heads the answer carries (a large result's heads: ranked by change, no matrices).
  return { id: message.id, outcome: { ...outcome, result, ...(outcome.whatIf ? { whatIf: slimWhatIf(outcome.whatIf, result) } : {}) } };
}

// The panel starts this process when it opens (ComputeClient.prepare): compile the WebAssembly kernels now, while the
// webview loads, rather than in the first request (the relaxed-SIMD build where this runtime can have it).
enableRelaxedSimd();
kernels();

function onMessage(message: ToComputeWorker, reply: (answer: FromComputeWorker) => void): void {
  try {
    reply(answer(message, reply));
  } catch (error) {
    reply({ id: message.id, crash: error instanceof Error ? error.message : String(error) });
  }
}

// The entry: a process forked by ComputeClient (a panel's, which keeps results), or a thread (a checker's, see WorkerKind).
// A thread moves a raster's or a row's buffers to the host rather than copying them (a process's IPC copies anyway).
if (parentPort) parentPort.on('message', (message: ToComputeWorker) => onMessage(message, (m) => parentPort?.postMessage(m, dataTransferables(m))));
else process.on('message', (message: ToComputeWorker) => onMessage(message, (m) => process.send?.(m)));

function dataTransferables(m: FromComputeWorker): ArrayBuffer[] {
  const answer = m.raster ?? m.row;
  return answer ? answerTransferables(answer) : [];
}
