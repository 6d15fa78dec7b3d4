import * as vscode from 'vscode';
import { CancelledError, ComputeClient } from '../compute/computeClient';
import type { AttentionResult, Problem } from '../core';
import type { TokenDecorations } from '../editor/tokenDecorations';
import type { ModelService, RunTracker } from '../models/modelService';
import type { FromWebview, Intervention, Snapshot, TokenEdit, ToWebview, UiState } from '../shared/protocol';
import { isSlimmed } from '../shared/protocol';
import { readSettings, writeSettings } from '../settings';
import { changePanelSettings, describePanelSettings, withPanelSettings, type PanelSettings } from './panelSettings';
import { SelectionSource } from '../sources/selectionSource';
import type { AttentionSource } from '../sources/source';
import { saveExport } from './saveExport';
import { memoryBudgetBytes } from '../compute/memoryBudget';
import { DEFAULT_FOCUS, needsMatrix, payloadBytes, payloadProblem, slimResult, type Focus } from './slimResult';
import { RunGate, sendPartial } from './runGate';
import type { PartialModelResult } from '../compute/modelStream';
import { buildHtml, localResourceRoots } from './html';
import { validateMessage } from '../shared/validateMessage';
import { slimWhatIf, whatIfBytes } from '../compute/whatIf';

export const VIEW_TYPE = 'selfAttention.panel';
const DEBOUNCE_MS = 120;

/** Owns one webview panel: its HTML, messages, recomputation and the editor decorations it drives. */
export class AttentionPanel implements vscode.Disposable {
  private ready = false;
  private queue: ToWebview[] = [];
  /** The full result; the snapshot sent to the webview may be slimmed (see slimResult). */
  private snapshot: Snapshot | undefined;
  private lastError: ToWebview | undefined;
  /** Which computation is current, so a stale one (or its streamed layers) never overwrites a newer one. */
  private readonly gate = new RunGate();
  /** The last finished result, shown again when a streamed run stops part-way. */
  private complete: Snapshot | undefined;
  /** Orders snapshots for the webview, which ignores older ones. */
  private snapshotSeq = 0;
  private focus: Focus = DEFAULT_FOCUS;
  private debounce: ReturnType<typeof setTimeout> | undefined;
  private readonly compute = new ComputeClient();
  /** The model run this panel started last, so a newer run cancels it and hovers find its next tokens. */
  private readonly modelRun: RunTracker = {};
  /** The panel's "what if" list: every run of this panel applies it (the worker also runs without it, to compare). */
  private interventions: readonly Intervention[] = [];
  /** The panel's token edit ("what if this token were …"), for selections and real models. */
  private tokenEdit: TokenEdit<string> | undefined;
  /** Whether the panel shows attention rollout: every run then computes it in the worker. */
  private rollout = false;
  private readonly disposables: vscode.Disposable[] = [];
  private sourceDisposables: vscode.Disposable[] = [];
  private readonly disposed = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposed.event;

  constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private source: AttentionSource,
    private readonly decorations: TokenDecorations,
    private readonly log: vscode.LogOutputChannel,
    private readonly models: ModelService,
    /** This panel's changes over the user's settings, restored with the panel. */
    private panelSettings: PanelSettings = {},
  ) {
    panel.webview.options = { enableScripts: true, localResourceRoots: localResourceRoots(extensionUri) };
    panel.webview.html = buildHtml(panel.webview, extensionUri);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw) => this.onMessage(raw)),
      panel.onDidDispose(() => this.dispose()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (this.source instanceof SelectionSource && e.affectsConfiguration('selfAttention')) this.refresh();
      }),
      models.onDidChange(() => {
        if (this.source instanceof SelectionSource) this.refresh();
      }),
    );
    this.attach(source);
    this.compute.prepare();
  }

  get key(): string {
    return this.source.key;
  }

  /** Shows a new source in this panel (visualizing again from the same document). */
  setSource(source: AttentionSource): void {
    if (source !== this.source) {
      this.decorations.clear(this.source.uri);
      this.source.dispose();
      this.attach(source);
    }
    this.refresh(0);
  }

  reveal(): void {
    this.panel.reveal(vscode.ViewColumn.Beside, true);
  }

  /** Switches the panel to a view, matrix, head or locked token (the walkthrough's buttons). */
  showUi(ui: Partial<UiState>): void {
    this.setFocus({
      layer: ui.layer ?? this.focus.layer, head: ui.head ?? this.focus.head,
      view: ui.view ?? this.focus.view, matrix: ui.matrix ?? this.focus.matrix,
    });
    this.post({ type: 'showUi', ui });
  }

  /** Recomputes after a short quiet period; a newer call replaces an older one. */
  refresh(delay = DEBOUNCE_MS): void {
    clearTimeout(this.debounce);
    // What is running now did not see this change: its layers and result are stale from this moment.
    this.gate.supersede();
    this.modelRun.cancel?.();
    this.debounce = setTimeout(() => void this.run(), delay);
  }

  /** The latest finished result (not a streamed run's first layers), for tests and commands. */
  get current(): Snapshot | undefined {
    return this.complete;
  }

  /** The error the panel shows now, if any. */
  get lastErrorMessage(): string | undefined {
    return this.lastError?.type === 'error' ? this.lastError.message : undefined;
  }

  dispose(): void {
    this.release();
    this.panel.dispose();
    this.disposed.fire();
    this.disposed.dispose();
  }

  /**
   * Frees listeners, the worker and decorations but leaves the webview open. Used when the
   * extension deactivates on a window reload: closing the panel then would stop VS Code restoring it.
   */
  release(): void {
    clearTimeout(this.debounce);
    this.modelRun.cancel?.();
    this.compute.dispose();
    this.decorations.clear(this.source.uri);
    this.source.dispose();
    this.sourceDisposables.forEach((d) => d.dispose());
    this.sourceDisposables = [];
    this.disposables.forEach((d) => d.dispose());
    this.disposables.length = 0;
  }

  private attach(source: AttentionSource): void {
    this.sourceDisposables.forEach((d) => d.dispose());
    this.source = source;
    this.panel.title = panelTitle(source);
    this.sourceDisposables = [
      source.onDidChange(() => this.refresh()),
      source.onDidMoveCursor((index) => this.post({ type: 'highlightToken', index })),
    ];
  }

  private async run(): Promise<void> {
    const run = this.gate.begin();
    const streamed = { layers: 0, bytes: 0 };
    this.post({ type: 'busy', busy: true });
    try {
      const started = Date.now();
      const settings = withPanelSettings(readSettings(), this.panelSettings);
      const request = withInterventions(await this.source.request(settings), this.interventions, this.rollout, this.tokenEdit);
      const onLayer = (partial: PartialModelResult) => {
        if (this.gate.isCurrent(run)) this.showPartial(partial, streamed);
      };
      const outcome = await (this.models.selectionRun(request, this.modelRun, onLayer) ?? this.compute.compute(request, memoryBudgetBytes()));
      if (!this.gate.isCurrent(run)) return;
      if (!outcome) {
        this.restoreComplete(streamed.layers, vscode.l10n.t('The model run was cancelled.'));
        return;
      }
      this.log.info(`${this.source.title()}: computed in ${Date.now() - started} ms`);
      if (!outcome.ok) {
        this.lastError = { type: 'error', message: outcome.message, problems: outcome.problems };
        this.restoreComplete(streamed.layers);
        this.post(this.lastError);
        return;
      }
      this.source.setTokenRanges(outcome.tokenRanges, outcome.keyTokenRanges);
      this.lastError = undefined;
      this.snapshot = this.newSnapshot(outcome.result, outcome.warnings, {
        // The random model's settings do not apply to a real model's run.
        ...(this.source instanceof SelectionSource && outcome.result.provenance.kind !== 'model' ? { settings, panelSettings: this.panelSettings } : {}),
        ...(outcome.headSummaries ? { headSummaries: outcome.headSummaries } : {}),
        ...('nextTokens' in outcome && outcome.nextTokens ? { nextTokens: outcome.nextTokens } : {}),
        ...(outcome.whatIf ? { whatIf: outcome.whatIf } : {}),
        ...(outcome.rollout ? { rollout: outcome.rollout } : {}),
      });
      this.complete = this.snapshot;
      this.panel.title = panelTitle(this.source);
      this.postSnapshot();
    } catch (error) {
      if (error instanceof CancelledError) return;
      const message = error instanceof Error ? error.message : String(error);
      this.log.error(`Computation failed: ${message}`);
      if (this.gate.isCurrent(run)) {
        this.lastError = { type: 'error', message: `${message}. The last good view is kept; edit or select again to retry.`, problems: [] };
        this.restoreComplete(streamed.layers);
        this.post(this.lastError);
      }
    } finally {
      if (this.gate.isCurrent(run)) this.post({ type: 'busy', busy: false });
    }
  }

  private newSnapshot(result: AttentionResult, warnings: readonly Problem[], more: Partial<Snapshot> = {}): Snapshot {
    return {
      seq: ++this.snapshotSeq,
      source: this.source.info(),
      result,
      followSelection: this.source instanceof SelectionSource ? this.source.follow : undefined,
      warnings: this.withModelNotice(warnings),
      ...more,
    };
  }

  /** A real model's layers so far, shown while the rest run (see RunGate for which are sent). */
  private showPartial(partial: PartialModelResult, streamed: { layers: number; bytes: number }): void {
    const bytes = payloadBytes(slimResult(partial.result, this.focus));
    if (!sendPartial(partial.done, partial.total, bytes, streamed.bytes)) return;
    streamed.layers = partial.done;
    streamed.bytes += bytes;
    this.source.setTokenRanges(partial.tokenRanges);
    this.snapshot = this.newSnapshot(partial.result, [], { progress: { done: partial.done, total: partial.total } });
    this.postSnapshot();
  }

  /** A streamed run stopped part-way: the last finished result comes back, or the partial one stays with a note. */
  private restoreComplete(layersShown: number, why?: string): void {
    if (layersShown === 0) return;
    if (this.complete) {
      this.source.setTokenRanges(this.complete.source.tokenRanges ?? []);
      this.snapshot = { ...this.complete, seq: ++this.snapshotSeq };
      this.postSnapshot();
    } else if (why) {
      this.lastError = { type: 'error', message: why, problems: [] };
      this.post(this.lastError);
    }
  }

  private postSnapshot(): void {
    if (!this.snapshot) return;
    const result = slimResult(this.snapshot.result, this.focus, this.snapshot.headSummaries);
    const whatIf = this.snapshot.whatIf && slimWhatIf(this.snapshot.whatIf, result);
    // The comparison's matrices count against the budget with the result's.
    const rolloutBytes = this.snapshot.rollout && 'layers' in this.snapshot.rollout ? this.snapshot.rollout.layers.reduce((sum, m) => sum + m.data.byteLength, 0) : 0;
    const overBudget = payloadProblem(result, memoryBudgetBytes() - rolloutBytes - (whatIf ? whatIfBytes(whatIf, result) : 0));
    if (overBudget) {
      this.lastError = { type: 'error', message: overBudget, problems: [] };
      this.post(this.lastError);
      return;
    }
    this.log.info(`${this.source.title()}: snapshot ${this.snapshot.seq} carries ${(payloadBytes(result) / 1e6).toFixed(1)} MB of matrices`);
    this.post({ type: 'snapshot', snapshot: result === this.snapshot.result && whatIf === this.snapshot.whatIf ? this.snapshot : { ...this.snapshot, result, ...(whatIf ? { whatIf } : {}) } });
  }

  /** A slimmed snapshot holds only what the focused head's views draw: send what the new focus needs. */
  private setFocus(focus: Focus): void {
    const before = this.focus;
    const changed = focus.layer !== before.layer || focus.head !== before.head
      || (['scores', 'scaled', 'layer'] as const).some((kind) => needsMatrix(focus, kind) !== needsMatrix(before, kind));
    this.focus = focus;
    if (changed && this.snapshot && isSlimmed(this.snapshot.result)) {
      this.snapshot = { ...this.snapshot, seq: ++this.snapshotSeq };
      this.postSnapshot();
    }
  }

  private post(message: ToWebview): void {
    if (!this.ready) {
      if (message.type === 'snapshot' || message.type === 'error') this.queue = this.queue.filter((m) => m.type !== message.type);
      this.queue.push(message);
      return;
    }
    const sent = Date.now();
    void this.panel.webview.postMessage(message).then(() => {
      if (message.type === 'snapshot') this.log.info(`snapshot ${message.snapshot.seq} delivered in ${Date.now() - sent} ms`);
    });
  }

  /** A message from the webview, untrusted. (Integration tests call this to play the webview's part.) */
  onMessage(raw: unknown): void {
    const message = validateMessage(raw);
    if (!message) {
      this.log.warn(`Ignored a malformed message from the webview: ${safePreview(raw)}`);
      return;
    }
    this.handle(message);
  }

  private handle(message: FromWebview): void {
    switch (message.type) {
      case 'ready': {
        // A webview that was hidden reloads and says ready again: give it a fresh snapshot.
        this.ready = true;
        const pending = this.queue;
        this.queue = [];
        if (this.snapshot && !pending.some((m) => m.type === 'snapshot')) this.postSnapshot();
        if (this.lastError && !pending.some((m) => m.type === 'error')) this.post(this.lastError);
        pending.forEach((m) => this.post(m));
        return;
      }
      case 'tokenFocus':
        this.showTokenFocus(message.index, message.layer, message.head, message.weights, message.lastIndex);
        return;
      case 'updateSettings':
        this.panelSettings = changePanelSettings(this.panelSettings, message.settings, readSettings());
        this.refresh(0);
        return;
      case 'saveSettingsAsDefault':
        void this.saveSettingsAsDefault();
        return;
      case 'setFollowSelection':
        if (this.source instanceof SelectionSource) this.source.follow = message.follow;
        return;
      case 'setInterventions':
        if (JSON.stringify([message.interventions, message.tokenEdit]) === JSON.stringify([this.interventions, this.tokenEdit])) return;
        this.interventions = message.interventions;
        this.tokenEdit = message.tokenEdit;
        this.refresh(0);
        return;
      case 'runInductionProbe':
        void this.runInductionProbe();
        return;
      case 'uiState':
        if ((message.ui.rollout ?? false) !== this.rollout) {
          this.rollout = message.ui.rollout ?? false;
          if (this.rollout && !this.snapshot?.rollout) this.refresh(0);
        }
        this.setFocus({ layer: message.ui.layer, head: message.ui.head, view: message.ui.view, matrix: message.ui.matrix });
        return;
      case 'export':
        void saveExport(message, this.source.uri);
        return;
      case 'nextTokens':
        void this.sendNextTokens(message.position);
        return;
    }
  }

  /** Writes this panel's settings to the user's settings, once the user confirms it in a modal dialog. */
  private async saveSettingsAsDefault(): Promise<void> {
    const changes = this.panelSettings;
    if (Object.keys(changes).length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('This panel already uses your default settings.'));
      return;
    }
    const save = vscode.l10n.t('Save as Default');
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t('Save this panel\'s settings ({0}) as your defaults?', describePanelSettings(changes)),
      { modal: true, detail: vscode.l10n.t('They are written to your user settings and apply to every workspace and every new panel.') },
      save,
    );
    if (answer !== save) return;
    await writeSettings(changes);
    // What the user settings now give (a workspace setting may still win) is no longer this panel's own change.
    this.panelSettings = changePanelSettings({}, changes, readSettings());
    this.refresh(0);
  }

  private async runInductionProbe(): Promise<void> {
    const probe = await this.models.inductionProbe().catch((error: unknown) => ({ ok: false as const, message: error instanceof Error ? error.message : String(error) }));
    this.post(probe.ok ? { type: 'inductionProbe', scores: probe.scores } : { type: 'inductionProbe', message: probe.message });
  }

  private async sendNextTokens(position: number): Promise<void> {
    const runId = this.modelRun.lastId;
    if (runId === undefined || this.snapshot?.result.provenance.kind !== 'model') return;
    const nextTokens = await this.models.nextTokens(runId, position).catch(() => undefined);
    if (nextTokens && runId === this.modelRun.lastId) this.post({ type: 'nextTokens', nextTokens });
  }

  private withModelNotice(warnings: readonly Problem[]): readonly Problem[] {
    const notice = this.source instanceof SelectionSource ? this.models.notice() : undefined;
    return notice ? [notice, ...warnings] : warnings;
  }

  /** Tints follow the weights the panel shows (hidden keys renormalised); the snapshot's row is the fallback. */
  private showTokenFocus(index: number | null, layer: number, head: number, shown: readonly number[] | undefined, lastIndex = index): void {
    const ranges = this.source.tokenRanges();
    const weights = shown && shown.length === ranges?.keys.length ? shown : this.snapshot ? weightRow(this.snapshot.result, layer, head, index) : undefined;
    if (index === null || !ranges || !weights || index >= ranges.queries.length) {
      this.decorations.clear(this.source.uri);
      return;
    }
    // A word of several tokens (word grouping) is highlighted whole.
    const last = ranges.queries[Math.min(lastIndex ?? index, ranges.queries.length - 1)];
    this.decorations.show(this.source.uri, last ? ranges.queries[index].union(last) : ranges.queries[index], ranges.keys, weights);
  }
}

/** The request with the panel's interventions (a request the host could not even gather stays as it is). */
function withInterventions<R extends { readonly kind: string }>(request: R, interventions: readonly Intervention[], rollout: boolean, tokenEdit?: TokenEdit<string>): R {
  if (request.kind === 'error') return request;
  return {
    ...request,
    ...(interventions.length > 0 ? { interventions } : {}),
    ...(rollout ? { rollout } : {}),
    // Only a selection's tokens (or a model's ids) can be edited: a tensor file's weights belong to its own tokens.
    ...(tokenEdit && request.kind === 'selection' ? { tokenEdit } : {}),
  };
}

export function panelTitle(source: AttentionSource): string {
  return vscode.l10n.t('Attention: {0}', source.title());
}

function weightRow(result: AttentionResult, layer: number, head: number, index: number | null): Float32Array | undefined {
  const weights = result.layers[layer]?.heads[head]?.weights;
  if (!weights || index === null || index >= weights.rows) return undefined;
  return weights.data.subarray(index * weights.cols, (index + 1) * weights.cols);
}

function safePreview(raw: unknown): string {
  try {
    return (JSON.stringify(raw) ?? String(raw)).slice(0, 200);
  } catch {
    return '(unserializable)';
  }
}
