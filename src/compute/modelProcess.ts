/**
 * The model process, forked by the host's ModelClient: its memory (the loaded model and the runs' results the model
 * worker keeps) is not the extension host's. The work runs in a thread of it (modelWorker.ts) so that a cancel can
 * reach a busy forward pass: this main thread stays free to set the thread's cancel flag; everything else is relayed.
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FromModelWorker, ToModelWorker } from './modelProtocol';

const cancelFlag = new SharedArrayBuffer(4);
const cancelledUpTo = new Int32Array(cancelFlag);
const thread = new Worker(path.join(__dirname, 'modelWorker.js'), { workerData: cancelFlag });

process.on('message', (message: ToModelWorker) => {
  if (message.type === 'cancel') {
    if (Atomics.load(cancelledUpTo, 0) < message.id) Atomics.store(cancelledUpTo, 0, message.id);
    return;
  }
  thread.postMessage(message);
});
thread.on('message', (message: FromModelWorker) => process.send?.(message));
// The thread's uncaught error ends this process with its message on stderr (see startWorker), and so does its exit.
thread.on('error', (error) => {
  throw error;
});
thread.on('exit', (code) => process.exit(code === 0 ? 1 : code));
// The host went away (its IPC channel closed): so does this process.
process.on('disconnect', () => process.exit(0));
