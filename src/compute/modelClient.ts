import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { CancelledError } from './computeClient';
import type { NextTokens } from '../shared/protocol';
import type { FromModelWorker, InductionProbeOutcome, ModelOutcome, ModelRequest, ToModelWorker } from './modelProtocol';
import { StreamedRun, type PartialModelResult } from './modelStream';

export interface ModelProgress {
  readonly message: string;
  readonly done: number;
  readonly total: number;
}

interface Pending {
  readonly resolve: (value: never) => void;
  readonly reject: (error: Error) => void;
  readonly onProgress?: (progress: ModelProgress) => void;
  /** A run's layers so far (runs only). */
  readonly stream?: StreamedRun;
  readonly onLayer?: (partial: PartialModelResult) => void;
}

/**
 * The host's side of the model worker: one worker for the whole window, so every panel shares the
 * loaded model. A run can be cancelled between layers without losing the loaded model.
 */
export class ModelClient {
  private worker: Worker | undefined;
  private readonly cancelFlag = new SharedArrayBuffer(4);
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(private readonly workerScript: string = path.join(__dirname, 'modelWorker.js')) {}

  /** Runs a request; `onLayer` gets the result so far as each layer finishes, before the outcome resolves. */
  run(
    request: ModelRequest,
    onProgress?: (progress: ModelProgress) => void,
    onLayer?: (partial: PartialModelResult) => void,
  ): { readonly id: number; readonly outcome: Promise<ModelOutcome> } {
    const id = this.nextId++;
    const outcome = new Promise<ModelOutcome>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: never) => void, reject, stream: new StreamedRun(), ...(onProgress ? { onProgress } : {}), ...(onLayer ? { onLayer } : {}) });
    });
    this.send({ type: 'run', id, request });
    return { id, outcome };
  }

  /** Top tokens after `position` in run `runId` (undefined when the worker no longer keeps that run). */
  nextTokens(runId: number, position: number): Promise<NextTokens | undefined> {
    const id = this.nextId++;
    const reply = new Promise<NextTokens | undefined>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: never) => void, reject });
    });
    this.send({ type: 'nextTokens', id, runId, position });
    return reply;
  }

  /** Runs the induction probe on the model in `folder`, after the runs queued before it. */
  inductionProbe(folder: string): Promise<InductionProbeOutcome> {
    const id = this.nextId++;
    const reply = new Promise<InductionProbeOutcome>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: never) => void, reject });
    });
    this.send({ type: 'inductionProbe', id, folder });
    return reply;
  }

  /** Cancels the run `id` and every run queued before it; the worker stops at its next layer. */
  cancel(id: number): void {
    const flag = new Int32Array(this.cancelFlag);
    if (Atomics.load(flag, 0) < id) Atomics.store(flag, 0, id);
    for (const [pendingId, p] of this.pending) {
      if (pendingId <= id && p.stream) {
        this.pending.delete(pendingId);
        p.reject(new CancelledError());
      }
    }
  }

  dispose(): void {
    void this.worker?.terminate();
    this.worker = undefined;
    this.failAll(new Error('The model worker was stopped'));
  }

  private send(message: ToModelWorker): void {
    this.ensureWorker().postMessage(message);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.workerScript, { workerData: this.cancelFlag });
    worker.on('message', (message: FromModelWorker) => {
      const p = this.pending.get(message.id);
      if (!p) return;
      if (message.type === 'progress') {
        p.onProgress?.({ message: message.message, done: message.done, total: message.total });
        return;
      }
      if (message.type === 'layer') {
        const partial = p.stream?.add(message);
        if (partial) p.onLayer?.(partial);
        return;
      }
      this.pending.delete(message.id);
      if (message.type === 'outcome') p.resolve((p.stream ? p.stream.finish(message.outcome) : message.outcome) as never);
      else if (message.type === 'nextTokens') p.resolve(message.nextTokens as never);
      else if (message.type === 'inductionProbe') p.resolve(message.probe as never);
      else p.reject(new Error(`The model run failed: ${message.message}`));
    });
    const fail = (error: Error) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.failAll(new Error(`The model worker stopped: ${error.message}`));
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`exit code ${code}`)));
    this.worker = worker;
    return worker;
  }

  private failAll(error: Error): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    all.forEach((p) => p.reject(error));
  }
}
