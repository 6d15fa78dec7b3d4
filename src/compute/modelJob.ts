/**
 * Runs real models in the model worker: opens the folder, keeps the loaded model between runs (reloading
 * when a file changes), runs the selection through it and keeps the last run for next-token look-ups.
 */
import { ModelCancelled, ModelError, estimateModelMemory, loadModelFromSource, logitsAt, runModel } from '../core';
import type { AttentionResult, HeadResult, LayerResult, Model, ModelResult, Problem } from '../core';
import { ModelFileError, displayPath, formatBytes } from '../models/modelFolder';
import { openModelFolder, type ModelFolder } from './modelFiles';
import { headLabel, type NextTokens } from '../protocol';
import { TOP_TOKENS, type ModelOutcome, type ModelRequest } from './modelProtocol';

const KEPT_RUNS = 4;

export interface RunHooks {
  readonly progress: (message: string, done: number, total: number) => void;
  readonly isCancelled: () => boolean;
}

export class ModelJobs {
  private loaded: { readonly folder: ModelFolder; readonly model: Model } | undefined;
  /** The latest runs by id, for next-token look-ups at a hovered position (one per open panel, roughly). */
  private readonly runs = new Map<number, { readonly model: Model; readonly result: ModelResult }>();

  async run(id: number, request: ModelRequest, hooks: RunHooks): Promise<ModelOutcome> {
    try {
      hooks.progress(`Reading ${displayPath(request.folder)}`, 0, 1);
      const model = await this.load(request.folder, request.budgetBytes);
      const total = model.config.layers;
      const result = await runModel(model, {
        text: request.text,
        ...(request.prependBos !== undefined ? { prependBos: request.prependBos } : {}),
        maxTokens: request.maxTokens,
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
      if (error instanceof ModelError || error instanceof ModelFileError) return failure(error.message);
      throw error;
    }
  }

  /** Top tokens after `position` of the last run, from its final hidden states. */
  nextTokens(runId: number, position: number): NextTokens | undefined {
    const run = this.runs.get(runId);
    if (!run || !Number.isInteger(position) || position < 0 || position >= run.result.tokens.length) return undefined;
    const { model, result } = run;
    const logits = position === result.tokens.length - 1 ? result.logits : logitsAt(model, result, position);
    return { position, top: topTokens(logits, TOP_TOKENS, (id) => model.tokenizer?.tokenText(id)) };
  }

  private async load(folder: string, budgetBytes: number): Promise<Model> {
    const opened = await openModelFolder(folder);
    if (this.loaded && this.loaded.folder.folder === folder && this.loaded.folder.stamp === opened.stamp) {
      opened.source.close();
      return this.loaded.model;
    }
    this.loaded?.folder.source.close();
    this.loaded = undefined;
    this.runs.clear();
    try {
      const model = await loadModelFromSource({ config: opened.config, source: opened.source, ...(opened.tokenizer !== undefined ? { tokenizer: opened.tokenizer } : {}) });
      const estimate = estimateModelMemory(model.config, Math.min(model.config.maxPositions, 512));
      if (estimate.totalBytes > budgetBytes) {
        throw new ModelFileError(`${displayPath(folder)} needs about ${formatBytes(estimate.totalBytes)} to run, more than the memory budget of ${formatBytes(budgetBytes)} (setting selfAttention.memoryBudgetMB).`);
      }
      this.loaded = { folder: opened, model };
      return model;
    } catch (error) {
      opened.source.close();
      throw error;
    }
  }
}

/** "GPT-2 (124M) from ~/…/gpt2: learned weights, BF16." */
export function provenanceLine(model: Model, folder: string): string {
  const d = model.description;
  return `${d.familyName} (${d.parameterLabel}) from ${displayPath(folder)}: learned weights (${d.dtype}).`;
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
  };
}

/** The k most likely ids under softmax(logits), computed in float64, most likely first. */
export function topTokens(logits: Float32Array, k: number, text: (id: number) => string | undefined): NextTokens['top'] {
  let max = -Infinity;
  for (const x of logits) if (x > max) max = x;
  let sum = 0;
  for (const x of logits) sum += Math.exp(x - max);
  const best: number[] = [];
  for (let id = 0; id < logits.length; id++) {
    if (best.length < k || logits[id] > logits[best[best.length - 1]]) {
      let at = best.length;
      while (at > 0 && logits[id] > logits[best[at - 1]]) at--;
      best.splice(at, 0, id);
      if (best.length > k) best.pop();
    }
  }
  return best.map((id) => ({ id, text: text(id) ?? `#${id}`, probability: Math.exp(logits[id] - max) / sum }));
}

function failure(message: string): ModelOutcome {
  const problems: Problem[] = [{ severity: 'error', message }];
  return { ok: false, message, problems };
}
