/**
 * Pre-warm (issue 14): one compute process starts at activation, and the first panel's client takes it instead of
 * forking; the stand-in worker (test/fixtures/crashing-worker.cjs) names the process it ran in.
 */
import type { ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ComputeClient } from '../../../src/compute/computeClient';
import type { ComputeOutcome, ComputeRequest } from '../../../src/compute/job';

const forked = vi.hoisted(() => [] as ChildProcess[]);

vi.mock('node:child_process', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:child_process')>();
  const fork = ((...args: Parameters<typeof actual.fork>) => {
    const child = actual.fork(...args);
    forked.push(child);
    return child;
  }) as typeof actual.fork;
  return { ...actual, fork, default: { ...actual, fork } };
});

const SCRIPT = path.resolve(__dirname, '../../fixtures/crashing-worker.cjs');
const request = (marker = ''): ComputeRequest => ({ kind: 'file', text: `{}${marker}` });
const ranIn = (o: ComputeOutcome) => (o.ok ? o.result.provenance.description : `failed: ${o.message}`);
const alive = () => forked.filter((c) => c.exitCode === null && c.signalCode === null);
const exited = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

const cleanups: { dispose(): void }[] = [];
afterEach(async () => {
  cleanups.splice(0).forEach((c) => c.dispose());
  await Promise.all(forked.map(exited));
  forked.length = 0;
});

describe('a pre-warmed compute process', () => {
  it('is started before any panel, and the first panel\'s client takes it instead of forking', async () => {
    cleanups.push(ComputeClient.prewarm(SCRIPT));
    expect(forked).toHaveLength(1);
    const warmPid = forked[0].pid;
    const first = new ComputeClient(SCRIPT);
    cleanups.push(first);
    first.prepare();
    expect(forked).toHaveLength(1);
    expect(ranIn(await first.compute(request()))).toBe(`process ${warmPid}`);
    // Its first result in, another waits for the next panel, which takes it in turn.
    expect(forked).toHaveLength(2);
    const second = new ComputeClient(SCRIPT);
    cleanups.push(second);
    expect(ranIn(await second.compute(request()))).toBe(`process ${forked[1].pid}`);
    expect(ranIn(await second.compute(request()))).toBe(`process ${forked[1].pid}`);
    expect(forked).toHaveLength(3);
  });

  it('a second prewarm while one waits starts nothing; disposing stops the waiting one, not one a panel took', async () => {
    const waiting = ComputeClient.prewarm(SCRIPT);
    ComputeClient.prewarm(SCRIPT);
    expect(forked).toHaveLength(1);
    waiting.dispose();
    await exited(forked[0]);
    const taken = ComputeClient.prewarm(SCRIPT);
    const client = new ComputeClient(SCRIPT);
    cleanups.push(client);
    await client.compute(request());
    expect(forked).toHaveLength(3); // the panel's, and the next one waiting
    taken.dispose();
    await exited(forked[2]);
    expect(alive().map((c) => c.pid)).toEqual([forked[1].pid]);
  });

  it('a pre-warmed process that died is not taken: the client forks a live one', async () => {
    cleanups.push(ComputeClient.prewarm(SCRIPT));
    const dead = forked[0];
    dead.kill();
    await exited(dead);
    await new Promise((r) => setTimeout(r, 50)); // the stop is reported a moment after the exit (see startWorker)
    const client = new ComputeClient(SCRIPT);
    cleanups.push(client);
    expect(ranIn(await client.compute(request()))).toBe(`process ${forked[1].pid}`);
  });

  it('a panel closed before its first job, or whose first job failed, still leaves one waiting for the next panel', async () => {
    cleanups.push(ComputeClient.prewarm(SCRIPT));
    const closed = new ComputeClient(SCRIPT);
    closed.prepare();
    closed.dispose();
    expect(forked).toHaveLength(2);
    const failing = new ComputeClient(SCRIPT);
    cleanups.push(failing);
    await expect(failing.compute(request('REPORT'))).rejects.toThrow(/reported failure/);
    expect(forked).toHaveLength(3);
    const next = new ComputeClient(SCRIPT);
    cleanups.push(next);
    expect(ranIn(await next.compute(request()))).toBe(`process ${forked[2].pid}`);
  });

  it('a thread client (a checker) never takes it', async () => {
    cleanups.push(ComputeClient.prewarm(SCRIPT));
    const thread = new ComputeClient(SCRIPT, 'thread');
    cleanups.push(thread);
    expect(ranIn(await thread.compute(request()))).toMatch(/^thread /);
    expect(forked).toHaveLength(1);
    expect(alive()).toHaveLength(1);
  });
});
