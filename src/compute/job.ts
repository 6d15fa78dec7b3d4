import { budgetProblem, buildSelectionSpec, evaluate, InterventionError, overflowProblem, parseBinaryAttention, parseTensorFile, resultFrame, selectionJobSize, specJobSize, summarizeHeads, tokenize, validateSpec } from '../core';
import type { AttentionReference, AttentionResult, AttentionSpec, HeadSummaries, Intervention, Problem, TokenEdit, TokenStringRanges } from '../core';
import { FULL_SNAPSHOT_CELLS, isSlimmed, type ComputeSettings } from '../shared/protocol';
import { DEFAULT_BUDGET_BYTES, settingsProblem, tokenLimit } from '../shared/settings';
import { runWhatIf } from './whatIf';
import { rolloutOf } from './rollout';
import type { RolloutView, WhatIfComparison } from '../shared/protocol';

/** A "what if" run: heads to ablate and edges to cut (checked against the result; a bad one fails the job with its sentence). */
export interface WhatIf {
  readonly interventions?: readonly Intervention[];
  /** Also compute attention rollout (within the budget and the multiply-add cap, else its one sentence). */
  readonly rollout?: boolean;
}

export type ComputeRequest =
  | ({ readonly kind: 'selection'; readonly text: string; readonly settings: ComputeSettings; readonly maxTokens: number; readonly tokenEdit?: TokenEdit<string> } & WhatIf)
  | ({ readonly kind: 'file'; readonly text: string } & WhatIf)
  /**
   * A .npy / .npz / .safetensors file, opened directly or through its *.attention.json sidecar
   * (`sidecarText`). The bytes are posted to the compute process (copied; see ownBytes for why they fill their buffer).
   */
  | ({ readonly kind: 'binary'; readonly bytes: Uint8Array; readonly fileName: string; readonly sidecarText?: string } & WhatIf)
  /** The host could not even gather the input (e.g. the binary file is missing): report `message`. */
  | { readonly kind: 'error'; readonly message: string };

export type ComputeOutcome =
  | {
    readonly ok: true;
    readonly result: AttentionResult;
    readonly tokenRanges?: readonly (readonly [number, number])[];
    /** For tensor files with key_tokens: where those are in the text (else the keys are the queries). */
    readonly keyTokenRanges?: readonly (readonly [number, number])[];
    readonly warnings: readonly Problem[];
    /** For results too large to send whole (see slimResult): every head's statistics and thumbnail. */
    readonly headSummaries?: HeadSummaries;
    /** A "what if" run: the comparison with the same request run without its interventions. */
    readonly whatIf?: WhatIfComparison;
    readonly rollout?: RolloutView;
  }
  | {
    readonly ok: false;
    readonly message: string;
    readonly problems: readonly Problem[];
    /** Refused by the memory budget before the big allocations: a bigger budget (the worker's) may accept it. */
    readonly overBudget?: true;
  };

type Ranges = readonly (readonly [number, number])[];

/**
 * A job's tokens, sent ahead of its result so the panel draws them while the attention is computed: the result's
 * frame (every head 0 × 0, see resultFrame) and where the tokens are in the text.
 */
export interface JobTokens {
  readonly frame: AttentionResult;
  readonly tokenRanges?: Ranges;
  readonly keyTokenRanges?: Ranges;
  readonly warnings: readonly Problem[];
}

/** Hears a job's tokens once, before its result; called only for jobs big enough to take a noticeable time. */
export type OnTokens = (tokens: JobTokens) => void;

/** Below this many weight cells (all heads together) a job is done in milliseconds: its tokens come with its result. */
export const TOKENS_FIRST_CELLS = FULL_SNAPSHOT_CELLS;

/** A tensor file's problems (errors, or warnings when it reads) and, for a sidecar, the binary file it names. */
export interface TensorCheck {
  readonly problems: readonly Problem[];
  readonly reference?: AttentionReference;
}

/** Parses a tensor file's text for the Problems panel and the file source; runs in the worker like runJob. */
export function checkTensorText(text: string): TensorCheck {
  const parsed = parseTensorFile(text);
  if (!parsed.ok) return { problems: parsed.problems };
  return { problems: parsed.warnings, ...(parsed.reference !== undefined ? { reference: parsed.reference } : {}) };
}


/** Characters per token above which a selection is refused before tokenizing it at all. */
const MAX_CHARS_PER_TOKEN = 64;

/**
 * Runs one request to completion, refusing it before the big allocations when it needs more than `budget` bytes.
 * Pure; it runs in the worker thread (src/compute/worker.ts), never on the extension host.
 */
export function runJob(request: ComputeRequest, budget = DEFAULT_BUDGET_BYTES, onTokens?: OnTokens): ComputeOutcome {
  let outcome: ComputeOutcome;
  // A "what if" job runs twice: the panel hears the tokens of the first run, the one it shows.
  let told = onTokens === undefined;
  const announce: Announce = (spec, tokens) => {
    if (told) return;
    told = true;
    const frame = resultFrame(spec);
    const cells = frame.tokens.length * frame.keyTokens.length * frame.layers.reduce((sum, layer) => sum + layer.heads.length, 0);
    if (cells >= TOKENS_FIRST_CELLS) onTokens?.({ frame, ...tokens });
  };
  const run = (r: ComputeRequest, b: number) => runRequest(r, b, announce);
  try {
    outcome = request.kind === 'error' ? run(request, budget) : runWhatIf(request, budget, run, (o) => (o as { result: AttentionResult }).result);
  } catch (error) {
    if (error instanceof InterventionError) return failure(error.message);
    throw error;
  }
  if (outcome.ok && request.kind !== 'error' && request.rollout) outcome = { ...outcome, rollout: rolloutOf(outcome.result, budget) };
  if (!outcome.ok || !isSlimmed(outcome.result)) return outcome;
  return { ...outcome, headSummaries: summarizeHeads(outcome.result) };
}

/** Called with a job's spec once it is parsed and within the budget, just before it is evaluated. */
type Announce = (spec: AttentionSpec, tokens: Omit<JobTokens, 'frame'>) => void;

function runRequest(request: ComputeRequest, budget: number, announce: Announce): ComputeOutcome {
  switch (request.kind) {
    case 'selection':
      return runSelection(request, budget, announce);
    case 'file':
      return runFile(request.text, budget, request, announce);
    case 'binary':
      return runBinary(request.bytes, request.fileName, request.sidecarText, budget, request, announce);
    case 'error':
      return failure(request.message);
  }
}

function runSelection(request: ComputeRequest & { kind: 'selection' }, budget: number, announce: Announce): ComputeOutcome {
  const { text, settings, maxTokens: requestedLimit } = request;
  if (text.trim() === '') return failure('The selection is empty: select some text to visualize.');
  const badSetting = settingsProblem(settings);
  if (badSetting) return failure(badSetting);
  const maxTokens = tokenLimit(requestedLimit);
  if (text.length > maxTokens * MAX_CHARS_PER_TOKEN) {
    return failure(`The selection has ${text.length.toLocaleString('en')} characters, far more than the limit of ${maxTokens.toLocaleString('en')} tokens (setting selfAttention.maxTokens). Select less text.`);
  }
  const cut = tokenize(text, settings.tokenizer);
  const count = cut.length;
  if (count > maxTokens) {
    return failure(`The selection has ${count.toLocaleString('en')} tokens, more than the limit of ${maxTokens.toLocaleString('en')} (setting selfAttention.maxTokens). Select less text.`);
  }
  const overBudget = budgetProblem(selectionJobSize(count, settings), budget, 'This selection', 'less text');
  if (overBudget) return budgetFailure(overBudget);
  const { spec, tokens } = buildSelectionSpec(text, settings, request.tokenEdit, cut);
  const problems = validateSpec(spec);
  if (problems.length > 0) return { ok: false, message: problems[0].message, problems };
  const tokenRanges = tokens.map((t) => [t.start, t.end] as const);
  announce(spec, { tokenRanges, warnings: [] });
  return { ok: true, result: evaluate(spec, request), tokenRanges, warnings: [] };
}

function runFile(text: string, budget: number, request: WhatIf, announce: Announce): ComputeOutcome {
  const parsed = parseTensorFile(text);
  if (!parsed.ok) return { ok: false, message: describe(firstError(parsed.problems)), problems: parsed.problems };
  if (parsed.reference !== undefined) {
    return failure(`The weights are in "${parsed.reference.file}" (attention_file), which was not read. Open this file with "Visualize Attention File".`);
  }
  const ranges = fileRanges(parsed.tokenRanges);
  return withRanges(evaluateWithin(parsed.spec, parsed.warnings, budget, 2 * text.length, request, (spec) => announce(spec, { ...ranges, warnings: parsed.warnings })), ranges);
}

function runBinary(bytes: Uint8Array, fileName: string, sidecarText: string | undefined, budget: number, request: WhatIf, announce: Announce): ComputeOutcome {
  const parsed = parseBinaryAttention({ bytes, fileName, maxBytes: budget, ...(sidecarText !== undefined ? { sidecarText } : {}) });
  if (!parsed.ok) return { ok: false, message: describe(firstError(parsed.problems)), problems: parsed.problems };
  const ranges = fileRanges(parsed.tokenRanges);
  const outcome = evaluateWithin(parsed.spec, parsed.warnings, budget, bytes.byteLength + 2 * (sidecarText?.length ?? 0), request, (spec) => announce(spec, { ...ranges, warnings: parsed.warnings }));
  return withRanges(outcome, ranges);
}

/** Where a tensor file's token strings are, for the editor sync (found by the file's one parse, off the host's thread). */
function fileRanges(ranges: TokenStringRanges | undefined): { tokenRanges?: Ranges; keyTokenRanges?: Ranges } {
  return ranges ? { tokenRanges: ranges.queries, keyTokenRanges: ranges.keys } : {};
}

function withRanges(outcome: ComputeOutcome, ranges: { tokenRanges?: Ranges; keyTokenRanges?: Ranges }): ComputeOutcome {
  return outcome.ok ? { ...outcome, ...ranges } : outcome;
}

/**
 * Evaluates a file's spec when the memory budget allows; `inputBytes` is what its input still holds (text or bytes).
 * `beforeEvaluate` hears the spec once it is within the budget.
 */
function evaluateWithin(spec: AttentionSpec, warnings: readonly Problem[], budget: number, inputBytes: number, request: WhatIf, beforeEvaluate: (spec: AttentionSpec) => void): ComputeOutcome {
  const hint = spec.kind === 'precomputed' ? 'an export with fewer tokens' : 'fewer tokens in the file';
  const overBudget = budgetProblem(specJobSize(spec, inputBytes), budget, 'This file', hint);
  if (overBudget) return budgetFailure(overBudget);
  beforeEvaluate(spec);
  const result = evaluate(spec, request);
  const overflow = overflowProblem(spec, result);
  return overflow ? failure(overflow) : { ok: true, result, warnings };
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

function budgetFailure(message: string): ComputeOutcome {
  return { ok: false, message, problems: [{ severity: 'error', message }], overBudget: true };
}
