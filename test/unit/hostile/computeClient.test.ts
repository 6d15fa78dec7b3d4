/**
 * Crash isolation and cancellation in ComputeClient, with a tiny stand-in compute process
 * (test/fixtures/crashing-worker.cjs) that crashes on marker inputs.
 * Every process the client forks is tracked (node:child_process is wrapped), so the tests can check
 * that a crashed or cancelled process is gone and nothing is left behind after dispose.
 */
import type { ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CancelledError, ComputeClient } from '../../../src/compute/computeClient';
import type { ComputeOutcome, ComputeRequest } from '../../../src/compute/job';

interface Tracked {
  readonly worker: ChildProcess;
  readonly pid: number;
  readonly exited: Promise<number>;
  exitCode?: number;
}

const tracked = vi.hoisted(() => [] as Tracked[]);

vi.mock('node:child_process', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:child_process')>();
  const fork = ((...args: Parameters<typeof actual.fork>) => {
    const child = actual.fork(...args);
    const entry: Tracked = {
      worker: child, pid: child.pid ?? -1,
      exited: new Promise((resolve) => child.once('exit', (code, signal) => { entry.exitCode = code ?? (signal ? 128 : -1); resolve(entry.exitCode); })),
    };
    tracked.push(entry);
    return child;
  }) as typeof actual.fork;
  return { ...actual, fork, default: { ...actual, fork } };
});

const SCRIPT = path.resolve(__dirname, '../../fixtures/crashing-worker.cjs');
/** A big request (every request goes to the worker; the markers make the stand-in misbehave). */
const big = (marker: string): ComputeRequest => ({ kind: 'file', text: `${' '.repeat(5000)}${marker}` });
const ranIn = (o: ComputeOutcome) => (o.ok ? o.result.provenance.description : `failed: ${o.message}`);

/** Resolves when every worker created so far has exited; fails after the timeout with how many are alive. */
async function allExited(timeoutMs = 3000): Promise<void> {
  const alive = () => tracked.filter((t) => t.exitCode === undefined).map((t) => t.pid);
  const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), timeoutMs));
  const result = await Promise.race([Promise.all(tracked.map((t) => t.exited)), timeout]);
  if (result === 'timeout') throw new Error(`compute processes still alive after ${timeoutMs} ms: processes ${alive().join(', ')}`);
}

let clients: ComputeClient[] = [];
function client(script = SCRIPT): ComputeClient {
  const c = new ComputeClient(script);
  clients.push(c);
  return c;
}

afterEach(async () => {
  clients.forEach((c) => c.dispose());
  clients = [];
  await allExited();
  tracked.length = 0;
});

describe('ComputeClient: a crashed worker', () => {
  it('small requests run in the worker too: the host computes nothing', async () => {
    const o = await client().compute({ kind: 'file', text: '{"tokens": ["a"], "embeddings": [[1]]}' });
    expect(ranIn(o)).toBe(`process ${tracked[0].pid}`);
    expect(tracked).toHaveLength(1);
  });

  it('process.exit in the worker: a clear rejection, then a fresh worker that succeeds', async () => {
    const c = client();
    const first = await c.compute(big('fine'));
    expect(first.ok).toBe(true);
    await expect(c.compute(big('EXIT'))).rejects.toThrow(/^The computation worker stopped: exit code 3$/);
    expect(await tracked[0].exited).toBe(3);
    const next = await c.compute(big('fine'));
    expect(next.ok).toBe(true);
    expect(tracked).toHaveLength(2);
    expect(ranIn(next)).toBe(`process ${tracked[1].pid}`);
    expect(tracked[1].pid).not.toBe(tracked[0].pid);
  });

  it('an uncaught asynchronous throw in the worker: a clear rejection, then a fresh worker', async () => {
    const c = client();
    await expect(c.compute(big('THROW'))).rejects.toThrow(/^The computation worker stopped: boom from the test worker$/);
    await tracked[0].exited;
    const next = await c.compute(big('fine'));
    expect(ranIn(next)).toBe(`process ${tracked[1].pid}`);
  });

  it('a failure the worker reports: a clear rejection, and the same worker serves the next request', async () => {
    const c = client();
    await expect(c.compute(big('REPORT'))).rejects.toThrow(/^The computation failed: reported failure$/);
    const next = await c.compute(big('fine'));
    expect(ranIn(next)).toBe(`process ${tracked[0].pid}`);
    expect(tracked).toHaveLength(1);
  });

  it('a worker script that cannot load: every request rejects clearly, none hangs', async () => {
    const c = client(path.resolve(__dirname, '../../fixtures/no-such-worker.cjs'));
    await expect(c.compute(big('fine'))).rejects.toThrow(/^The computation worker stopped: .*no-such-worker/);
    await expect(c.compute(big('fine'))).rejects.toThrow(/^The computation worker stopped/);
  });

  it('crash after crash: each request gets its own fresh worker', async () => {
    const c = client();
    for (let i = 0; i < 3; i++) await expect(c.compute(big(i % 2 ? 'THROW' : 'EXIT'))).rejects.toThrow(/worker stopped/);
    expect((await c.compute(big('fine'))).ok).toBe(true);
    expect(tracked).toHaveLength(4);
    expect(new Set(tracked.map((t) => t.pid)).size).toBe(4);
  });
});

describe('ComputeClient: a checker\'s thread', () => {
  it('runs in a worker thread of this process, forks nothing, and is stopped by dispose', async () => {
    const c = new ComputeClient(SCRIPT, 'thread');
    clients.push(c);
    const o = await c.compute(big('fine'));
    expect(ranIn(o)).toMatch(/^thread \d+$/);
    expect(tracked).toHaveLength(0);
    await expect(c.compute(big('THROW'))).rejects.toThrow(/^The computation worker stopped: boom from the test worker$/);
    expect(ranIn(await c.compute(big('fine')))).toMatch(/^thread \d+$/);
  });
});

describe('ComputeClient: cancellation', () => {
  it('a newer request rejects the older with CancelledError and resolves itself', async () => {
    const c = client();
    const older = c.compute(big('SLOW'));
    const newer = c.compute(big('fine'));
    await expect(older).rejects.toBeInstanceOf(CancelledError);
    await expect(older).rejects.toThrow('Cancelled by a newer request');
    const o = await newer;
    expect(o.ok).toBe(true);
    // The older request's worker was terminated; the newer one runs on a fresh worker.
    await tracked[0].exited;
    expect(ranIn(o)).toBe(`process ${tracked[1].pid}`);
  });

  it('a burst of requests: only the last resolves, the rest are cancelled, no worker piles up', async () => {
    const c = client();
    const all = Array.from({ length: 20 }, (_, i) => c.compute(big(i < 19 ? 'SLOW' : 'fine')));
    const settled = await Promise.allSettled(all);
    expect(settled.slice(0, 19).every((s) => s.status === 'rejected' && s.reason instanceof CancelledError)).toBe(true);
    expect(settled[19].status).toBe('fulfilled');
    await Promise.all(tracked.slice(0, -1).map((t) => t.exited));
    expect(tracked.filter((t) => t.exitCode === undefined)).toHaveLength(1);
  });

  it('a small request also cancels a pending one', async () => {
    const c = client();
    const older = c.compute(big('HANG'));
    const newer = c.compute({ kind: 'file', text: '{"tokens": ["a"], "embeddings": [[1]]}' });
    await expect(older).rejects.toBeInstanceOf(CancelledError);
    expect((await newer).ok).toBe(true);
    await tracked[0].exited;
  });

  it('cancel() stops a hung computation', async () => {
    const c = client();
    const hung = c.compute(big('HANG'));
    c.cancel();
    await expect(hung).rejects.toBeInstanceOf(CancelledError);
    await tracked[0].exited;
  });
});

describe('ComputeClient: dispose', () => {
  it('rejects the pending request and leaves no worker behind', async () => {
    const c = new ComputeClient(SCRIPT);
    const hung = c.compute(big('HANG'));
    c.dispose();
    await expect(hung).rejects.toBeInstanceOf(CancelledError);
    await allExited();
  });

  it('terminates an idle worker', async () => {
    const c = new ComputeClient(SCRIPT);
    expect((await c.compute(big('fine'))).ok).toBe(true);
    expect(tracked[0].exitCode).toBeUndefined();
    c.dispose();
    await allExited();
    c.dispose(); // twice is harmless
  });
});
