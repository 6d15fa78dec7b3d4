import { parentPort } from 'node:worker_threads';
import { checkTensorText, runJob, type ComputeRequest } from './job';
import { transferables } from './transferables';
import { enableRelaxedSimd } from './relaxedSimd';

enableRelaxedSimd();

/** Worker thread entry: runs compute jobs off the extension host's thread. */
parentPort?.on('message', (message: { id: number; request: ComputeRequest; budget: number } | { id: number; check: string }) => {
  try {
    if ('check' in message) {
      parentPort?.postMessage({ id: message.id, check: checkTensorText(message.check) });
      return;
    }
    const outcome = runJob(message.request, message.budget);
    parentPort?.postMessage({ id: message.id, outcome }, outcome.ok ? transferables(outcome.result) : []);
  } catch (error) {
    parentPort?.postMessage({ id: message.id, crash: error instanceof Error ? error.message : String(error) });
  }
});
