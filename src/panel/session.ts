/**
 * What a panel knows besides VS Code, pure so unit tests drive it: which run is current (a newer request makes every
 * earlier run stale at once, its streamed layers as much as its final result), the messages held until the webview
 * says ready, the snapshots' order, the snapshot on screen and the focus (which slice of a large result the webview
 * draws). AttentionPanel is the VS Code glue around it.
 */
import { isSlimmed, type ErrorPayload, type Snapshot, type SliceLayers, type ToWebview } from '../shared/protocol';
import { DEFAULT_FOCUS, needsMatrix, onRequest, type Focus } from '../compute/slice';

/** What a run's partial snapshots may carry in all: beyond it the panel waits for the whole result. */
export const PARTIAL_SNAPSHOT_BYTES = 64 * 1024 * 1024;

/**
 * Whether a partial snapshot of `done` of `total` layers is worth sending: the first layer always (what the user
 * waits for), later ones while the run's partial snapshots stay within `PARTIAL_SNAPSHOT_BYTES`; never the last
 * layer's (the whole result follows at once).
 */
export function sendPartial(done: number, total: number, bytes: number, alreadySent: number): boolean {
  if (done >= total) return false;
  return done === 1 || alreadySent + bytes <= PARTIAL_SNAPSHOT_BYTES;
}

/** Whether the webview needs another slice of a large result when the focus moves from `before` to `after`. */
export function needsSlice(before: Focus, after: Focus): boolean {
  return after.layer !== before.layer || after.head !== before.head || onRequest(after) !== onRequest(before)
    || (['scores', 'scaled', 'layer'] as const).some((kind) => needsMatrix(after, kind) !== needsMatrix(before, kind));
}

export class PanelSession {
  private ready = false;
  private queue: ToWebview[] = [];
  private latestRun = 0;
  private seq = 0;
  private focusNow: Focus = DEFAULT_FOCUS;
  /**
   * The snapshot on screen (or queued for it): what a reloaded webview gets again. Slices are sent, never kept: the
   * host holds no matrices of a large result (its worker does), and a reloaded webview gets its slice fetched again.
   */
  private shownSnapshot: Snapshot | undefined;
  /** The last finished result's snapshot (not a streamed run's first layers). */
  private completeSnapshot: Snapshot | undefined;
  private error: ErrorPayload | undefined;
  /** The run whose tokens were shown last (see showTokens), until a result replaces them. */
  private tokensRun: number | undefined;

  constructor(private readonly send: (message: ToWebview) => void) {}

  /** A new run starts: it is the current one until the next `beginRun` or `supersede`. */
  beginRun(): number {
    return ++this.latestRun;
  }

  /** Something changed that the running computation did not see: whatever it still delivers is stale. */
  supersede(): void {
    this.latestRun++;
  }

  isCurrent(run: number): boolean {
    return run === this.latestRun;
  }

  get focus(): Focus {
    return this.focusNow;
  }

  get shown(): Snapshot | undefined {
    return this.shownSnapshot;
  }

  get complete(): Snapshot | undefined {
    return this.completeSnapshot;
  }

  get lastError(): ErrorPayload | undefined {
    return this.error;
  }

  /**
   * Shows a result: numbered after every earlier one, it clears the error. A streamed run's part and a computing run's
   * tokens are not `complete`.
   */
  show(parts: Omit<Snapshot, 'seq'> & { readonly seq?: number }): Snapshot {
    const snapshot: Snapshot = { ...parts, seq: ++this.seq };
    this.shownSnapshot = snapshot;
    if (!snapshot.progress && !snapshot.computing) this.completeSnapshot = snapshot;
    this.error = undefined;
    // A webview not ready yet gets the current run's tokens ahead of its result: small, they are drawn while it travels.
    const tokensAhead = !snapshot.computing && this.tokensRun !== undefined && this.isCurrent(this.tokensRun);
    if (!snapshot.computing) this.tokensRun = undefined;
    this.post({ type: 'snapshot', snapshot }, tokensAhead);
    return snapshot;
  }

  /** A streamed run stopped part-way: the last finished result comes back (undefined: there is none). */
  restoreComplete(): Snapshot | undefined {
    if (!this.completeSnapshot) return undefined;
    return this.show(this.completeSnapshot);
  }

  /**
   * Run `run`'s tokens while it computes (a snapshot marked `computing`, not `complete`); undefined when the run is no
   * longer current. Its result replaces it; a run that ends in an error takes it back (see showError).
   */
  showTokens(run: number, parts: Omit<Snapshot, 'seq' | 'computing'>): Snapshot | undefined {
    if (!this.isCurrent(run)) return undefined;
    this.tokensRun = run;
    return this.show({ ...parts, computing: true });
  }

  /**
   * The banner over the last good view. Tokens of a run still computing are no good view: the last finished snapshot
   * comes back, or, with none, they are withdrawn. True when the snapshot on screen changed.
   */
  showError(error: ErrorPayload): boolean {
    const withdrawn = this.shownSnapshot?.computing === true;
    if (withdrawn) {
      const computing = this.shownSnapshot!;
      this.tokensRun = undefined;
      if (this.completeSnapshot) this.show(this.completeSnapshot);
      else {
        this.shownSnapshot = undefined;
        this.post({ type: 'withdraw', seq: computing.seq });
      }
    }
    this.error = error;
    this.post({ type: 'error', ...error });
    return withdrawn;
  }

  /**
   * The webview's focus moved. True when the snapshot on screen is a large result's slice that lacks what the new
   * focus draws: the caller fetches that slice and passes it to `showSlice`.
   */
  setFocus(focus: Focus): boolean {
    const before = this.focusNow;
    this.focusNow = focus;
    return this.shownSnapshot !== undefined && isSlimmed(this.shownSnapshot.result) && needsSlice(before, focus);
  }

  /**
   * Another slice of the snapshot `seq`: only its layers travel, and only to a ready webview (`onReady` asks for it
   * again). False when it was not sent.
   */
  showSlice(seq: number, layers: SliceLayers): boolean {
    if (!this.ready || this.shownSnapshot?.seq !== seq) return false;
    this.send({ type: 'slice', seq, layers });
    return true;
  }

  /**
   * Sends a message, or holds it until the webview is ready (only the newest snapshot and error are held, and the
   * tokens of a run ahead of its result when `tokensAhead`).
   */
  post(message: ToWebview, tokensAhead = false): void {
    if (!this.ready) {
      if (message.type === 'withdraw') {
        // The webview has not seen that snapshot yet: it need never see it.
        this.queue = this.queue.filter((m) => !(m.type === 'snapshot' && m.snapshot.seq === message.seq));
        return;
      }
      if (message.type === 'snapshot' || message.type === 'error') {
        this.queue = this.queue.filter((m) => m.type !== message.type || (tokensAhead && m.type === 'snapshot' && m.snapshot.computing === true));
      }
      this.queue.push(message);
      return;
    }
    this.send(message);
  }

  /**
   * The webview listens. A webview that was hidden reloads and says ready again: it gets the snapshot on screen and
   * the error again, then what was held. True when that snapshot is a large result's: the caller sends its slice.
   */
  onReady(): boolean {
    this.ready = true;
    const pending = this.queue;
    this.queue = [];
    const held = (type: ToWebview['type']) => pending.some((m) => m.type === type);
    if (this.shownSnapshot && !held('snapshot')) this.send({ type: 'snapshot', snapshot: this.shownSnapshot });
    if (this.error && !held('error')) this.send({ type: 'error', ...this.error });
    pending.forEach((message) => this.send(message));
    return this.shownSnapshot !== undefined && isSlimmed(this.shownSnapshot.result);
  }
}
