/**
 * The model worker's entry: a thread of the model process (modelProcess.ts), one per window, shared by every panel,
 * so a loaded model is read once. Cancel is a flag in shared memory the forward pass checks between layers (the thread
 * is busy, so a message would wait), which keeps the loaded model; a terminate is only the last resort.
 * Runs' results stay here (ModelJobs keeps them): each layer and the outcome carry only the slice the panel's focus
 * draws, and the host asks for other slices with `slice`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ModelCancelled, type AttentionResult } from '../core';
import { ModelJobs } from './modelJob';
import { answerRaster, answerRow } from './raster';
import { writeMatrixFile } from './matrixFile';
import { enableRelaxedSimd } from './relaxedSimd';
import { DEFAULT_FOCUS, slimResult, type Focus } from './slice';
import { slimWhatIf } from './whatIfSlice';
import type { FromModelWorker, ToModelWorker } from './modelProtocol';
import type { DataRefusal, RasterAnswer, RowAnswer } from '../shared/protocol';

enableRelaxedSimd();
const cancelledUpTo = new Int32Array(workerData as SharedArrayBuffer);
const jobs = new ModelJobs();
let queue: Promise<void> = Promise.resolve();

function post(message: FromModelWorker): void {
  // Copied, not moved: the worker keeps the whole result.
  parentPort?.postMessage(message);
}

/** Layer `index` as the slice of the whole result that `focus` draws would have it (see slimResult). */
function layerSlice(frame: Omit<AttentionResult, 'layers'>, layer: AttentionResult['layers'][number], index: number, focus: Focus, summaries: Parameters<typeof slimResult>[2]) {
  // The layer alone, as layer 0 of a one-layer result: focused when it is the focus's layer.
  const alone = { ...focus, layer: focus.layer === index ? 0 : 1 };
  return slimResult({ ...frame, layers: [layer] }, alone, summaries).layers[0];
}

parentPort?.on('message', (message: ToModelWorker) => {
  switch (message.type) {
    case 'nextTokens':
      post({ type: 'nextTokens', id: message.id, nextTokens: jobs.nextTokens(message.runId, message.position) });
      return;
    case 'slice':
      post({ type: 'slice', id: message.id, layers: jobs.slice(message.runId, message.focus) });
      return;
    case 'raster':
    case 'row': {
      const result = jobs.heldResult(message.runId);
      const answer = !result ? null : message.type === 'raster' ? answerRaster(result, message.request) : answerRow(result, message.request);
      post(message.type === 'raster' ? { type: 'raster', id: message.id, answer: answer as RasterAnswer | DataRefusal | null } : { type: 'row', id: message.id, answer: answer as RowAnswer | DataRefusal | null });
      return;
    }
    case 'matrixFile': {
      const result = jobs.heldResult(message.runId);
      post({ type: 'matrixFile', id: message.id, outcome: result ? writeMatrixFile(result, message.request, message.path, message.budget) : null });
      return;
    }
    case 'cancel':
      // The process sets the flag itself (this thread is busy while a run goes); a message that gets here is late.
      return;
    case 'inductionProbe': {
      const { id, folder } = message;
      // Queued behind the runs: it uses the same loaded model.
      queue = queue.then(async () => post({ type: 'inductionProbe', id, probe: await jobs.inductionProbe(folder) }));
      return;
    }
    case 'run':
      run(message.id, message.request);
  }
});

function run(id: number, request: Extract<ToModelWorker, { type: 'run' }>['request']): void {
  const focus = request.focus ?? DEFAULT_FOCUS;
  queue = queue.then(async () => {
    const isCancelled = () => Atomics.load(cancelledUpTo, 0) >= id;
    if (isCancelled()) return;
    let frame: Omit<AttentionResult, 'layers'> | undefined;
    try {
      const outcome = await jobs.run(id, request, {
        progress: (text, done, total) => post({ type: 'progress', id, message: text, done, total }),
        layer: (index, total, layer, first, summaries) => {
          frame ??= first?.result;
          if (!frame) return;
          const slice = layerSlice(frame, layer, index, focus, summaries ? [summaries] : undefined);
          post({ type: 'layer', id, index, total, layer: slice, ...(summaries ? { summaries } : {}), ...(first ? { frame: first } : {}) });
        },
        isCancelled,
      });
      if (!outcome.ok) {
        post({ type: 'outcome', id, outcome });
        return;
      }
      const result = slimResult(outcome.result, focus, outcome.headSummaries);
      post({ type: 'outcome', id, outcome: { ...outcome, result, ...(outcome.whatIf ? { whatIf: slimWhatIf(outcome.whatIf, result) } : {}) } });
    } catch (error) {
      if (error instanceof ModelCancelled) return;
      post({ type: 'crash', id, message: error instanceof Error ? error.message : String(error) });
    }
  });
}
