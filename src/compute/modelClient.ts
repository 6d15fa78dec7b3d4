import * as path from 'node:path';
import { CancelledError } from './computeClient';
import type { DataRefusal, MatrixFileOutcome, MatrixFileRequest, NextTokens, RasterAnswer, RasterRequest, RowAnswer, RowRequest, SliceLayers } from '../shared/protocol';
import type { FromModelWorker, InductionProbeOutcome, ModelOutcome, ModelRequest, ToModelWorker } from './modelProtocol';
import { StreamedRun, type PartialModelResult } from './modelStream';
import type { Focus } from './slice';
import { startWorker, type WorkerEnd } from './workerEnd';

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
 * The host's side of the model worker: one model process for the whole window (modelProcess.ts, forked), so every
 * panel shares the loaded model and the host's memory holds none of it. A run can be cancelled between layers without
 * losing the loaded model. The process keeps the runs' results: a run's layers and outcome carry the slice its focus
 * draws, and `slice` fetches another.
 */
export class ModelClient {
  private worker: WorkerEnd | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(private readonly processScript: string = path.join(__dirname, 'modelProcess.js')) {}

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

  /** The slice `focus` draws of run `runId`'s result (undefined when the process no longer keeps that run). */
  slice(runId: number, focus: Focus): Promise<SliceLayers | undefined> {
    const id = this.nextId++;
    const reply = new Promise<SliceLayers | undefined>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: never) => void, reject });
    });
    this.send({ type: 'slice', id, runId, focus });
    return reply;
  }

  /** A heatmap raster or one row of run `runId`'s result (undefined when the process no longer keeps that run). */
  data(runId: number, request: { readonly raster: RasterRequest } | { readonly row: RowRequest }): Promise<RasterAnswer | RowAnswer | DataRefusal | undefined> {
    const id = this.nextId++;
    const reply = new Promise<RasterAnswer | RowAnswer | DataRefusal | undefined>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: never) => void, reject });
    });
    this.send('raster' in request ? { type: 'raster', id, runId, request: request.raster } : { type: 'row', id, runId, request: request.row });
    return reply;
  }

  /** Writes a matrix of run `runId`'s result to `path` (undefined when the process no longer keeps that run). */
  matrixFile(runId: number, request: MatrixFileRequest, path: string, budget: number): Promise<MatrixFileOutcome | undefined> {
    const id = this.nextId++;
    const reply = new Promise<MatrixFileOutcome | undefined>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: never) => void, reject });
    });
    this.send({ type: 'matrixFile', id, runId, request, path, budget });
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
    this.worker?.post({ type: 'cancel', id } satisfies ToModelWorker, () => {});
    for (const [pendingId, p] of this.pending) {
      if (pendingId <= id && p.stream) {
        this.pending.delete(pendingId);
        p.reject(new CancelledError());
      }
    }
  }

  dispose(): void {
    this.worker?.stop();
    this.worker = undefined;
    this.failAll(new Error('The model worker was stopped'));
  }

  private send(message: ToModelWorker): void {
    this.ensureWorker().post(message, (error) => this.failAll(new Error(`The model worker stopped: ${error.message}`)));
  }

  private ensureWorker(): WorkerEnd {
    if (this.worker) return this.worker;
    const worker: WorkerEnd = startWorker(this.processScript, 'process', (raw) => {
      const message = raw as FromModelWorker;
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
      if (message.type === 'outcome') p.resolve(message.outcome as never);
      else if (message.type === 'nextTokens') p.resolve(message.nextTokens as never);
      else if (message.type === 'inductionProbe') p.resolve(message.probe as never);
      else if (message.type === 'slice') p.resolve((message.layers ?? undefined) as never);
      else if (message.type === 'raster' || message.type === 'row') p.resolve((message.answer ?? undefined) as never);
      else if (message.type === 'matrixFile') p.resolve((message.outcome ?? undefined) as never);
      else p.reject(new Error(`The model run failed: ${message.message}`));
    }, (error) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.failAll(new Error(`The model worker stopped: ${error.message}`));
    });
    this.worker = worker;
    return worker;
  }

  private failAll(error: Error): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    all.forEach((p) => p.reject(error));
  }
}
