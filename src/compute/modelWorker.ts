/**
 * The model worker's entry: one per window, shared by every panel, so a loaded model is read once.
 * Cancel is a flag in shared memory the forward pass checks between layers (the thread is busy, so a
 * message would wait), which keeps the loaded model; a terminate is only the last resort.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ModelCancelled } from '../core';
import { ModelJobs } from './modelJob';
import { finishedLayerTransferables } from './transferables';
import { enableRelaxedSimd } from './relaxedSimd';
import type { FromModelWorker, ToModelWorker } from './modelProtocol';

enableRelaxedSimd();
const cancelledUpTo = new Int32Array(workerData as SharedArrayBuffer);
const jobs = new ModelJobs();
let queue: Promise<void> = Promise.resolve();

function post(message: FromModelWorker): void {
  // Each layer's matrices move to the host without a copy as it finishes; the worker keeps only what the next layer
  // and next-token look-ups need.
  parentPort?.postMessage(message, message.type === 'layer' ? finishedLayerTransferables(message.layer) : []);
}

parentPort?.on('message', (message: ToModelWorker) => {
  if (message.type === 'nextTokens') {
    post({ type: 'nextTokens', id: message.id, nextTokens: jobs.nextTokens(message.runId, message.position) });
    return;
  }
  if (message.type === 'inductionProbe') {
    const { id, folder } = message;
    // Queued behind the runs: it uses the same loaded model.
    queue = queue.then(async () => post({ type: 'inductionProbe', id, probe: await jobs.inductionProbe(folder) }));
    return;
  }
  const { id, request } = message;
  queue = queue.then(async () => {
    const isCancelled = () => Atomics.load(cancelledUpTo, 0) >= id;
    if (isCancelled()) return;
    try {
      const outcome = await jobs.run(id, request, {
        progress: (text, done, total) => post({ type: 'progress', id, message: text, done, total }),
        layer: (index, total, layer, frame) => post({ type: 'layer', id, index, total, layer, ...(frame ? { frame } : {}) }),
        isCancelled,
      });
      // The layers went ahead one by one (and were moved): the outcome carries the rest.
      post({ type: 'outcome', id, outcome: outcome.ok ? { ...outcome, result: { ...outcome.result, layers: [] } } : outcome });
    } catch (error) {
      if (error instanceof ModelCancelled) return;
      post({ type: 'crash', id, message: error instanceof Error ? error.message : String(error) });
    }
  });
});
