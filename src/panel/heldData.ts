/**
 * Where the whole result on screen lives (the panel's compute process, or the model process for a real model's run),
 * and the answers to the webview's requests for what its snapshot withholds: another focus's slice, a heatmap raster,
 * one row. The host passes these through; it holds none of the matrices.
 */
import * as vscode from 'vscode';
import { CancelledError, type ComputeClient } from '../compute/computeClient';
import type { ModelService } from '../models/modelService';
import type { DataRefusal, MatrixFileOutcome, MatrixFileRequest, RasterAnswer, RasterRequest, RowAnswer, RowRequest, SliceLayers } from '../shared/protocol';
import { answerBytes } from '../compute/raster';
import type { Focus } from '../compute/slice';
import type { PanelSession } from './session';
import { memoryBudgetBytes } from '../compute/memoryBudget';
import { pickExportTarget, showExported } from './saveExport';

export interface HeldResult {
  slice(focus: Focus): Promise<SliceLayers | undefined>;
  /** The heatmap raster and the rows the webview asks for (see src/compute/raster.ts). */
  raster(request: RasterRequest): Promise<RasterAnswer | DataRefusal | undefined>;
  row(request: RowRequest): Promise<RowAnswer | DataRefusal | undefined>;
  /** CSV or JSON of a whole matrix, written to a local `path` by the process that holds the result. */
  matrixFile(request: MatrixFileRequest, path: string, budget: number): Promise<MatrixFileOutcome | undefined>;
}

/** A selection's or file's result, kept whole by the panel's compute process. */
export function computeHeld(compute: ComputeClient): HeldResult {
  return {
    slice: (focus) => compute.slice(focus),
    raster: (request) => compute.raster(request),
    row: (request) => compute.row(request),
    matrixFile: (request, path, budget) => compute.matrixFile(request, path, budget),
  };
}

/** A real model's run `runId`, kept by the model process (which answers a running run's requests once it is done). */
export function modelHeld(models: ModelService, runId: number | undefined): HeldResult {
  if (runId === undefined) {
    const none = () => Promise.resolve(undefined);
    return { slice: none, raster: none, row: none, matrixFile: none };
  }
  return {
    slice: (focus) => models.slice(runId, focus),
    raster: (request) => models.data(runId, { raster: request }) as Promise<RasterAnswer | DataRefusal | undefined>,
    row: (request) => models.data(runId, { row: request }) as Promise<RowAnswer | DataRefusal | undefined>,
    matrixFile: (request, path, budget) => models.matrixFile(runId, request, path, budget),
  };
}

export class HeldData {
  /** The whole result behind snapshot `seq` (the one on screen, unless a refusal or a restore came after it). */
  private held: { readonly seq: number; readonly result: HeldResult } | undefined;
  /** The webview's newest raster request: an answer to an older one is not sent (the heatmap moved on). */
  private latestRaster = -1;

  constructor(private readonly session: PanelSession, private readonly log: vscode.LogOutputChannel) {}

  hold(seq: number, result: HeldResult): void {
    this.held = { seq, result };
  }

  /** The held result, if its snapshot is the one on screen. */
  onScreen(): { readonly seq: number; readonly result: HeldResult } | undefined {
    return this.held && this.held.seq === this.session.shown?.seq ? this.held : undefined;
  }

  /**
   * The webview asks for a raster or a row of a matrix its snapshot withholds: answered from where the result is held,
   * if that snapshot is still on screen (and, for a raster, the request is still the newest).
   */
  answer(kind: 'raster' | 'row', request: RasterRequest | RowRequest): void {
    const held = this.onScreen();
    if (kind === 'raster') this.latestRaster = Math.max(this.latestRaster, request.requestId);
    const refuse = (problem: string) => this.session.post({ type: kind, answer: { requestId: request.requestId, seq: request.seq, problem } });
    if (!held || held.seq !== request.seq) {
      refuse('That result is no longer on screen.');
      return;
    }
    const asked = Date.now();
    const answer = kind === 'raster' ? held.result.raster(request as RasterRequest) : held.result.row(request as RowRequest);
    void answer.then((answer) => {
      if (kind === 'raster' && request.requestId !== this.latestRaster) return;
      if (this.session.shown?.seq !== request.seq) return;
      if (!answer) {
        refuse('That result is no longer held.');
        return;
      }
      this.log.info(`${kind} ${request.requestId} of snapshot ${request.seq} carries ${(answerBytes(answer) / 1e6).toFixed(2)} MB (answered in ${Date.now() - asked} ms)`);
      this.session.post(kind === 'raster' ? { type: 'raster', answer: answer as RasterAnswer | DataRefusal } : { type: 'row', answer: answer as RowAnswer | DataRefusal });
    }, (error: unknown) => {
      if (!(error instanceof CancelledError)) refuse(error instanceof Error ? error.message : String(error));
    });
  }

  /**
   * CSV or JSON of a withheld matrix: the user picks a local file and the process that holds the result writes it, so
   * the matrix never crosses to the host. Returns what came of it (undefined when the user cancelled).
   */
  async exportMatrix(request: MatrixFileRequest, near: vscode.Uri): Promise<MatrixFileOutcome | undefined> {
    const fail = (problem: string): MatrixFileOutcome => {
      void vscode.window.showErrorMessage(problem);
      return { problem };
    };
    if (this.onScreen()?.seq !== request.seq) return fail(vscode.l10n.t('That result is no longer on screen: export again.'));
    const target = await pickExportTarget(request.format, request.suggestedName, near);
    if (!target) return undefined;
    if (target.scheme !== 'file') return fail(vscode.l10n.t('A matrix this large is written by the process that holds it, which can write only to a local file, not to {0}.', target.toString()));
    const held = this.onScreen();
    if (held?.seq !== request.seq) return fail(vscode.l10n.t('That result is no longer on screen: export again.'));
    const outcome = await held.result.matrixFile(request, target.fsPath, memoryBudgetBytes());
    if (!outcome) return fail(vscode.l10n.t('That result is no longer held: export again.'));
    if ('problem' in outcome) return fail(outcome.problem);
    this.log.info(`matrix file of snapshot ${request.seq}: ${(outcome.bytes / 1e6).toFixed(1)} MB written to ${target.fsPath}`);
    showExported(target);
    return outcome;
  }
}
