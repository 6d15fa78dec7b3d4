import * as vscode from 'vscode';
import { CancelledError, ComputeClient } from '../compute/computeClient';
import type { AttentionResult, Problem } from '../core';
import type { TokenDecorations } from '../editor/tokenDecorations';
import type { ModelService, RunTracker } from '../models/modelService';
import { isSlimmed, type ErrorPayload, type FromWebview, type Intervention, type Snapshot, type TokenEdit, type ToWebview, type UiState } from '../shared/protocol';
import { maxTokens, readSettings, writeSettings } from '../settings';
import { changePanelSettings, describePanelSettings, withPanelSettings, type PanelSettings } from './panelSettings';
import type { AttentionSource, RunSettings, TokenRanges } from '../sources/source';
import { saveExport } from './saveExport';
import { memoryBudgetBytes } from '../compute/memoryBudget';
import { payloadBytes, payloadProblem, slimResult, type Focus } from '../compute/slice';
import { needsSlice, PanelSession, sendPartial } from './session';
import type { PartialModelResult } from '../compute/modelStream';
import type { JobTokens } from '../compute/job';
import { buildHtml, localResourceRoots } from './html';
import { validateMessage } from '../shared/validateMessage';
import { slimWhatIf, whatIfBytes } from '../compute/whatIfSlice';
import { computeHeld, HeldData, modelHeld, type HeldResult } from './heldData';

export const VIEW_TYPE = 'selfAttention.panel';
const DEBOUNCE_MS = 120;

/** Owns one webview panel: VS Code glue around its PanelSession (see session.ts) and the compute worker. */
export class AttentionPanel implements vscode.Disposable {
  private readonly session: PanelSession;
  /** Where the result on screen is held, and the answers to the webview's requests for its withheld parts. */
  private readonly held: HeldData;
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
  /** Set when the panel closes: a run or an answer that ends later must not touch the closed webview. */
  private closed = false;
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
    this.session = new PanelSession((message) => this.send(message));
    this.held = new HeldData(this.session, log);
    panel.webview.options = { enableScripts: true, localResourceRoots: localResourceRoots(extensionUri) };
    panel.webview.html = buildHtml(panel.webview, extensionUri);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw) => this.onMessage(raw)),
      panel.onDidDispose(() => this.dispose()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (this.source.usesSettings && e.affectsConfiguration('selfAttention')) this.refresh();
      }),
      models.onDidChange(() => {
        if (this.source.usesSettings) this.refresh();
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
    const focus = this.session.focus;
    this.setFocus({ layer: ui.layer ?? focus.layer, head: ui.head ?? focus.head, view: ui.view ?? focus.view, matrix: ui.matrix ?? focus.matrix });
    this.session.post({ type: 'showUi', ui });
  }

  /** Recomputes after a short quiet period; a newer call replaces an older one. */
  refresh(delay = DEBOUNCE_MS): void {
    clearTimeout(this.debounce);
    // What is running now did not see this change: its layers and result are stale from this moment.
    this.session.supersede();
    this.modelRun.cancel?.();
    this.debounce = setTimeout(() => void this.run(), delay);
  }

  /** The latest finished result's snapshot as the webview has it (a large result holds the focused slice only). */
  get current(): Snapshot | undefined {
    return this.session.complete;
  }

  /** The error the panel shows now, if any. */
  get lastErrorMessage(): string | undefined {
    return this.session.lastError?.message;
  }

  dispose(): void {
    this.closed = true;
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
    this.session.supersede();
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
      source.onDidMoveCursor((index) => this.session.post({ type: 'highlightToken', index })),
    ];
  }

  /** Every setting one run uses, read once for it. */
  private readRunSettings(): RunSettings {
    return { compute: withPanelSettings(readSettings(), this.panelSettings), maxTokens: maxTokens(), budgetBytes: memoryBudgetBytes() };
  }

  private async run(): Promise<void> {
    const run = this.session.beginRun();
    const streamed = { layers: 0, bytes: 0 };
    this.session.post({ type: 'busy', busy: true });
    try {
      const started = Date.now();
      const settings = this.readRunSettings();
      const request = withInterventions(await this.source.request(settings), this.interventions, this.rollout, this.tokenEdit);
      const onLayer = (partial: PartialModelResult) => {
        if (this.session.isCurrent(run)) this.showPartial(partial, streamed);
      };
      const startFocus = this.session.focus;
      const modelRun = this.models.selectionRun(request, this.modelRun, onLayer, startFocus);
      // A large job's tokens are drawn while it computes (they come right after the parse); with the settings they ran with.
      const runSettings = this.source.usesSettings ? { settings: settings.compute, panelSettings: this.panelSettings } : {};
      const onTokens = (tokens: JobTokens) => {
        if (!this.session.isCurrent(run)) return;
        this.source.setTokenRanges(tokenRanges(tokens.tokenRanges, tokens.keyTokenRanges));
        this.log.info(`${this.source.title()}: tokens in ${Date.now() - started} ms, before the attention`);
        this.session.showTokens(run, { source: this.source.info(), result: tokens.frame, followSelection: this.source.follow, warnings: this.withModelNotice(tokens.warnings), ...runSettings });
      };
      // Then the result: a large one comes without matrices, and its focused slice follows (below).
      const outcome = await (modelRun ?? this.compute.compute(request, settings.budgetBytes, 'tokens', onTokens));
      if (!this.session.isCurrent(run)) return;
      if (!outcome) {
        this.restoreComplete(streamed.layers, vscode.l10n.t('The model run was cancelled.'));
        return;
      }
      this.log.info(`${this.source.title()}: computed in ${Date.now() - started} ms`);
      if (!outcome.ok) {
        this.restoreComplete(streamed.layers);
        this.showError({ message: outcome.message, problems: outcome.problems });
        return;
      }
      this.source.setTokenRanges(tokenRanges(outcome.tokenRanges, outcome.keyTokenRanges));
      // The compute or model process keeps the whole result (a large one came without matrices, or as startFocus's slice).
      const held = modelRun ? modelHeld(this.models, this.modelRun.lastId) : computeHeld(this.compute);
      const shown = this.showResult(outcome.result, held, outcome.warnings, settings.budgetBytes, {
        // The random model's settings do not apply to a real model's run.
        ...(outcome.result.provenance.kind !== 'model' ? runSettings : {}),
        ...(outcome.headSummaries ? { headSummaries: outcome.headSummaries } : {}),
        ...('nextTokens' in outcome && outcome.nextTokens ? { nextTokens: outcome.nextTokens } : {}),
        ...(outcome.whatIf ? { whatIf: outcome.whatIf } : {}),
        ...(outcome.rollout ? { rollout: outcome.rollout } : {}),
      });
      this.panel.title = panelTitle(this.source);
      if (shown && isSlimmed(outcome.result) && (!modelRun || needsSlice(startFocus, this.session.focus))) this.fetchSlice(this.session.focus);
    } catch (error) {
      if (error instanceof CancelledError) return;
      const message = error instanceof Error ? error.message : String(error);
      this.log.error(`Computation failed: ${message}`);
      if (this.session.isCurrent(run)) {
        this.restoreComplete(streamed.layers);
        this.showError({ message: `${message}. The last good view is kept; edit or select again to retry.`, problems: [] });
      }
    } finally {
      if (this.session.isCurrent(run)) this.session.post({ type: 'busy', busy: false });
    }
  }

  /** Shows a result's slice for the current focus, unless that slice alone is over the memory budget. */
  private showResult(result: AttentionResult, held: HeldResult, warnings: readonly Problem[], budget: number, more: Partial<Snapshot> = {}): Snapshot | undefined {
    const slice = slimResult(result, this.session.focus, more.headSummaries);
    // A what-if comparison carries the heads the slice carries; it and a rollout count against the budget too.
    const whatIf = more.whatIf && slimWhatIf(more.whatIf, slice);
    const rolloutBytes = more.rollout && 'layers' in more.rollout ? more.rollout.layers.reduce((sum, m) => sum + m.data.byteLength, 0) : 0;
    const overBudget = payloadProblem(slice, budget - rolloutBytes - (whatIf ? whatIfBytes(whatIf, slice) : 0));
    if (overBudget) {
      this.showError({ message: overBudget, problems: [] });
      return undefined;
    }
    const snapshot = this.session.show({
      source: this.source.info(),
      result: slice,
      followSelection: this.source.follow,
      warnings: this.withModelNotice(warnings),
      ...more,
      ...(whatIf ? { whatIf } : {}),
    });
    this.held.hold(snapshot.seq, held);
    this.log.info(`${this.source.title()}: snapshot ${snapshot.seq} carries ${(payloadBytes(slice) / 1e6).toFixed(1)} MB of matrices`);
    return snapshot;
  }

  /** A real model's layers so far, shown while the rest run (see sendPartial for which are sent). */
  private showPartial(partial: PartialModelResult, streamed: { layers: number; bytes: number }): void {
    const bytes = payloadBytes(slimResult(partial.result, this.session.focus));
    if (!sendPartial(partial.done, partial.total, bytes, streamed.bytes)) return;
    streamed.layers = partial.done;
    streamed.bytes += bytes;
    this.source.setTokenRanges(tokenRanges(partial.tokenRanges));
    this.showResult(partial.result, modelHeld(this.models, this.modelRun.lastId), [], Infinity, {
      progress: { done: partial.done, total: partial.total },
      ...(partial.headSummaries ? { headSummaries: partial.headSummaries } : {}),
    });
  }

  /** A streamed run stopped part-way: the last finished result comes back, or the partial one stays with a note. */
  private restoreComplete(layersShown: number, why?: string): void {
    if (layersShown === 0) return;
    const restored = this.session.restoreComplete();
    if (restored) this.source.setTokenRanges(tokenRanges(restored.source.tokenRanges));
    else if (why) this.showError({ message: why, problems: [] });
  }

  /** The views' focus moved: a large result's new slice comes from where the result is held. */
  private setFocus(focus: Focus): void {
    if (this.session.setFocus(focus)) this.fetchSlice(focus);
  }

  private fetchSlice(focus: Focus): void {
    const held = this.held.onScreen();
    if (!held) return;
    void held.result.slice(focus).then((layers) => {
      const shown = this.session.shown;
      // Only if the focus now draws nothing this slice lacks, and its snapshot is still on screen.
      if (!layers || shown?.seq !== held.seq || needsSlice(focus, this.session.focus)) return;
      const sliced = { ...shown.result, layers };
      const overBudget = payloadProblem(sliced, memoryBudgetBytes());
      if (overBudget) {
        this.showError({ message: overBudget, problems: [] });
        return;
      }
      this.log.info(`${this.source.title()}: a slice of snapshot ${held.seq} carries ${(payloadBytes(sliced) / 1e6).toFixed(1)} MB of matrices`);
      this.session.showSlice(held.seq, layers);
    }, (error: unknown) => {
      if (!(error instanceof CancelledError)) this.log.warn(`No slice for the new focus: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  /** The error banner; a computing run's tokens go (see PanelSession.showError), and the editor sync follows. */
  private showError(error: ErrorPayload): void {
    if (this.session.showError(error)) this.source.setTokenRanges(tokenRanges(this.session.shown?.source.tokenRanges));
  }

  private send(message: ToWebview): void {
    if (this.closed) return;
    const sent = Date.now();
    void this.panel.webview.postMessage(message).then(() => {
      if (message.type === 'snapshot') this.log.info(`snapshot ${message.snapshot.seq} delivered in ${Date.now() - sent} ms`);
      if (message.type === 'slice') this.log.info(`slice of snapshot ${message.seq} delivered in ${Date.now() - sent} ms`);
      if (message.type === 'raster') this.log.info(`raster ${message.answer.requestId} of snapshot ${message.answer.seq} delivered in ${Date.now() - sent} ms`);
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
      case 'ready':
        if (this.session.onReady()) this.fetchSlice(this.session.focus);
        return;
      case 'tokenFocus':
        this.showTokenFocus(message.index, message.weights, message.lastIndex);
        return;
      case 'updateSettings':
        this.panelSettings = changePanelSettings(this.panelSettings, message.settings, readSettings());
        this.refresh(0);
        return;
      case 'saveSettingsAsDefault':
        void this.saveSettingsAsDefault();
        return;
      case 'setFollowSelection':
        if (this.source.follow !== undefined) this.source.follow = message.follow;
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
          if (this.rollout && !this.current?.rollout) this.refresh(0);
        }
        this.setFocus(focusOf(message.ui));
        return;
      case 'raster':
      case 'row':
        this.held.answer(message.type, message.request);
        return;
      case 'export':
        void saveExport(message, this.source.uri);
        return;
      case 'exportMatrix':
        void this.held.exportMatrix(message.request, this.source.uri);
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
    this.session.post(probe.ok ? { type: 'inductionProbe', scores: probe.scores } : { type: 'inductionProbe', message: probe.message });
  }

  private async sendNextTokens(position: number): Promise<void> {
    const runId = this.modelRun.lastId;
    if (runId === undefined || this.session.shown?.result.provenance.kind !== 'model') return;
    const nextTokens = await this.models.nextTokens(runId, position).catch(() => undefined);
    if (nextTokens && runId === this.modelRun.lastId) this.session.post({ type: 'nextTokens', nextTokens });
  }

  private withModelNotice(warnings: readonly Problem[]): readonly Problem[] {
    const notice = this.source.usesSettings ? this.models.notice() : undefined;
    return notice ? [notice, ...warnings] : warnings;
  }

  /** Tints follow the weights the panel shows (hidden keys renormalised), which the webview sends with the token. */
  private showTokenFocus(index: number | null, shown: readonly number[] | undefined, lastIndex = index): void {
    const ranges = this.source.tokenRanges();
    if (index === null || !ranges || !shown || shown.length !== ranges.keys.length || index >= ranges.queries.length) {
      this.decorations.clear(this.source.uri);
      return;
    }
    // A word of several tokens (word grouping) is highlighted whole.
    const last = ranges.queries[Math.min(lastIndex ?? index, ranges.queries.length - 1)];
    this.decorations.show(this.source.uri, last ? ranges.queries[index].union(last) : ranges.queries[index], ranges.keys, shown);
  }
}

/** What the webview's UI draws: whole matrices while a "what if" or word grouping computes from them. */
function focusOf(ui: UiState): Focus {
  const whole = ui.grouping !== undefined || (ui.interventions?.length ?? 0) > 0 || ui.tokenEdit !== undefined;
  return { layer: ui.layer, head: ui.head, view: ui.view, matrix: ui.matrix, ...(whole ? { whole } : {}) };
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

/** The worker's token offsets as one TokenRanges (keys are the queries unless a file gives key_tokens). */
function tokenRanges(queries: TokenRanges['queries'] | undefined, keys: TokenRanges['keys'] = queries ?? []): TokenRanges | undefined {
  return queries ? { queries, keys } : undefined;
}

export function panelTitle(source: AttentionSource): string {
  return vscode.l10n.t('Attention: {0}', source.title());
}

function safePreview(raw: unknown): string {
  try {
    return (JSON.stringify(raw) ?? String(raw)).slice(0, 200);
  } catch {
    return '(unserializable)';
  }
}
