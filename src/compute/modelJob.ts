/**
 * Runs real models in the model worker: opens the folder, keeps the loaded model between runs (reloading
 * when a file changes), runs the selection through it and keeps the last run for next-token look-ups.
 */
import { InterventionError, ModelCancelled, ModelError, estimateModelMemory, INDUCTION_PROBE_LENGTH, runInductionProbe, layerSteps, loadModelFromFolder, logitsAt, runModel, summarizeHeads, tokenFrame, topTokens } from '../core';
import type { AttentionResult, HeadResult, HeadSummaries, HeadSummary, LayerResult, Model, ModelLayerResult, ModelResult, ModelToken, Problem } from '../core';
import { ModelFileError, formatBytes, shortModelPath } from '../models/modelFolder';
import { openModelFolder, type DiskModelFolder } from './modelFiles';
import { headLabel, isSlimmed, type NextTokens, type SliceLayers } from '../shared/protocol';
import { TOP_TOKENS, type InductionProbeOutcome, type ModelOutcome, type ModelRequest, type RunFrame } from './modelProtocol';
import { idEdit, ModelComparison, textEdit } from './modelWhatIf';
import { RolloutBuilder } from './rollout';
import { payloadBytes, slimResult, type Focus } from './slice';

const KEPT_RUNS = 4;
/** As for random weights: far more characters than tokens allowed is refused before tokenizing. */
const MAX_CHARS_PER_TOKEN = 64;

export interface RunHooks {
  readonly progress: (message: string, done: number, total: number) => void;
  readonly isCancelled: () => boolean;
  /**
   * Each layer as it finishes, as the views draw it; the first comes with the run's frame (tokens, ranges). A large
   * result's layer comes with its heads' summaries.
   */
  readonly layer?: (index: number, total: number, layer: LayerResult, frame: RunFrame | undefined, summaries: readonly HeadSummary[] | undefined) => void;
}

/** A finished run's whole result as the views draw it, kept here so the host holds none of its matrices. */
interface HeldRun {
  readonly result: AttentionResult;
  readonly summaries?: HeadSummaries;
  readonly bytes: number;
}

export class ModelJobs {
  private loaded: { readonly path: string; readonly folder: DiskModelFolder; readonly model: Model } | undefined;
  /** The latest runs by id, for next-token look-ups at a hovered position (one per open panel, roughly); no layers. */
  private readonly runs = new Map<number, { readonly model: Model; readonly result: ModelResult }>();
  /** The latest runs' whole results, for `slice`: the newest always, up to KEPT_RUNS while they fit the memory budget. */
  private readonly held = new Map<number, HeldRun>();
  /** The last run without interventions that a "what if" run compared with: kept whole, reused for the same input. */
  private original: { readonly key: string; readonly model: Model; readonly result: ModelResult } | undefined;

  async run(id: number, request: ModelRequest, hooks: RunHooks): Promise<ModelOutcome> {
    try {
      hooks.progress(`Reading ${shortModelPath(request.folder)}`, 0, 1);
      const model = await this.load(request.folder);
      checkSize(model, request);
      const total = model.config.layers;
      const provenance = provenanceLine(model, request.folder);
      const tokenEdit = request.tokenEdit && idEdit(model, request.tokenEdit);
      const changes = { interventions: request.interventions ?? [], ...(tokenEdit ? { tokenEdit: textEdit(model, tokenEdit, request.tokenEdit) } : {}) };
      const comparison = changes.interventions.length > 0 || tokenEdit ? new ModelComparison(this.originalRun(model, request, hooks), changes) : undefined;
      let rollout: RolloutBuilder | undefined;
      const views: LayerResult[] = [];
      const summaries: (readonly HeadSummary[])[] = [];
      let frame: RunFrame | undefined;
      const result = runModel(model, {
        text: request.text,
        ...(request.prependBos !== undefined ? { prependBos: request.prependBos } : {}),
        ...(request.interventions ? { interventions: request.interventions } : {}),
        ...(tokenEdit ? { tokenEdit } : {}),
        onLayer: (layer, index, tokens) => {
          comparison?.addLayer(index, layer);
          if (request.rollout) {
            rollout ??= new RolloutBuilder(tokens.length, total, request.budgetBytes);
            rollout.addLayer(layer.heads);
          }
          frame ??= runFrame(tokens, provenance);
          const view = viewLayer(model, layer, index);
          views.push(view);
          // A large result's heads are summarised as they finish: the summaries stand in for the weights not sent.
          const summary = isSlimmed(frame.result as AttentionResult) ? summarizeHeads({ ...frame.result, layers: [view] })[0] : undefined;
          if (summary) summaries.push(summary);
          hooks.layer?.(index, total, view, index === 0 ? frame : undefined, summary);
          hooks.progress(`Layer ${index + 1} of ${total}`, index + 1, total);
        },
        isCancelled: hooks.isCancelled,
      });
      this.runs.set(id, { model, result: { ...result, layers: [] } });
      for (const old of this.runs.keys()) if (this.runs.size > KEPT_RUNS) this.runs.delete(old);
      const whatIf = comparison?.finish(model, result);
      const view = viewResult(model, result, provenance, views);
      const headSummaries = summaries.length === views.length && summaries.length > 0 ? summaries : undefined;
      this.hold(id, { result: view, ...(headSummaries ? { summaries: headSummaries } : {}), bytes: payloadBytes(view) }, request.budgetBytes);
      return {
        ...(whatIf ? { whatIf } : {}),
        ...(rollout ? { rollout: rollout.view() } : {}),
        ...(headSummaries ? { headSummaries } : {}),
        ok: true,
        result: view,
        tokenRanges: tokenRanges(result.modelTokens),
        warnings: [],
        nextTokens: this.nextTokens(id, result.tokens.length - 1),
      };
    } catch (error) {
      if (error instanceof ModelCancelled) throw error;
      if (error instanceof InterventionError) return failure(error.message);
      if (error instanceof ModelError || error instanceof ModelFileError) return failure(`${shortModelPath(request.folder)}: ${error.message}`);
      throw error;
    }
  }

  /** The run without interventions to compare with: the kept one when the input is the same, else a new one. */
  private originalRun(model: Model, request: ModelRequest, hooks: RunHooks): ModelResult {
    const key = JSON.stringify([request.folder, request.text, request.prependBos ?? null]);
    if (this.original?.key === key && this.original.model === model) return this.original.result;
    hooks.progress('Running the original, to compare', 0, 1);
    const result = runModel(model, {
      text: request.text,
      ...(request.prependBos !== undefined ? { prependBos: request.prependBos } : {}),
      isCancelled: hooks.isCancelled,
    });
    this.original = { key, model, result };
    return result;
  }

  /** Every head's induction score on the probe (a repeated random sequence), for the head grid's labels. */
  async inductionProbe(folder: string): Promise<InductionProbeOutcome> {
    try {
      const model = await this.load(folder);
      // The standard 50 tokens repeated, or as many as a small model's positions hold (BOS, then the sequence twice).
      const length = Math.min(INDUCTION_PROBE_LENGTH, Math.floor((model.config.maxPositions - 1) / 2));
      return { ok: true, scores: runInductionProbe(model, { length }).scores };
    } catch (error) {
      if (error instanceof ModelError || error instanceof ModelFileError) return { ok: false, message: `${shortModelPath(folder)}: ${error.message}` };
      throw error;
    }
  }

  /** The slice `focus` draws of run `runId`, or null when that run's result is no longer kept. */
  slice(runId: number, focus: Focus): SliceLayers | null {
    const run = this.held.get(runId);
    return run ? slimResult(run.result, focus, run.summaries).layers : null;
  }

  /** Run `runId`'s whole result, while it is kept (for rasters and rows, see raster.ts). */
  heldResult(runId: number): AttentionResult | undefined {
    return this.held.get(runId)?.result;
  }

  /** Keeps run `id`'s result, letting go of older ones (oldest first) beyond KEPT_RUNS or while they are over `budget`. */
  private hold(id: number, run: HeldRun, budget: number): void {
    this.held.set(id, run);
    let bytes = [...this.held.values()].reduce((sum, r) => sum + r.bytes, 0);
    for (const [old, kept] of this.held) {
      if ((bytes <= budget && this.held.size <= KEPT_RUNS) || old === id) break;
      this.held.delete(old);
      bytes -= kept.bytes;
    }
  }

  /** Top tokens after `position` of the last run, from its final hidden states. */
  nextTokens(runId: number, position: number): NextTokens | undefined {
    const run = this.runs.get(runId);
    if (!run || !Number.isInteger(position) || position < 0 || position >= run.result.tokens.length) return undefined;
    const { model, result } = run;
    const logits = position === result.tokens.length - 1 ? result.logits : logitsAt(model, result, position);
    const top = topTokens(logits, TOP_TOKENS).map(({ id, probability }) => ({ id, probability, text: model.tokenizer?.tokenText(id) ?? `#${id}` }));
    return { position, top };
  }

  private async load(folder: string): Promise<Model> {
    const opened = await openModelFolder(folder);
    if (this.loaded && this.loaded.path === folder && this.loaded.folder.stamp === opened.stamp) {
      opened.close();
      return this.loaded.model;
    }
    this.loaded?.folder.close();
    this.loaded = undefined;
    this.runs.clear();
    this.held.clear();
    try {
      const model = loadModelFromFolder(opened);
      this.loaded = { path: folder, folder: opened, model };
      return model;
    } catch (error) {
      opened.close();
      throw error;
    }
  }
}

/** "GPT-2 (124M) from ~/…/gpt2: learned weights, BF16." */
export function provenanceLine(model: Model, folder: string): string {
  const d = model.description;
  return `${d.familyName} (${d.parameterLabel}) from ${shortModelPath(folder)}: learned weights (${d.dtype}).`;
}

/** One layer as the views draw it: the evaluate shape, heads named L0H0…, plus the family's own steps. */
export function viewLayer(model: Model, layer: ModelLayerResult, index: number): LayerResult {
  return {
    input: layer.input,
    heads: layer.heads.map((head, h): HeadResult => ({ ...head, name: headLabel(index, h) })),
    concat: layer.concat,
    attentionOutput: layer.attentionOutput,
    output: layer.output,
    model: layerSteps(model.config, layer),
  };
}

function tokenRanges(tokens: readonly ModelToken[]): RunFrame['tokenRanges'] {
  return tokens.map((t) => [t.start, t.end] as const);
}

/** Everything of a run's result but its layers: what a streamed layer belongs to. */
function runFrame(tokens: readonly ModelToken[], description: string): RunFrame {
  return { result: { ...tokenFrame(tokens), provenance: { kind: 'model', description } }, tokenRanges: tokenRanges(tokens) };
}

/** What the views draw of a whole run (`layers`: its layers already in that form). */
export function viewResult(model: Model, result: ModelResult, description: string, layers = result.layers.map((layer, l) => viewLayer(model, layer, l))): AttentionResult {
  return {
    tokens: result.tokens,
    keyTokens: result.keyTokens,
    layers,
    options: result.options,
    cost: result.cost,
    provenance: { kind: 'model', description },
    ...(result.interventions ? { interventions: result.interventions } : {}),
  };
}

/** Refuses, before the forward pass allocates, a selection over the token limit or a run over the memory budget. */
function checkSize(model: Model, request: ModelRequest): void {
  if (request.text.length > request.maxTokens * MAX_CHARS_PER_TOKEN) {
    throw new ModelError(`The selection has ${request.text.length.toLocaleString('en')} characters, far more than the limit of ${request.maxTokens.toLocaleString('en')} tokens (setting selfAttention.maxTokens). Select less text.`);
  }
  const count = (model.tokenizer?.encode(request.text).length ?? 0) + 1;
  if (count > request.maxTokens + 1) {
    throw new ModelError(`The selection has ${(count - 1).toLocaleString('en')} tokens, more than the limit of ${request.maxTokens.toLocaleString('en')} (setting selfAttention.maxTokens). Select less text.`);
  }
  const estimate = estimateModelMemory(model.config, count);
  if (estimate.totalBytes > request.budgetBytes) {
    throw new ModelError(`Running ${model.description.familyName} (${model.description.parameterLabel}) on ${count - 1} tokens needs about ${formatBytes(estimate.totalBytes)}, more than the memory budget of ${formatBytes(request.budgetBytes)} (setting selfAttention.memoryBudgetMB).`);
  }
}

function failure(message: string): ModelOutcome {
  const problems: Problem[] = [{ severity: 'error', message }];
  return { ok: false, message, problems };
}
