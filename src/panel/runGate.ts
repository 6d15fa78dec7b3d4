/**
 * Which computation a panel shows. A newer request (an edit, a setting, another model) makes every earlier run
 * stale at once, its streamed layers as much as its final result; and a streamed run's partial snapshots stop once
 * they have cost their share of the webview channel (each one carries every layer so far). Pure, for unit tests.
 */

/** What a run's partial snapshots may carry in all: beyond it the panel waits for the whole result. */
export const PARTIAL_SNAPSHOT_BYTES = 64 * 1024 * 1024;

export class RunGate {
  private latest = 0;

  /** A new run starts: it is the current one until the next `begin` or `supersede`. */
  begin(): number {
    return ++this.latest;
  }

  /** Something changed that the running computation did not see: whatever it still delivers is stale. */
  supersede(): void {
    this.latest++;
  }

  isCurrent(run: number): boolean {
    return run === this.latest;
  }
}

/**
 * Whether a partial snapshot of `done` of `total` layers is worth sending: the first layer always (what the user
 * waits for), later ones while the run's partial snapshots stay within `PARTIAL_SNAPSHOT_BYTES`; never the last
 * layer's (the whole result follows at once).
 */
export function sendPartial(done: number, total: number, bytes: number, alreadySent: number): boolean {
  if (done >= total) return false;
  return done === 1 || alreadySent + bytes <= PARTIAL_SNAPSHOT_BYTES;
}
