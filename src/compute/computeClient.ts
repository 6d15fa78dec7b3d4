import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { TRIVIAL_JOB_BYTES } from '../core';
import { DEFAULT_BUDGET_BYTES, requestSize, requestTransferables, runJob, type ComputeOutcome, type ComputeRequest, type TensorCheck } from './job';

/**
 * Inputs below this many characters may be computed inline, where a worker round trip would cost more, but only
 * when the memory budget counts the job trivial (under TRIVIAL_JOB_BYTES): short text with big settings goes to the worker.
 */
const INLINE_LIMIT_CHARS = 500;

export class CancelledError extends Error {
  constructor() {
    super('Cancelled by a newer request');
  }
}

/** What the worker answers: a job's outcome, a tensor file's check, or why it failed. */
interface Reply {
  readonly id: number;
  readonly outcome?: ComputeOutcome;
  readonly check?: TensorCheck;
  readonly crash?: string;
}

interface Pending {
  readonly id: number;
  readonly resolve: (reply: Reply) => void;
  readonly reject: (error: Error) => void;
}

/**
 * Runs computations (and tensor-file checks) for one panel or document. Big inputs go to a worker thread, so the
 * extension host never blocks.
 * A newer request cancels the older one by terminating its worker; a crashed worker is replaced on the next request.
 */
export class ComputeClient {
  private worker: Worker | undefined;
  private pending: Pending | undefined;
  private nextId = 1;

  constructor(private readonly workerScript: string = path.join(__dirname, 'worker.js')) {}

  /** Starts the worker thread ahead of the first large request, so its start-up overlaps other work. */
  prepare(): void {
    this.ensureWorker();
  }

  /** Computes `request`, refusing it with a message when it needs more than `budget` bytes. */
  compute(request: ComputeRequest, budget = DEFAULT_BUDGET_BYTES): Promise<ComputeOutcome> {
    this.cancel();
    if (requestSize(request) < INLINE_LIMIT_CHARS) {
      try {
        // Within the trivial budget the estimate refuses before allocating anything big; the worker then runs it.
        const inline = runJob(request, Math.min(budget, TRIVIAL_JOB_BYTES));
        if (inline.ok || !inline.overBudget || budget <= TRIVIAL_JOB_BYTES) return Promise.resolve(inline);
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    }
    return this.call({ request, budget }, requestTransferables(request)).then((reply) => reply.outcome as ComputeOutcome);
  }

  /** Parses a tensor file's text in the worker: its problems and, for a sidecar, the binary file it names. */
  check(text: string): Promise<TensorCheck> {
    this.cancel();
    return this.call({ check: text }, []).then((reply) => reply.check as TensorCheck);
  }

  private call(message: object, transfer: ArrayBuffer[]): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending = { id, resolve, reject };
      this.ensureWorker().postMessage({ id, ...message }, transfer);
    });
  }

  /** Stops the running computation, if any. */
  cancel(): void {
    if (!this.pending) return;
    const pending = this.pending;
    this.pending = undefined;
    void this.worker?.terminate();
    this.worker = undefined;
    pending.reject(new CancelledError());
  }

  dispose(): void {
    this.cancel();
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.workerScript);
    worker.on('message', (message: Reply) => {
      const pending = this.pending;
      if (!pending || pending.id !== message.id) return;
      this.pending = undefined;
      if (message.outcome || message.check) pending.resolve(message);
      else pending.reject(new Error(`The computation failed: ${message.crash ?? 'unknown error'}`));
    });
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = undefined;
      const pending = this.pending;
      this.pending = undefined;
      pending?.reject(new Error(`The computation worker stopped: ${error.message}`));
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (this.worker === worker) fail(new Error(`exit code ${code}`));
    });
    this.worker = worker;
    return worker;
  }
}
