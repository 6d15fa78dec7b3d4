import * as path from 'node:path';
import type { DataRefusal, MatrixFileOutcome, MatrixFileRequest, RasterAnswer, RasterRequest, RowAnswer, RowRequest, SliceLayers } from '../shared/protocol';
import { DEFAULT_BUDGET_BYTES } from '../shared/settings';
import type { ComputeOutcome, ComputeRequest, OnTokens, TensorCheck } from './job';
import { DEFAULT_FOCUS, type Focus } from './slice';
import type { FromComputeWorker, ToComputeWorker } from './worker';
import { startWorker, type WorkerEnd, type WorkerKind } from './workerEnd';

export class CancelledError extends Error {
  constructor() {
    super('Cancelled by a newer request');
  }
}

/** 'slice' stands for every quick question about the kept result (a slice, a raster, a row): none cancels a job. */
type Job = 'compute' | 'check' | 'slice';

interface Pending {
  readonly job: Job;
  readonly resolve: (reply: FromComputeWorker) => void;
  readonly reject: (error: Error) => void;
  readonly onTokens?: OnTokens;
}

/** The compute process's script in the built extension (dist/worker.js, next to dist/extension.js). */
const WORKER_SCRIPT = path.join(__dirname, 'worker.js');

/** A started worker whose messages and stop go to whoever takes it (its handlers are set after it starts). */
interface Relayed {
  readonly end: WorkerEnd;
  onMessage?: (message: unknown) => void;
  onStop?: (error: Error) => void;
  stopped?: true;
}

function startRelayed(script: string, kind: WorkerKind): Relayed {
  const relayed: Relayed = {
    end: startWorker(script, kind, (message) => relayed.onMessage?.(message), (error) => {
      relayed.stopped = true;
      relayed.onStop?.(error);
    }),
  };
  return relayed;
}

/** Pre-warming (see ComputeClient.prewarm): the script, while it is on, and the started process no panel has taken. */
const warming: { script?: string; waiting?: Relayed } = {};

function startWarm(): void {
  if (warming.script !== undefined && (!warming.waiting || warming.waiting.stopped)) warming.waiting = startRelayed(warming.script, 'process');
}

/** A message to the worker, without the id the client gives it. */
type Unsent = ToComputeWorker extends infer M ? (M extends ToComputeWorker ? Omit<M, 'id'> : never) : never;

/**
 * Runs computations (and tensor-file checks) for one panel or document in a compute process of its own (src/compute/
 * worker.ts, forked; a thread for a checker, see WorkerKind), so the extension host never computes and never holds a result: every job, however small, runs
 * there (it starts with the panel, see `prepare`), and the results it keeps are its memory, not the host's. The host
 * gets the slice the focused views draw, and asks for others with `slice`. Messages are structured clones (typed arrays
 * stay binary). A newer computation or check cancels the older one by stopping the worker (after the first cancel a
 * spare process stands ready to take over); a crashed one is replaced on the next request.
 */
export class ComputeClient {
  private worker: WorkerEnd | undefined;
  /** A started process that replaces a cancelled one at once, so a newer request needn't wait for a fork. */
  private spare: WorkerEnd | undefined;
  /** Set by the first cancel: cancels come in bursts while someone types, so from then on a spare is kept ready. */
  private keepSpare = false;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** Set when this client took the pre-warmed process: its first job's end (or its dispose) starts the next one. */
  private tookWarm = false;
  /** The id of the computation whose result the worker keeps. */
  private keptId: number | undefined;

  /** @param kind a panel's client keeps results: a process (the default); a checker keeps none: a thread will do. */
  constructor(private readonly workerScript: string = WORKER_SCRIPT, private readonly kind: WorkerKind = 'process') {}

  /**
   * Starts one compute process (Node, then its WebAssembly compiled) before any panel asks, at the extension's
   * activation: a new panel's client takes it instead of forking, so its first result need not wait for a start. Once
   * that panel's first result is in (the cores are free again), another starts for the next panel: one at most waits.
   * Disposing stops pre-warming and the waiting process (not one a panel took).
   */
  static prewarm(workerScript: string = WORKER_SCRIPT): { dispose(): void } {
    warming.script = workerScript;
    startWarm();
    return {
      dispose: () => {
        if (warming.script !== workerScript) return;
        warming.script = undefined;
        warming.waiting?.end.stop();
        warming.waiting = undefined;
      },
    };
  }

  /** Starts the compute process (and its WebAssembly) ahead of the first request, so its start-up overlaps other work. */
  prepare(): void {
    this.ensureWorker();
  }

  /**
   * Computes `request`, refusing it with a message when it needs more than `budget` bytes. A large result comes back
   * as the slice `first` draws (see slice.ts), or with no matrix at all (`'tokens'`: ask for the slice next); the
   * worker keeps the whole. A small result comes back whole. A large job's tokens come to `onTokens` first, while it
   * computes.
   */
  compute(request: ComputeRequest, budget = DEFAULT_BUDGET_BYTES, first: Focus | 'tokens' = DEFAULT_FOCUS, onTokens?: OnTokens): Promise<ComputeOutcome> {
    this.cancel();
    this.keptId = undefined;
    const id = this.nextId;
    const replied = this.call('compute', { request, budget, first }, onTokens);
    // This client took the pre-warmed process: once its first job settles (the cores are free again), another starts.
    if (this.tookWarm) {
      this.tookWarm = false;
      replied.then(startWarm, startWarm);
    }
    return replied.then((reply) => {
      const outcome = reply.outcome as ComputeOutcome;
      if (outcome.ok) this.keptId = id;
      return outcome;
    });
  }

  /** The slice `focus` draws of the last result computed; undefined when there is none (or a newer one is running). */
  slice(focus: Focus): Promise<SliceLayers | undefined> {
    const of = this.keptId;
    if (of === undefined) return Promise.resolve(undefined);
    return this.call('slice', { slice: { of, focus } }).then((reply) => reply.slice ?? undefined);
  }

  /** The heatmap raster `request` asks for, of the last result computed; undefined when there is none. */
  raster(request: RasterRequest): Promise<RasterAnswer | DataRefusal | undefined> {
    const of = this.keptId;
    if (of === undefined) return Promise.resolve(undefined);
    return this.call('slice', { raster: { of, request } }).then((reply) => reply.raster ?? undefined);
  }

  /** One row of the last result computed; undefined when there is none. */
  row(request: RowRequest): Promise<RowAnswer | DataRefusal | undefined> {
    const of = this.keptId;
    if (of === undefined) return Promise.resolve(undefined);
    return this.call('slice', { row: { of, request } }).then((reply) => reply.row ?? undefined);
  }

  /** Writes a matrix of the last result computed to `path` as CSV or JSON; undefined when there is none. */
  matrixFile(request: MatrixFileRequest, path: string, budget: number): Promise<MatrixFileOutcome | undefined> {
    const of = this.keptId;
    if (of === undefined) return Promise.resolve(undefined);
    return this.call('slice', { matrixFile: { of, request, path, budget } }).then((reply) => reply.matrixFile ?? undefined);
  }

  /** Parses a tensor file's text in the worker: its problems and, for a sidecar, the binary file it names. */
  check(text: string): Promise<TensorCheck> {
    this.cancel();
    return this.call('check', { check: text }).then((reply) => reply.check as TensorCheck);
  }

  private call(job: Job, message: Unsent, onTokens?: OnTokens): Promise<FromComputeWorker> {
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { job, resolve, reject, ...(onTokens ? { onTokens } : {}) });
      this.ensureWorker().post({ id, ...message }, (error) => {
        if (this.pending.delete(id)) reject(new Error(`The computation worker stopped: ${error.message}`));
      });
    });
  }

  /** Stops the running computation or check, if any (a slice request alone is quick: it is left to finish). */
  cancel(): void {
    if (![...this.pending.values()].some((p) => p.job !== 'slice')) return;
    this.worker?.stop();
    this.worker = undefined;
    this.keepSpare = this.kind === 'process';
    this.rejectAll(new CancelledError());
  }

  dispose(): void {
    // Closed before its first job: the next panel still finds a started process.
    if (this.tookWarm) {
      this.tookWarm = false;
      startWarm();
    }
    this.cancel();
    this.worker?.stop();
    this.worker = undefined;
    this.spare?.stop();
    this.spare = undefined;
    this.keepSpare = false;
    this.rejectAll(new CancelledError());
  }

  private rejectAll(error: Error): void {
    const pending = [...this.pending.values()];
    this.pending.clear();
    this.keptId = undefined;
    pending.forEach((p) => p.reject(error));
  }

  private ensureWorker(): WorkerEnd {
    if (!this.worker) {
      this.worker = this.spare ?? this.startEnd();
      this.spare = this.keepSpare ? this.startEnd() : undefined;
    }
    return this.worker;
  }

  /** The pre-warmed process when it runs this client's script and is still alive, else a new one. */
  private startRelayed(): Relayed {
    const waiting = warming.waiting;
    if (this.kind === 'process' && warming.script === this.workerScript && waiting && !waiting.stopped) {
      warming.waiting = undefined;
      this.tookWarm = true;
      return waiting;
    }
    return startRelayed(this.workerScript, this.kind);
  }

  private startEnd(): WorkerEnd {
    const relayed = this.startRelayed();
    const worker = relayed.end;
    relayed.onMessage = (raw) => {
      const message = raw as FromComputeWorker;
      const pending = this.pending.get(message.id);
      if (!pending || this.worker !== worker) return;
      if (message.tokens) {
        pending.onTokens?.(message.tokens);
        return;
      }
      this.pending.delete(message.id);
      if (message.crash === undefined && (message.outcome || message.check || 'slice' in message || 'raster' in message || 'row' in message || 'matrixFile' in message)) pending.resolve(message);
      else pending.reject(new Error(`The computation failed: ${message.crash ?? 'unknown error'}`));
    };
    relayed.onStop = (error) => {
      if (this.spare === worker) this.spare = undefined;
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.rejectAll(new Error(`The computation worker stopped: ${error.message}`));
    };
    return worker;
  }
}
