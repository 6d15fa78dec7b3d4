import { fork } from 'node:child_process';
import { Worker } from 'node:worker_threads';

/**
 * Where a compute worker runs: a process of its own, whose memory (every result a panel's worker keeps) is not the
 * extension host's; or a thread, lighter to start and to keep, for the checks behind the Problems panel, which keep
 * nothing.
 */
export type WorkerKind = 'process' | 'thread';

/** The host's end of a compute worker, of either kind. Messages are structured clones (typed arrays stay binary). */
export interface WorkerEnd {
  post(message: object, onError: (error: Error) => void): void;
  stop(): void;
}

/** Starts `script`; `onStop` hears once or more why it stopped (an uncaught error's message, else its exit code). */
export function startWorker(script: string, kind: WorkerKind, onMessage: (message: unknown) => void, onStop: (error: Error) => void): WorkerEnd {
  if (kind === 'thread') {
    const worker = new Worker(script);
    worker.on('message', onMessage);
    worker.on('error', onStop);
    worker.on('exit', (code) => onStop(new Error(`exit code ${code}`)));
    return {
      post: (message, onError) => {
        try {
          worker.postMessage(message);
        } catch (error) {
          onError(error instanceof Error ? error : new Error(String(error)));
        }
      },
      stop: () => void worker.terminate(),
    };
  }
  // Plain Node (the extension host's own runtime) with no inherited flags; its stderr says why it died, if it does.
  const child = fork(script, [], { serialization: 'advanced', execArgv: [], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4096);
  });
  child.on('message', onMessage);
  child.on('error', onStop);
  // An uncaught error ends the process with its message on stderr, which may still be arriving.
  child.on('exit', (code, signal) => setTimeout(() => onStop(new Error(uncaughtMessage(stderr) ?? `exit code ${code ?? signal}`)), 20));
  return {
    post: (message, onError) => {
      child.send(message, (error) => {
        if (error) onError(error);
      });
    },
    stop: () => void child.kill(),
  };
}

/** The message of the error that ended a Node process, from its stderr ("Error: …" after the stack's source line). */
function uncaughtMessage(stderr: string): string | undefined {
  return /^(?:\w*Error|Error \[\w+\]): (.+)$/m.exec(stderr)?.[1];
}
