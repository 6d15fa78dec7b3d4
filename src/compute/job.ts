import { buildSelectionSpec, evaluate, parseBinaryAttention, parseTensorFile, summarizeHeads, tokenize, validateSpec } from '../core';
import type { AttentionResult, HeadSummaries, Problem } from '../core';
import { isSlimmed, type ComputeSettings } from '../shared/protocol';
import { settingsProblem, tokenLimit } from '../shared/settings';

export type ComputeRequest =
  | { readonly kind: 'selection'; readonly text: string; readonly settings: ComputeSettings; readonly maxTokens: number }
  | { readonly kind: 'file'; readonly text: string }
  /**
   * A .npy / .npz / .safetensors file, opened directly or through its *.attention.json sidecar
   * (`sidecarText`). The bytes are transferred to the worker: do not use them after posting.
   */
  | { readonly kind: 'binary'; readonly bytes: Uint8Array; readonly fileName: string; readonly sidecarText?: string }
  /** The host could not even gather the input (e.g. the binary file is missing): report `message`. */
  | { readonly kind: 'error'; readonly message: string };

export type ComputeOutcome =
  | {
    readonly ok: true;
    readonly result: AttentionResult;
    readonly tokenRanges?: readonly (readonly [number, number])[];
    readonly warnings: readonly Problem[];
    /** For results too large to send whole (see slimResult): every head's statistics and thumbnail. */
    readonly headSummaries?: HeadSummaries;
  }
  | { readonly ok: false; readonly message: string; readonly problems: readonly Problem[] };

/** Characters per token above which a selection is refused before tokenizing it at all. */
const MAX_CHARS_PER_TOKEN = 64;

/** Runs one request to completion. Pure: the same code runs inline and in the worker thread. */
export function runJob(request: ComputeRequest): ComputeOutcome {
  const outcome = runRequest(request);
  if (!outcome.ok || !isSlimmed(outcome.result)) return outcome;
  return { ...outcome, headSummaries: summarizeHeads(outcome.result) };
}

function runRequest(request: ComputeRequest): ComputeOutcome {
  switch (request.kind) {
    case 'selection':
      return runSelection(request.text, request.settings, request.maxTokens);
    case 'file':
      return runFile(request.text);
    case 'binary':
      return runBinary(request.bytes, request.fileName, request.sidecarText);
    case 'error':
      return failure(request.message);
  }
}

/** How big a request is (characters or bytes): small ones run inline, big ones in the worker. */
export function requestSize(request: ComputeRequest): number {
  switch (request.kind) {
    case 'binary':
      return request.bytes.byteLength + (request.sidecarText?.length ?? 0);
    case 'error':
      return 0;
    default:
      return request.text.length;
  }
}

/**
 * Buffers to transfer (not copy) when posting the request to the worker. Only a buffer the bytes fill
 * exactly is transferred; a view on a shared (pooled) buffer is copied by postMessage instead.
 */
export function requestTransferables(request: ComputeRequest): ArrayBuffer[] {
  if (request.kind !== 'binary') return [];
  const { bytes } = request;
  return bytes.buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? [bytes.buffer] : [];
}

function runSelection(text: string, settings: ComputeSettings, requestedLimit: number): ComputeOutcome {
  if (text.trim() === '') return failure('The selection is empty: select some text to visualize.');
  const badSetting = settingsProblem(settings);
  if (badSetting) return failure(badSetting);
  const maxTokens = tokenLimit(requestedLimit);
  if (text.length > maxTokens * MAX_CHARS_PER_TOKEN) {
    return failure(`The selection has ${text.length.toLocaleString('en')} characters, far more than the limit of ${maxTokens.toLocaleString('en')} tokens (setting selfAttention.maxTokens). Select less text.`);
  }
  const count = tokenize(text, settings.tokenizer).length;
  if (count > maxTokens) {
    return failure(`The selection has ${count.toLocaleString('en')} tokens, more than the limit of ${maxTokens.toLocaleString('en')} (setting selfAttention.maxTokens). Select less text.`);
  }
  const { spec, tokens } = buildSelectionSpec(text, settings);
  const problems = validateSpec(spec);
  if (problems.length > 0) return { ok: false, message: problems[0].message, problems };
  return { ok: true, result: evaluate(spec), tokenRanges: tokens.map((t) => [t.start, t.end] as const), warnings: [] };
}

function runFile(text: string): ComputeOutcome {
  const parsed = parseTensorFile(text);
  if (!parsed.ok) return { ok: false, message: describe(firstError(parsed.problems)), problems: parsed.problems };
  if (parsed.reference !== undefined) {
    return failure(`The weights are in "${parsed.reference.file}" (attention_file), which was not read. Open this file with "Visualize Attention File".`);
  }
  return { ok: true, result: evaluate(parsed.spec), warnings: parsed.warnings };
}

function runBinary(bytes: Uint8Array, fileName: string, sidecarText: string | undefined): ComputeOutcome {
  const parsed = parseBinaryAttention({ bytes, fileName, ...(sidecarText !== undefined ? { sidecarText } : {}) });
  if (!parsed.ok) return { ok: false, message: describe(firstError(parsed.problems)), problems: parsed.problems };
  return { ok: true, result: evaluate(parsed.spec), warnings: parsed.warnings };
}

/** The problem that stopped the input: the first error, not a warning listed before it. */
function firstError(problems: readonly Problem[]): Problem | undefined {
  return problems.find((p) => p.severity === 'error') ?? problems[0];
}

export function describe(problem: Problem | undefined): string {
  if (!problem) return 'The input could not be read.';
  const located = !problem.location || /\(line \d+, column \d+\)/.test(problem.message);
  const where = located ? '' : ` (line ${problem.location!.line + 1}, column ${problem.location!.column + 1})`;
  return problem.message + where;
}

function failure(message: string): ComputeOutcome {
  return { ok: false, message, problems: [{ severity: 'error', message }] };
}
