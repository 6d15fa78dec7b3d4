import { describe, expect, it } from 'vitest';
import { evaluate, resultFrame, type AttentionResult, type AttentionSpec } from '../../../src/core';
import { DEFAULT_FOCUS, slimResult } from '../../../src/compute/slice';
import { needsSlice, PanelSession } from '../../../src/panel/session';
import { isWithheld, type Snapshot, type ToWebview } from '../../../src/shared/protocol';

/** A precomputed result of `heads` uniform causal heads over n tokens (n above 256 is a large, slimmed result). */
function result(n: number, heads = 2): AttentionResult {
  return evaluate(spec(n, heads));
}

/** What the worker sends while it computes `result(n, heads)`: its frame, every head 0 × 0. */
function frame(n: number, heads = 2): AttentionResult {
  return resultFrame(spec(n, heads));
}

function spec(n: number, heads: number): AttentionSpec {
  const tokens = Array.from({ length: n }, (_, i) => `t${i}`);
  return ({
    kind: 'precomputed', tokens, options: { scale: true, mask: { kind: 'causal' }, temperature: 1 },
    provenance: { kind: 'model', description: 'test' },
    attention: [Array.from({ length: heads }, () => {
      const data = new Float32Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) data[i * n + j] = 1 / (i + 1);
      return { rows: n, cols: n, data };
    })],
  });
}

function parts(r: AttentionResult): Omit<Snapshot, 'seq'> {
  return { source: { kind: 'file', ref: { kind: 'file', uri: 'file:///a.json' }, label: 'a.json' }, result: r, warnings: [] };
}

function session() {
  const sent: ToWebview[] = [];
  return { sent, session: new PanelSession((m) => sent.push(m)) };
}

describe('PanelSession', () => {
  it('a newer request makes every earlier run stale, whether or not it has started', () => {
    const { session: s } = session();
    const first = s.beginRun();
    expect(s.isCurrent(first)).toBe(true);
    s.supersede(); // an edit: the next run starts after the debounce
    expect(s.isCurrent(first)).toBe(false);
    const second = s.beginRun();
    expect([s.isCurrent(first), s.isCurrent(second)]).toEqual([false, true]);
  });

  it('holds messages until ready, keeping only the newest snapshot and error, in order', () => {
    const { sent, session: s } = session();
    s.post({ type: 'busy', busy: true });
    s.show(parts(result(3)));
    s.showError({ message: 'old', problems: [] });
    const newest = s.show(parts(result(4)));
    s.showError({ message: 'new', problems: [] });
    expect(sent).toEqual([]);
    s.onReady();
    expect(sent.map((m) => m.type)).toEqual(['busy', 'snapshot', 'error']);
    expect(sent[1]).toEqual({ type: 'snapshot', snapshot: newest });
    expect(sent[2]).toMatchObject({ message: 'new' });
  });

  it('numbers snapshots in order; a shown result clears the error and becomes the complete one unless streamed', () => {
    const { sent, session: s } = session();
    s.onReady();
    s.showError({ message: 'broken', problems: [] });
    const a = s.show(parts(result(3)));
    expect(s.lastError).toBeUndefined();
    const partial = s.show({ ...parts(result(3)), progress: { done: 1, total: 2 } });
    expect(partial.seq).toBeGreaterThan(a.seq);
    expect(s.complete).toBe(a);
    expect(s.shown).toBe(partial);
    const restored = s.restoreComplete();
    expect(restored?.seq).toBeGreaterThan(partial.seq);
    expect(restored?.result).toBe(a.result);
    expect(sent.filter((m) => m.type === 'snapshot')).toHaveLength(3);
  });

  it('a reloaded webview (ready again) gets the snapshot on screen and the error again', () => {
    const { sent, session: s } = session();
    s.onReady();
    const shown = s.show(parts(result(3)));
    s.showError({ message: 'bad edit', problems: [] });
    sent.length = 0;
    s.onReady();
    expect(sent).toEqual([{ type: 'snapshot', snapshot: shown }, { type: 'error', message: 'bad edit', problems: [] }]);
  });

  it('asks for a slice only for a large result, and only when the focus draws something else', () => {
    const { session: s } = session();
    s.onReady();
    s.show(parts(result(3)));
    expect(s.setFocus({ ...DEFAULT_FOCUS, head: 1 })).toBe(false); // small: every head travelled whole
    s.show(parts(slimResult(result(300), s.focus)));
    // The token view asked for rows; the head grid draws the layer's weights.
    expect(s.setFocus({ ...DEFAULT_FOCUS, head: 1, view: 'grid' })).toBe(true);
    expect(s.setFocus({ ...DEFAULT_FOCUS, head: 1, view: 'grid', matrix: 'scores' })).toBe(false); // the same head's weights
    expect(s.setFocus({ ...DEFAULT_FOCUS, head: 0, view: 'grid' })).toBe(true);
    expect(s.setFocus({ ...DEFAULT_FOCUS, head: 0, view: 'matrix', matrix: 'scores' })).toBe(true);
    expect(needsSlice(DEFAULT_FOCUS, { ...DEFAULT_FOCUS, view: 'matrix', matrix: 'weights' })).toBe(false);
    expect(needsSlice(DEFAULT_FOCUS, { ...DEFAULT_FOCUS, view: 'pipeline' })).toBe(true);
    // A "what if" or word grouping computes from whole matrices: the rows-and-rasters slice will not do.
    expect(needsSlice(DEFAULT_FOCUS, { ...DEFAULT_FOCUS, whole: true })).toBe(true);
  });

  it('a slice travels alone, to a ready webview, for the snapshot on screen only, and is not kept', () => {
    const { sent, session: s } = session();
    s.onReady();
    const big = result(300);
    const shown = s.show(parts(slimResult(big, s.focus)));
    expect(isWithheld(shown.result.layers[0].heads[1].weights)).toBe(false); // no summaries: every head keeps weights
    s.setFocus({ ...DEFAULT_FOCUS, view: 'matrix', matrix: 'scores' });
    const layers = slimResult(big, s.focus).layers;
    sent.length = 0;
    expect(s.showSlice(shown.seq - 1, layers)).toBe(false);
    expect(s.showSlice(shown.seq, layers)).toBe(true);
    expect(sent).toEqual([{ type: 'slice', seq: shown.seq, layers }]);
    // The host keeps no matrices of a large result: the snapshot on screen is still the one first shown.
    expect(s.shown).toBe(shown);
    expect(s.complete).toBe(shown);
    sent.length = 0;
    expect(s.onReady()).toBe(true); // a reloaded webview gets the snapshot, and the caller sends its slice again
    expect(sent).toEqual([{ type: 'snapshot', snapshot: shown }]);
  });

  it('a slice for a webview that is not ready is dropped: the caller sends it once the webview is ready', () => {
    const { sent, session: s } = session();
    const big = result(300);
    const shown = s.show(parts(slimResult(big, s.focus)));
    expect(s.showSlice(shown.seq, slimResult(big, { ...DEFAULT_FOCUS, view: 'pipeline' }).layers)).toBe(false);
    expect(s.onReady()).toBe(true);
    expect(sent).toEqual([{ type: 'snapshot', snapshot: shown }]);
  });

  it('a small result needs no slice after ready: it travelled whole', () => {
    const { session: s } = session();
    s.show(parts(result(3)));
    expect(s.onReady()).toBe(false);
  });

  describe('tokens first (a computing snapshot)', () => {
    const snapshots = (sent: ToWebview[]) => sent.filter((m) => m.type === 'snapshot').map((m) => (m as { snapshot: Snapshot }).snapshot);

    it('the tokens go first, marked computing and not complete; the result replaces them', () => {
      const { sent, session: s } = session();
      s.onReady();
      const run = s.beginRun();
      const tokens = s.showTokens(run, parts(frame(300)));
      expect(tokens?.computing).toBe(true);
      expect(tokens?.result.layers[0].heads.map((h) => [h.name, h.weights.rows])).toEqual([['head 1', 0], ['head 2', 0]]);
      expect(s.shown).toBe(tokens);
      expect(s.complete).toBeUndefined();
      const done = s.show(parts(result(300)));
      expect(snapshots(sent).map((x) => [x.seq, x.computing ?? false])).toEqual([[tokens!.seq, true], [done.seq, false]]);
      expect(done.seq).toBeGreaterThan(tokens!.seq);
      expect(s.complete).toBe(done);
    });

    it('a superseded run shows no tokens', () => {
      const { sent, session: s } = session();
      s.onReady();
      const first = s.beginRun();
      s.supersede();
      expect(s.showTokens(first, parts(frame(300)))).toBeUndefined();
      const second = s.beginRun();
      expect(s.showTokens(first, parts(frame(300)))).toBeUndefined();
      expect(sent).toEqual([]);
      expect(s.showTokens(second, parts(frame(301)))?.result.tokens).toHaveLength(301);
    });

    it('a run that fails takes its tokens back: the last finished result returns under the error', () => {
      const { sent, session: s } = session();
      s.onReady();
      const before = s.show(parts(result(3)));
      s.showTokens(s.beginRun(), parts(frame(300)));
      sent.length = 0;
      expect(s.showError({ message: 'over budget', problems: [] })).toBe(true);
      expect(sent.map((m) => m.type)).toEqual(['snapshot', 'error']);
      const back = snapshots(sent)[0];
      expect(back.result).toBe(before.result);
      expect(back.computing).toBeUndefined();
      expect(s.shown).toBe(back);
      expect(s.lastError?.message).toBe('over budget');
    });

    it('with no finished result before it, a failed run\'s tokens are withdrawn; before ready, they are never sent', () => {
      const { sent, session: s } = session();
      s.onReady();
      const tokens = s.showTokens(s.beginRun(), parts(frame(300)))!;
      sent.length = 0;
      expect(s.showError({ message: 'crashed', problems: [] })).toBe(true);
      expect(sent).toEqual([{ type: 'withdraw', seq: tokens.seq }, { type: 'error', message: 'crashed', problems: [] }]);
      expect(s.shown).toBeUndefined();

      const quiet = session();
      quiet.session.showTokens(quiet.session.beginRun(), parts(frame(300)));
      quiet.session.showError({ message: 'crashed', problems: [] });
      quiet.session.onReady();
      expect(quiet.sent.map((m) => m.type)).toEqual(['error']);
    });

    it('before ready, a run\'s tokens stay queued ahead of its own result; a newer run\'s result drops them', () => {
      const { sent, session: s } = session();
      const run = s.beginRun();
      const tokens = s.showTokens(run, parts(frame(300)))!;
      const done = s.show(parts(result(300)));
      s.onReady();
      expect(snapshots(sent)).toEqual([tokens, done]);

      const later = session();
      const stale = later.session.beginRun();
      later.session.showTokens(stale, parts(frame(300)));
      later.session.supersede();
      later.session.beginRun();
      const newer = later.session.show(parts(result(4)));
      later.session.onReady();
      expect(snapshots(later.sent)).toEqual([newer]);
    });

    it('an error over a finished result leaves it on screen', () => {
      const { sent, session: s } = session();
      s.onReady();
      s.show(parts(result(3)));
      sent.length = 0;
      expect(s.showError({ message: 'bad', problems: [] })).toBe(false);
      expect(sent.map((m) => m.type)).toEqual(['error']);
    });
  });
});
