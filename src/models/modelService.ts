import * as os from 'node:os';
import * as vscode from 'vscode';
import { CancelledError } from '../compute/computeClient';
import type { ComputeRequest } from '../compute/job';
import type { Intervention, Problem, TokenEdit } from '../core';
import { memoryBudgetBytes } from '../compute/memoryBudget';
import { ModelClient } from '../compute/modelClient';
import type { InductionProbeOutcome, ModelOutcome } from '../compute/modelProtocol';
import type { PartialModelResult } from '../compute/modelStream';
import type { DataRefusal, MatrixFileOutcome, MatrixFileRequest, NextTokens, RasterAnswer, RasterRequest, RowAnswer, RowRequest, SliceLayers } from '../shared/protocol';
import type { Focus } from '../compute/slice';
import { hubCacheDirs, listCachedModels, modelName } from './hfCache';
import { displayPath } from './modelFolder';
import { RANDOM_MODEL, resolveModelSetting, type ModelChoice } from './modelSetting';
import { pickerItems, type PickerAction } from './pickerItems';
import { SETTINGS } from '../shared/settings';

const SECTION = 'selfAttention';
const PROGRESS_DELAY_MS = 400;

/**
 * The active model for selections: the setting (with the trust rules), the picker, the status bar item,
 * and runs in the shared model worker with a progress notification that can cancel them.
 */
export class ModelService implements vscode.Disposable {
  private readonly client = new ModelClient();
  private readonly statusItem = vscode.window.createStatusBarItem('selfAttention.model', vscode.StatusBarAlignment.Right, 100);
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.statusItem, this.changed];
  /** Fires when the active model changes (setting, picker, workspace trust): selection panels re-run. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.statusItem.name = 'Self-Attention Model';
    this.statusItem.command = 'selfAttention.chooseModel';
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${SECTION}.model`)) this.update();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.update()),
    );
    this.update(false);
    this.statusItem.show();
  }

  choice(): ModelChoice {
    const inspected = vscode.workspace.getConfiguration(SECTION).inspect<unknown>('model');
    return resolveModelSetting(inspected, vscode.workspace.isTrusted, os.homedir());
  }

  /**
   * The model run a selection request asks for, or undefined when the random weights compute it (the
   * compute client's path). Any notice about the setting (an ignored workspace value) joins the warnings.
   */
  selectionRun(request: ComputeRequest, runs: RunTracker, onLayer?: (partial: PartialModelResult) => void, focus?: Focus): Promise<ModelOutcome | undefined> | undefined {
    if (request.kind !== 'selection') return undefined;
    const choice = this.choice();
    runs.cancel?.();
    if (choice.kind === 'invalid') return Promise.resolve({ ok: false, message: choice.message, problems: [{ severity: 'error', message: choice.message }] });
    if (choice.kind === 'random') return undefined;
    const bos = vscode.workspace.getConfiguration(SECTION).get<unknown>('prependBos', SETTINGS.prependBos.default);
    return this.run(choice.folder, request.text, request.maxTokens, bos === 'on' ? true : bos === 'off' ? false : undefined, runs, onLayer, { interventions: request.interventions, rollout: request.rollout, tokenEdit: request.tokenEdit, focus });
  }

  /** A warning about the model setting for every selection panel (an untrusted workspace's value ignored). */
  notice(): Problem | undefined {
    const choice = this.choice();
    return choice.kind !== 'invalid' && choice.notice ? { severity: 'warning', message: choice.notice } : undefined;
  }

  /** Runs `text` through the model folder with a cancellable progress notification. Undefined: cancelled. */
  private async run(
    folder: string, text: string, maxTokens: number, prependBos: boolean | undefined, runs: RunTracker, onLayer?: (partial: PartialModelResult) => void,
    whatIf: { readonly interventions?: readonly Intervention[]; readonly rollout?: boolean; readonly tokenEdit?: TokenEdit<string>; readonly focus?: Focus } = {},
  ): Promise<ModelOutcome | undefined> {
    const { interventions = [], rollout = false, tokenEdit, focus } = whatIf;
    const { id, outcome } = this.client.run({
      folder,
      text,
      maxTokens,
      budgetBytes: memoryBudgetBytes(),
      ...(prependBos !== undefined ? { prependBos } : {}),
      ...(interventions.length > 0 ? { interventions } : {}),
      ...(rollout ? { rollout } : {}),
      ...(tokenEdit ? { tokenEdit } : {}),
      ...(focus ? { focus } : {}),
    }, (p) => runs.progress?.(p.message, p.done, p.total), onLayer);
    runs.cancel = () => this.client.cancel(id);
    runs.lastId = id;
    // Quick runs (a tiny model, a cached one at a few tokens) finish before a notification would be read.
    const notify = setTimeout(() => void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Running ${modelName(folder)}`, cancellable: true },
      (progress, token) => {
        token.onCancellationRequested(() => this.client.cancel(id));
        let reported = 0;
        runs.progress = (message, done, total) => {
          const increment = total > 0 ? (done / total) * 100 - reported : 0;
          reported += increment;
          progress.report({ message, increment });
        };
        return outcome.catch(() => undefined);
      },
    ), PROGRESS_DELAY_MS);
    try {
      return await outcome;
    } catch (error) {
      if (error instanceof CancelledError) return undefined;
      throw error;
    } finally {
      clearTimeout(notify);
      runs.progress = undefined;
      runs.cancel = undefined;
    }
  }

  /** The induction probe on the active model (the random weights have none to probe). */
  inductionProbe(): Promise<InductionProbeOutcome> {
    const choice = this.choice();
    if (choice.kind !== 'folder') return Promise.resolve({ ok: false, message: 'The induction probe needs a real model: choose one with "Self-Attention: Choose Model…".' });
    return this.client.inductionProbe(choice.folder);
  }

  nextTokens(runId: number, position: number): Promise<NextTokens | undefined> {
    return this.client.nextTokens(runId, position);
  }

  /** The slice `focus` draws of run `runId`, kept in the model process (undefined when it no longer keeps that run). */
  slice(runId: number, focus: Focus): Promise<SliceLayers | undefined> {
    return this.client.slice(runId, focus);
  }

  /** A heatmap raster or one row of run `runId`, kept in the model process (undefined when it no longer keeps that run). */
  data(runId: number, request: { readonly raster: RasterRequest } | { readonly row: RowRequest }): Promise<RasterAnswer | RowAnswer | DataRefusal | undefined> {
    return this.client.data(runId, request);
  }

  /** Writes a matrix of run `runId` to `path` from the model process (undefined when it no longer keeps that run). */
  matrixFile(runId: number, request: MatrixFileRequest, path: string, budget: number): Promise<MatrixFileOutcome | undefined> {
    return this.client.matrixFile(runId, request, path, budget);
  }

  /** "Self-Attention: Choose Model…": cache models, Browse…, Random weights. Returns whether a model was chosen. */
  async choose(): Promise<boolean> {
    const hubs = hubCacheDirs(process.env, os.homedir());
    const quickPick = vscode.window.createQuickPick<vscode.QuickPickItem & { action?: PickerAction }>();
    quickPick.title = 'Choose the model selections run through';
    quickPick.placeholder = 'A model from your Hugging Face cache, a folder, or random teaching weights';
    quickPick.busy = true;
    quickPick.show();
    const current = this.choice();
    const items = pickerItems(await listCachedModels(hubs), current.kind === 'folder' ? current.folder : undefined, hubs, os.homedir());
    quickPick.items = items.map((item) => (item.separator ? { label: item.label, kind: vscode.QuickPickItemKind.Separator } : { ...item }));
    quickPick.busy = false;
    const picked = await new Promise<PickerAction | undefined>((resolve) => {
      quickPick.onDidAccept(() => resolve(quickPick.selectedItems[0]?.action));
      quickPick.onDidHide(() => resolve(undefined));
    });
    quickPick.dispose();
    if (!picked) return false;
    let value = RANDOM_MODEL;
    if (picked.kind === 'folder') value = picked.folder;
    if (picked.kind === 'browse') {
      const chosen = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Use This Model', title: 'A folder with config.json, *.safetensors and tokenizer.json' });
      if (!chosen?.[0]) return false;
      value = chosen[0].fsPath;
    }
    // The user's own settings: a model path never comes from the workspace unless it is trusted.
    await vscode.workspace.getConfiguration(SECTION).update('model', value, vscode.ConfigurationTarget.Global);
    this.log.info(`Model chosen: ${value}`);
    const now = this.choice();
    if ((now.kind === 'folder' ? now.folder : RANDOM_MODEL) !== value) {
      void vscode.window.showWarningMessage('This workspace\'s settings set selfAttention.model, which takes precedence over your choice: remove it there to use the model you picked.');
    }
    return true;
  }

  dispose(): void {
    this.client.dispose();
    this.disposables.forEach((d) => d.dispose());
  }

  private update(fire = true): void {
    const choice = this.choice();
    const label = choice.kind === 'folder' ? modelName(choice.folder) : choice.kind === 'random' ? 'Random weights' : 'Model setting invalid';
    this.statusItem.text = `$(hubot) ${label}`;
    this.statusItem.tooltip = choice.kind === 'folder'
      ? `Selections run through ${displayPath(choice.folder)}. Click to choose another model.`
      : choice.kind === 'random'
        ? `Selections run through seeded random weights (teaching).${choice.notice ? ` ${choice.notice}` : ''} Click to choose a model.`
        : choice.message;
    if (fire) this.changed.fire();
  }
}

/** What a panel's running model run exposes, so a newer run can cancel it and progress reaches the notification. */
export interface RunTracker {
  cancel?: () => void;
  /** The latest run's id, for next-token look-ups. */
  lastId?: number;
  progress?: (message: string, done: number, total: number) => void;
}
