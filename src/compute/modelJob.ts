/**
 * Runs real models in the model worker: opens the folder, keeps the loaded model between runs (reloading
 * when a file changes), runs the selection through it and keeps the last run for next-token look-ups.
 */
import { InterventionError, ModelCancelled, ModelError, estimateModelMemory, loadModelFromFolder, logitsAt, runModel, topTokens } from '../core';
import type { AttentionResult, HeadResult, LayerResult, Model, ModelResult, Problem } from '../core';
import { ModelFileError, formatBytes, shortModelPath } from '../models/modelFolder';
import { openModelFolder, type DiskModelFolder } from './modelFiles';
import { headLabel, type NextTokens } from '../shared/protocol';
import { TOP_TOKENS, type ModelOutcome, type ModelRequest } from './modelProtocol';

const KEPT_RUNS = 4;
/** As for random weights: far more characters than tokens allowed is refused before tokenizing. */
const MAX_CHARS_PER_TOKEN = 64;

export interface RunHooks {
  readonly progress: (message: string, done: number, total: number) => void;
  readonly isCancelled: () => boolean;
}

export class ModelJobs {
  private loaded: { readonly path: string; readonly folder: DiskModelFolder; readonly model: Model } | undefined;
  /** The latest runs by id, for next-token look-ups at a hovered position (one per open panel, roughly). */
  private readonly runs = new Map<number, { readonly model: Model; readonly result: ModelResult }>();

  async run(id: number, request: ModelRequest, hooks: RunHooks): Promise<ModelOutcome> {
    try {
      hooks.progress(`Reading ${shortModelPath(request.folder)}`, 0, 1);
      const model = await this.load(request.folder);
      checkSize(model, request);
      const total = model.config.layers;
      const result = runModel(model, {
        text: request.text,
        ...(request.prependBos !== undefined ? { prependBos: request.prependBos } : {}),
        ...(request.interventions ? { interventions: request.interventions } : {}),
        ...(request.tokenEdit ? { tokenEdit: request.tokenEdit } : {}),
        onLayer: (_layer, index) => hooks.progress(`Layer ${index + 1} of ${total}`, index + 1, total),
        isCancelled: hooks.isCancelled,
      });
      this.runs.set(id, { model, result });
      for (const old of this.runs.keys()) if (this.runs.size > KEPT_RUNS) this.runs.delete(old);
      return {
        ok: true,
        result: viewResult(result, provenanceLine(model, request.folder)),
        tokenRanges: result.modelTokens.map((t) => [t.start, t.end] as const),
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

/** What the views draw: the evaluate shape, heads named L0H0…, without the run's extra matrices. */
export function viewResult(result: ModelResult, description: string): AttentionResult {
  const layers: LayerResult[] = result.layers.map((layer, l) => ({
    input: layer.input,
    heads: layer.heads.map((head, h): HeadResult => ({ ...head, name: headLabel(l, h) })),
    concat: layer.concat,
    attentionOutput: layer.attentionOutput,
    output: layer.output,
  }));
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
